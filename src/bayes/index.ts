/**
 * Bayes as a library. A typical caller (the CLI, the scanner, auto-learn):
 *
 *   const settings = bayesSettings(rules.options);
 *   const store = openBayesStore(settings);            // <bayes_path>.sqlite
 *   learn(store, msg, true, settings);                  // learn as spam
 *   const v = classify(store, msg, settings);           // { probability, ... } or undefined
 */
import type { Message } from '../message/types';
import { classifyLookup, type BayesVerdict } from './classifier';
import { forget as forgetTokens, learn as learnTokens, messageHashes, type LearnOptions } from './learner';
import { bayesIgnores } from './ignore';
import { receiveTime } from './message-info';
import type { BayesSettings } from './settings';
import type { BayesStore } from './store';

export { bayesDbFile, openBayesStore } from './open-store';
export { bayesSettings, type BayesSettings, type OptionSource } from './settings';
export type { BayesStore, StoreVars, TokenCounts, TokenLookup } from './store';
export { classifyLookup, type BayesVerdict, type FoundTokens, type UsedToken } from './classifier';
export { BayesError, type BayesErrorCode } from './errors';
export { applyBatch, prepareMessage, type PreparedMessage, type LearnOptions, type LearnResult } from './learner';
export { expireOldTokens, expiryDue, type ExpiryOptions, type ExpiryResult } from './expiry';
export { backup, restore, dumpMagic, dumpData } from './backup';
export { tokenize } from './tokenizer';
export { tokenHash, hashToHex } from './hash';

/** Learn one message (its own transaction). True when the database changed. */
export function learn(store: BayesStore, msg: Message, isSpam: boolean, settings: BayesSettings, opts: LearnOptions = {}): boolean {
  return learnTokens(store, msg, isSpam, settings.tokenizer, opts, settings.ignore);
}

/** Forget one learned message. True when it had been learned. */
export function forget(store: BayesStore, msg: Message, settings: BayesSettings, opts: LearnOptions = {}): boolean {
  return forgetTokens(store, msg, settings.tokenizer, opts);
}

/** Is there enough training to classify (bayes_min_spam_num / bayes_min_ham_num)? */
export function canClassify(store: BayesStore, settings: BayesSettings): boolean {
  const v = store.messageCounts();
  return settings.useBayes && v.nspam >= settings.minSpam && v.nham >= settings.minHam;
}

export interface ClassifyOptions {
  /** Stamp the significant tokens with the message time (SpamAssassin does; needs a writable store). Default: when writable. */
  touch?: boolean;
  now?: number;
}

/**
 * The message's spam probability, or undefined when Bayes gives no verdict
 * (too little training, no known tokens).
 *
 * The asynchronous seam: the scan is synchronous (check_bayes is an eval the scanner calls
 * mid-scan), so a store answers `lookup` synchronously, SQLite from its file. A network store
 * (PostgreSQL, Redis) would be asked before the scan instead, in one round trip per message:
 *
 *   const hashes = bayesTokens(msg, settings);
 *   const verdict = classifyLookup(await remote.lookup(hashes), hashes.length);
 *   scan(msg, rules, { bayes: { available: () => true, probability: () => verdict?.probability } });
 *
 * (then `touchLater` with the verdict's tokens; the minimum-training check reads the lookup's
 * nspam / nham), which needs no change to the scanner or the eval.
 */
export function classify(store: BayesStore, msg: Message, settings: BayesSettings, opts: ClassifyOptions = {}): BayesVerdict | undefined {
  if (!settings.useBayes || bayesIgnores(msg, settings.ignore)) return undefined;
  const hashes = bayesTokens(msg, settings);
  // One read: the message counts come with the token counts (callers have usually checked them already).
  const found = store.lookup(hashes);
  if (found.nspam < settings.minSpam || found.nham < settings.minHam) return undefined;
  const verdict = classifyLookup(found, hashes.length);
  if (verdict && (opts.touch ?? true) && !store.readonly) {
    const now = opts.now ?? Math.floor(Date.now() / 1000);
    store.touchLater(
      verdict.used.map((t) => t.hash),
      Math.min(receiveTime(msg, now), now),
    );
  }
  return verdict;
}

/** The distinct token hashes classification looks up (and learning counts). */
export function bayesTokens(msg: Message, settings: BayesSettings): number[] {
  return messageHashes(msg, settings.tokenizer);
}

/** What the scanner needs: is Bayes usable (score set 2/3), and the probability of one message. */
export interface BayesScanner {
  available(): boolean;
  probability(msg: Message): number | undefined;
}

/** A scanner view of a store. */
export function bayesScanner(store: BayesStore, settings: BayesSettings, opts: ClassifyOptions = {}): BayesScanner {
  return {
    available: () => settings.useBayesRules && canClassify(store, settings),
    probability: (msg) => classify(store, msg, settings, opts)?.probability,
  };
}
