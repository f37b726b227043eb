/**
 * Learning and forgetting: messages are tokenized outside the database lock, then
 * each batch is applied in one write transaction (seen-ids, message counts and
 * token counts together), so a crash leaves the last committed batch.
 *
 * As SpamAssassin: a message already learned as the same class is skipped; one
 * learned as the other class is forgotten first (unless `noRelearn`).
 */
import type { Message } from '../message/types';
import { messageIds, receiveTime } from './message-info';
import type { BayesStore, BayesWriter, SeenFlag, TokenDelta } from './store';
import { tokenHashes, type TokenizerConfig } from './tokenizer';

/** A message ready to apply: its ids, token hashes and receive time. */
export interface PreparedMessage {
  readonly ids: readonly string[];
  readonly hashes: readonly number[];
  readonly atime: number;
}

export interface LearnOptions {
  /** Current time in seconds (tests pass a fixed clock). */
  now?: number;
  /** Do not move a message learned as the other class (SpamAssassin's `learn_no_relearn`). */
  noRelearn?: boolean;
}

/** Distinct 40-bit hashes of a message's tokens. */
export function messageHashes(msg: Message, conf: TokenizerConfig): number[] {
  return tokenHashes(msg, conf);
}

export function prepareMessage(msg: Message, conf: TokenizerConfig, now: number): PreparedMessage {
  return { ids: messageIds(msg), hashes: messageHashes(msg, conf), atime: receiveTime(msg, now) };
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

/** Learn one message as spam or ham (its own transaction). True when it changed the database. */
export function learn(store: BayesStore, msg: Message, isSpam: boolean, conf: TokenizerConfig, opts: LearnOptions = {}): boolean {
  const now = opts.now ?? Math.floor(Date.now() / 1000);
  return applyBatch(store, [prepareMessage(msg, conf, now)], isSpam ? 'spam' : 'ham', opts)[0] === 'learned';
}

/** Forget a learned message. True when it had been learned. */
export function forget(store: BayesStore, msg: Message, conf: TokenizerConfig, opts: LearnOptions = {}): boolean {
  const now = opts.now ?? Math.floor(Date.now() / 1000);
  return applyBatch(store, [prepareMessage(msg, conf, now)], 'forget', opts)[0] === 'learned';
}
