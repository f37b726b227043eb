/**
 * Learning and forgetting messages: each is tokenized outside the database lock
 * (prepareMessage), then applied by learn-batch.ts in one write transaction.
 */
import type { Message } from '../message/types';
import { applyBatch, type LearnOptions, type PreparedMessage } from './learn-batch';
import { bayesIgnores, type BayesIgnoreLists } from './ignore';
import { messageIds, receiveTime } from './message-info';
import type { BayesStore } from './store';
import { tokenHashes, type TokenizerConfig } from './tokenizer';

export { applyBatch, type LearnOptions, type LearnResult, type PreparedMessage } from './learn-batch';

/** Distinct 40-bit hashes of a message's tokens. */
export function messageHashes(msg: Message, conf: TokenizerConfig): number[] {
  return tokenHashes(msg, conf);
}

/** A message's ids, token hashes and time; with `ignore`, whether those lists exclude it from learning. */
export function prepareMessage(msg: Message, conf: TokenizerConfig, now: number, ignore?: BayesIgnoreLists): PreparedMessage {
  const p = { ids: messageIds(msg), hashes: messageHashes(msg, conf), atime: receiveTime(msg, now) };
  return ignore && bayesIgnores(msg, ignore) ? { ...p, ignored: true } : p;
}

/** Learn one message as spam or ham (its own transaction). True when it changed the database. */
export async function learn(
  store: BayesStore,
  msg: Message,
  isSpam: boolean,
  conf: TokenizerConfig,
  opts: LearnOptions = {},
  ignore?: BayesIgnoreLists,
): Promise<boolean> {
  const now = opts.now ?? Math.floor(Date.now() / 1000);
  const prepared = prepareMessage(msg, conf, now, opts.useIgnores === false ? undefined : ignore);
  return (await applyBatch(store, [prepared], isSpam ? 'spam' : 'ham', opts))[0] === 'learned';
}

/** Forget a learned message. True when it had been learned. */
export async function forget(store: BayesStore, msg: Message, conf: TokenizerConfig, opts: LearnOptions = {}): Promise<boolean> {
  const now = opts.now ?? Math.floor(Date.now() / 1000);
  return (await applyBatch(store, [prepareMessage(msg, conf, now)], 'forget', opts))[0] === 'learned';
}
