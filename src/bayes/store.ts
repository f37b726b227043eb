/**
 * The Bayes store interface: what the classifier, learner, expiry and backup need
 * from a token database. SQLite (sqlite-store.ts) is the default; another backend
 * implements this without touching the classifier.
 *
 * Tokens are 40-bit hashes (JS numbers). Counts are per message, not per occurrence.
 */
import type { TokenDeltas } from './token-deltas';

/** One token's counts. */
export interface TokenCounts {
  spam: number;
  ham: number;
  atime: number;
}

/** The store-wide counters `--dump magic` prints. */
export interface StoreVars {
  dbVersion: number;
  nspam: number;
  nham: number;
  ntokens: number;
  oldestAtime: number;
  newestAtime: number;
  lastJournalSync: number;
  lastExpire: number;
  lastAtimeDelta: number;
  lastExpireReduce: number;
}

export type SeenFlag = 's' | 'h';

/**
 * What classifying one message reads, from one snapshot: the message counts and the counts of
 * those of its tokens the store knows (`hashes[i]` was seen in `spam[i]` spam and `ham[i]` ham
 * messages), in any order.
 */
export interface TokenLookup {
  nspam: number;
  nham: number;
  hashes: number[];
  spam: number[];
  ham: number[];
}

/** What a write transaction can do. Everything in one `write` call commits or fails together. */
export interface BayesWriter {
  seenGet(msgid: string): SeenFlag | undefined;
  seenPut(msgid: string, flag: SeenFlag): void;
  seenDelete(msgid: string): void;
  /** Add to nspam/nham. */
  countsChange(dspam: number, dham: number): void;
  /** Apply token changes; tokens whose counts fall to zero are removed. */
  tokensChange(deltas: TokenDeltas): void;
  setVar(name: 'lastExpire' | 'lastAtimeDelta' | 'lastExpireReduce', value: number): void;
  /** Number of tokens with atime < cutoff, for expiry's atime search. */
  countOlderThan(cutoff: number): number;
  /** Remove tokens with atime < cutoff; returns how many. */
  deleteOlderThan(cutoff: number): number;
  /** Remove the `n` least recently used tokens; returns how many. */
  deleteOldest(n: number): number;
  /** Replace the whole database (restore). */
  replaceAll(vars: { nspam: number; nham: number }, tokens: Iterable<[number, TokenCounts]>, seen: Iterable<[string, SeenFlag]>): void;
  /** Empty the database. */
  clear(): void;
}

export interface BayesStore {
  readonly path: string;
  readonly readonly: boolean;
  vars(): StoreVars;
  /** nspam and nham only (cheap: what every classification reads). */
  messageCounts(): { nspam: number; nham: number };
  /** Counts for the given tokens (absent ones are left out). */
  getTokens(hashes: readonly number[]): Map<number, TokenCounts>;
  /**
   * Everything a classification reads, in one request: the message counts and the counts of
   * `hashes` (distinct). SQLite answers with one statement on one snapshot; a server backend
   * (PostgreSQL, Redis) answers it in one round trip. Synchronous because the scan is: see
   * "The asynchronous seam" in index.ts for how a network store fits.
   */
  lookup(hashes: readonly number[]): TokenLookup;
  /**
   * Raise the atimes of tokens a verdict used, now or later (stores gather these stamps and
   * write them together, as SpamAssassin's journal does: they only steer expiry). A read-only
   * store ignores them.
   */
  touchLater(hashes: readonly number[], atime: number): void;
  /** Every token, for dumps and backups. */
  allTokens(): IterableIterator<[number, TokenCounts]>;
  allSeen(): IterableIterator<[string, SeenFlag]>;
  seenGet(msgid: string): SeenFlag | undefined;
  /** Run `fn` in one write transaction (busy-waiting on other writers up to the timeout); pending atime stamps go with it. */
  write<T>(fn: (w: BayesWriter) => T): T;
  /** Write pending atime stamps, then close. */
  close(): void;
}

/** The Bayes database format version hamlet reports and writes into backups (SpamAssassin's is 3). */
export const DB_VERSION = 3;
