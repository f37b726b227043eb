/**
 * Bayes as a library. A typical caller (the CLI, the scanner, auto-learn):
 *
 *   const settings = bayesSettings(rules.options);
 *   const store = openBayesStore(settings);            // bayes_store_module: <bayes_path>.sqlite by default
 *   await learn(store, msg, true, settings);            // learn as spam
 *   const v = await classify(store, msg, settings);     // { probability, ... } or undefined
 *   await store.close();
 */
import type { Message } from '../message/types';
import type { BayesFamiliarity, ScanBayes } from '../engine/types';
import { classifyLookup, type BayesVerdict } from './classifier';
import { familiarityOf } from './familiarity';
import { bodyFirstTokenHashes } from './tokenizer';
import { forget as forgetTokens, learn as learnTokens, messageHashes, type LearnOptions } from './learner';
import { bayesIgnores } from './ignore';
import { receiveTime } from './message-info';
import type { BayesSettings } from './settings';
import type { BayesStore } from './store';

export { bayesDbFile, bayesBackend, bayesBackendIsFile, openBayesStore, type BayesOpenOptions } from './open-store';
export { bayesSettings, type BayesSettings, type OptionSource } from './settings';
export type { BayesStore, BayesWriter, StoreVars, TokenCounts, TokenLookup } from './store';
export { classifyLookup, type BayesVerdict, type FoundTokens, type UsedToken } from './classifier';
export { BayesError, type BayesErrorCode } from './errors';
export { applyBatch, prepareMessage, type PreparedMessage, type LearnOptions, type LearnResult } from './learner';
export { expireOldTokens, expiryDue, type ExpiryOptions, type ExpiryResult } from './expiry';
export { backup, restore, dumpMagic, dumpData } from './backup';
export { tokenize } from './tokenizer';
export { tokenHash, hashToHex } from './hash';

/** Learn one message (its own transaction). True when the database changed. */
export function learn(store: BayesStore, msg: Message, isSpam: boolean, settings: BayesSettings, opts: LearnOptions = {}): Promise<boolean> {
  return learnTokens(store, msg, isSpam, settings.tokenizer, opts, settings.ignore);
}

/** Forget one learned message. True when it had been learned. */
export function forget(store: BayesStore, msg: Message, settings: BayesSettings, opts: LearnOptions = {}): Promise<boolean> {
  return forgetTokens(store, msg, settings.tokenizer, opts);
}

/** Is there enough training to classify (bayes_min_spam_num / bayes_min_ham_num)? */
export async function canClassify(store: BayesStore, settings: BayesSettings): Promise<boolean> {
  if (!settings.useBayes) return false;
  const v = await store.messageCounts();
  return v.nspam >= settings.minSpam && v.nham >= settings.minHam;
}

export interface ClassifyOptions {
  /** Stamp the significant tokens with the message time (SpamAssassin does; needs a writable store). Default: when writable. */
  touch?: boolean;
  now?: number;
}

/** Bayes as the scanner reads it (ScanOptions['bayes']): one message's answer, already read. */
export interface BayesScanner extends ScanBayes {
  available(): boolean;
}

/**
 * The scanner's Bayes view of one message, from one store read: for callers that scan outside
 * the check pipeline (hamlet-rescore, the accuracy bench).
 */
export async function bayesForMessage(store: BayesStore, msg: Message, settings: BayesSettings, opts: ClassifyOptions = {}): Promise<BayesScanner> {
  const a = await classifyForScan(store, msg, settings, opts);
  return { available: () => a.available, probability: () => a.verdict?.probability, familiarity: () => a.familiarity };
}

/** What a scan needs from Bayes, from one store read. */
export interface BayesScanAnswer {
  /** The BAYES_ rules run (score set 2 or 3): `use_bayes_rules` and enough training. */
  readonly available: boolean;
  /** The verdict, when Bayes gives one (trained, not on bayes_ignore_*, known tokens). */
  readonly verdict: BayesVerdict | undefined;
  /** How much of the message the database knows (trained and not ignored only), worked out when first read. */
  readonly familiarity?: BayesFamiliarity;
}

/**
 * Classify for a scan with one store round trip: the message counts come with the token counts
 * (a server store answers both in one query). The check pipeline starts this early and
 * harvests it before the local rules.
 */
export async function classifyForScan(store: BayesStore, msg: Message, settings: BayesSettings, opts: ClassifyOptions = {}): Promise<BayesScanAnswer> {
  if (!settings.useBayes) return { available: false, verdict: undefined };
  const ignored = bayesIgnores(msg, settings.ignore);
  const { hashes, bodyCount } = ignored ? { hashes: [], bodyCount: 0 } : bodyFirstTokenHashes(msg, settings.tokenizer);
  const found = await store.lookup(hashes);
  const trained = found.nspam >= settings.minSpam && found.nham >= settings.minHam;
  const verdict = trained && !ignored ? classifyLookup(found, hashes.length) : undefined;
  if (verdict && (opts.touch ?? true) && !store.readonly) {
    const now = opts.now ?? Math.floor(Date.now() / 1000);
    store.touchLater(
      verdict.used.map((t) => t.hash),
      Math.min(receiveTime(msg, now), now),
    );
  }
  // Only rules reading it (check_bayes_unfamiliar) need the familiarity: counted on first read.
  let familiarity: BayesFamiliarity | undefined | null = trained && !ignored ? null : undefined;
  return {
    available: settings.useBayesRules && trained,
    verdict,
    get familiarity() {
      if (familiarity === null) familiarity = familiarityOf(found, hashes, bodyCount);
      return familiarity;
    },
  };
}

/**
 * The message's spam probability, or undefined when Bayes gives no verdict
 * (too little training, no known tokens).
 */
export async function classify(store: BayesStore, msg: Message, settings: BayesSettings, opts: ClassifyOptions = {}): Promise<BayesVerdict | undefined> {
  return (await classifyForScan(store, msg, settings, opts)).verdict;
}

/** The distinct token hashes classification looks up (and learning counts). */
export function bayesTokens(msg: Message, settings: BayesSettings): number[] {
  return messageHashes(msg, settings.tokenizer);
}
