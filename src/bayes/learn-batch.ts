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
import type { BayesStore, BayesWriter, SeenFlag, TokenDelta } from './store';

/** A message ready to apply: its ids, token hashes and receive time. */
export interface PreparedMessage {
  readonly ids: readonly string[];
  readonly hashes: readonly number[];
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

function addDeltas(deltas: Map<number, TokenDelta>, hashes: readonly number[], ds: number, dh: number, atime: number): void {
  for (const h of hashes) {
    const d = deltas.get(h);
    if (d) {
      d.spam += ds;
      d.ham += dh;
      if (atime > d.atime) d.atime = atime;
    } else deltas.set(h, { spam: ds, ham: dh, atime });
  }
}

/** The stored flag of the first of `ids` that was seen, with that id. */
function findSeen(w: BayesWriter, ids: readonly string[]): [string, SeenFlag] | undefined {
  for (const id of ids) {
    const f = w.seenGet(id);
    if (f === 's' || f === 'h') return [id, f];
  }
  return undefined;
}

/** Outcome of one message: learned, skipped (already known as that class), or not known (forget). */
export type LearnResult = 'learned' | 'skipped' | 'not-learned';

/**
 * Apply prepared messages as one transaction. Returns a result per message.
 * `mode` is 'spam', 'ham' or 'forget'.
 */
export function applyBatch(store: BayesStore, batch: readonly PreparedMessage[], mode: 'spam' | 'ham' | 'forget', opts: LearnOptions = {}): LearnResult[] {
  return store.write((w) => {
    const deltas = new Map<number, TokenDelta>();
    const results: LearnResult[] = [];
    for (const m of batch) {
      const seen = findSeen(w, m.ids);
      /** Take back what learning the message as its stored class added. */
      const unlearn = ([id, flag]: [string, SeenFlag]): void => {
        const ds = flag === 's' ? -1 : 0;
        const dh = flag === 's' ? 0 : -1;
        w.countsChange(ds, dh);
        addDeltas(deltas, m.hashes, ds, dh, 0);
        w.seenDelete(id);
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
      addDeltas(deltas, m.hashes, spam ? 1 : 0, spam ? 0 : 1, m.atime);
      w.seenPut(m.ids[0]!, flag);
      results.push('learned');
    }
    w.tokensChange(deltas);
    return results;
  });
}

