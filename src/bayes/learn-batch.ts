/**
 * Applying learned messages to a store: each batch in one write transaction
 * (seen-ids, message counts and token counts together), so a crash leaves the last
 * committed batch. Token changes are summed per batch first, so each distinct token
 * is written once per batch.
 *
 * As SpamAssassin: a message already learned as the same class is skipped; one
 * learned as the other class is forgotten first (unless `noRelearn`).
 *
 * Store-only: this module does not load the message parser (hamlet-learn's main
 * thread applies what worker threads prepared).
 */
import type { BayesStore, BayesWriter, SeenFlag } from './store';
import { TokenDeltas } from './token-deltas';

/** A message ready to apply: its ids, token hashes and receive time. */
export interface PreparedMessage {
  readonly ids: readonly string[];
  readonly hashes: ArrayLike<number>;
  readonly atime: number;
  /** On bayes_ignore_from / bayes_ignore_to: not learned (forgetting still applies). */
  readonly ignored?: boolean;
}

export interface LearnOptions {
  /** Current time in seconds (tests pass a fixed clock). */
  now?: number;
  /** Do not move a message learned as the other class (SpamAssassin's `learn_no_relearn`). */
  noRelearn?: boolean;
  /** Honour bayes_ignore_from / bayes_ignore_to (default: yes, as SpamAssassin's library; sa-learn only with --use-ignores). */
  useIgnores?: boolean;
}

/**
 * The seen flags of a batch's messages as the transaction changes them: the stored flags are
 * read once for the whole batch (one round trip to a server store, not one per message), and
 * the batch's own changes are layered on top as applyEach makes them.
 */
class BatchSeen {
  private readonly changed = new Map<string, SeenFlag | null>();

  /** `stored`: the flags of every id of the batch (batchIds), as the store holds them. */
  constructor(
    private readonly w: BayesWriter,
    private readonly stored: ReadonlyMap<string, SeenFlag>,
  ) {}

  /** The flag of the first of `ids` that was seen, with that id. */
  find(ids: readonly string[]): [string, SeenFlag] | undefined {
    for (const id of ids) {
      const f = this.changed.has(id) ? this.changed.get(id) : this.stored.get(id);
      if (f) return [id, f];
    }
    return undefined;
  }

  put(id: string, flag: SeenFlag): void {
    this.w.seenPut(id, flag);
    this.changed.set(id, flag);
  }

  delete(id: string): void {
    this.w.seenDelete(id);
    this.changed.set(id, null);
  }
}

/** Outcome of one message: learned, skipped (already known as that class), or not known (forget). */
export type LearnResult = 'learned' | 'skipped' | 'not-learned';

/**
 * Messages gathered for one transaction. For learning, their token changes are
 * summed as they arrive, outside the write lock, on the guess that none was learned
 * before (the common case); applyBatch checks the guess and recounts when it fails.
 */
export class PendingBatch {
  readonly messages: PreparedMessage[] = [];
  /**
   * Per message: it repeats one learned before it in this batch (one of its ids is that one's
   * stored id), so, when the store knows none of the batch's ids, it is skipped. Its changes are
   * left out of the sum: a mailbox holding a message twice then still takes the summed path.
   */
  readonly repeats: boolean[] = [];
  hashCount = 0;
  /** Summed changes of the messages not ignored; unused when forgetting. Sized for the distinct tokens of 1,500 messages (77,000 in TRAIN's ham): growing rehashes. */
  readonly deltas = new TokenDeltas(1 << 17);
  /** The stored ids (the first of each) of the messages summed so far. */
  private readonly storedIds = new Set<string>();

  constructor(readonly mode: 'spam' | 'ham' | 'forget') {}

  add(m: PreparedMessage): void {
    this.messages.push(m);
    this.hashCount += m.hashes.length;
    const summed = this.mode !== 'forget' && !m.ignored;
    const repeat = summed && m.ids.some((id) => this.storedIds.has(id));
    this.repeats.push(repeat);
    if (!summed || repeat) return;
    this.storedIds.add(m.ids[0]!);
    this.deltas.addAll(m.hashes, this.mode === 'spam' ? 1 : 0, this.mode === 'ham' ? 1 : 0, m.atime);
  }
}

/** Every id of a batch's messages, once: the seen flags are read for all of them in one round trip. */
function batchIds(batch: readonly PreparedMessage[]): string[] {
  return [...new Set(batch.flatMap((m) => m.ids))];
}

/** True when the store knows none of the ids of `batch`'s messages that are not ignored. */
function noneStored(batch: readonly PreparedMessage[], stored: ReadonlyMap<string, SeenFlag>): boolean {
  return stored.size === 0 || batch.every((m) => m.ignored || !m.ids.some((id) => stored.has(id)));
}

/**
 * Apply prepared messages as one transaction. Returns a result per message.
 * `mode` is 'spam', 'ham' or 'forget'; a PendingBatch brings its summed changes.
 */
export function applyBatch(
  store: BayesStore,
  batch: readonly PreparedMessage[] | PendingBatch,
  mode: 'spam' | 'ham' | 'forget',
  opts: LearnOptions = {},
): Promise<LearnResult[]> {
  const pending = batch instanceof PendingBatch ? batch : undefined;
  const messages = pending ? pending.messages : (batch as readonly PreparedMessage[]);
  return store.write(async (w) => {
    // One read of the seen flags serves both paths.
    const stored = await w.seenGet(batchIds(messages));
    if (pending && mode !== 'forget' && pending.mode === mode && noneStored(messages, stored)) return applySummed(w, pending, mode);
    // Sized for the batch (a summed batch knows its distinct tokens): growing the table rehashes it.
    return applyEach(w, messages, mode, opts, pending?.deltas.size ?? messages.reduce((n, m) => n + m.hashes.length, 0), stored);
  });
}

/** The common case: the store knows none of the messages, so the summed changes are the batch's changes. */
function applySummed(w: BayesWriter, batch: PendingBatch, mode: 'spam' | 'ham'): LearnResult[] {
  const flag: SeenFlag = mode === 'spam' ? 's' : 'h';
  const results: LearnResult[] = [];
  let learned = 0;
  for (const [i, m] of batch.messages.entries()) {
    if (m.ignored || batch.repeats[i]) {
      results.push('skipped');
      continue;
    }
    w.seenPut(m.ids[0]!, flag);
    results.push('learned');
    learned++;
  }
  if (learned) w.countsChange(mode === 'spam' ? learned : 0, mode === 'ham' ? learned : 0);
  w.tokensChange(batch.deltas);
  return results;
}

/** Message by message, against the seen table as each one leaves it. */
function applyEach(
  w: BayesWriter,
  batch: readonly PreparedMessage[],
  mode: 'spam' | 'ham' | 'forget',
  opts: LearnOptions,
  tokens: number,
  stored: ReadonlyMap<string, SeenFlag>,
): LearnResult[] {
  const deltas = new TokenDeltas(tokens);
  const results: LearnResult[] = [];
  const seenFlags = new BatchSeen(w, stored);
  for (const m of batch) {
    const seen = seenFlags.find(m.ids);
    /** Take back what learning the message as its stored class added. */
    const unlearn = ([id, flag]: [string, SeenFlag]): void => {
      const ds = flag === 's' ? -1 : 0;
      const dh = flag === 's' ? 0 : -1;
      w.countsChange(ds, dh);
      deltas.addAll(m.hashes, ds, dh, 0);
      seenFlags.delete(id);
    };
    if (mode === 'forget') {
      if (seen) unlearn(seen);
      results.push(seen ? 'learned' : 'not-learned');
      continue;
    }
    if (m.ignored) {
      results.push('skipped');
      continue;
    }
    const flag: SeenFlag = mode === 'spam' ? 's' : 'h';
    if (seen) {
      if (seen[1] === flag || opts.noRelearn) {
        results.push('skipped');
        continue;
      }
      unlearn(seen); // learned as the other class: forget it first
    }
    const spam = mode === 'spam';
    w.countsChange(spam ? 1 : 0, spam ? 0 : 1);
    deltas.addAll(m.hashes, spam ? 1 : 0, spam ? 0 : 1, m.atime);
    seenFlags.put(m.ids[0]!, flag);
    results.push('learned');
  }
  w.tokensChange(deltas);
  return results;
}

