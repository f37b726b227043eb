/**
 * The Bayes store interface: what the classifier, learner, expiry and backup need from a token
 * database, asynchronous at the seam so a server (PostgreSQL, Redis) fits as well as a file.
 * SQLite (stores/sqlite.ts, synchronous underneath) is the default; stores/registry.ts maps
 * `bayes_store_module` to a backend, and callers never see which one they have.
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

/** The atime-bookkeeping variables expiry writes. */
export type ExpiryVar = 'lastExpire' | 'lastAtimeDelta' | 'lastExpireReduce';

/**
 * What a write transaction can do. Everything in one `write` call commits or fails together.
 * Changes return nothing: a server store may queue them and send them together (before the next
 * read of the same transaction, which sees them, and at commit); reads return promises.
 */
export interface BayesWriter {
  /** The stored flags of those of `ids` that were learned. */
  seenGet(ids: readonly string[]): Promise<Map<string, SeenFlag>>;
  seenPut(msgid: string, flag: SeenFlag): void;
  seenDelete(msgid: string): void;
  /** Add to nspam/nham. */
  countsChange(dspam: number, dham: number): void;
  /** Apply token changes; tokens whose counts fall to zero are removed. */
  tokensChange(deltas: TokenDeltas): void;
  setVar(name: ExpiryVar, value: number): void;
  /** The counters as this transaction sees them. */
  vars(): Promise<StoreVars>;
  /** Number of tokens with atime < cutoff, for expiry's atime search. */
  countOlderThan(cutoff: number): Promise<number>;
  /** Remove tokens with atime < cutoff; returns how many. */
  deleteOlderThan(cutoff: number): Promise<number>;
  /** Remove the `n` least recently used tokens; returns how many. */
  deleteOldest(n: number): Promise<number>;
  /** Replace the whole database (restore). */
  replaceAll(vars: { nspam: number; nham: number }, tokens: Iterable<[number, TokenCounts]>, seen: Iterable<[string, SeenFlag]>): Promise<void>;
  /** Empty the database. */
  clear(): Promise<void>;
}

export interface BayesStore {
  /** Where the data lives, for messages: a file path, or the module and database. */
  readonly location: string;
  readonly readonly: boolean;
  vars(): Promise<StoreVars>;
  /** nspam and nham only. */
  messageCounts(): Promise<{ nspam: number; nham: number }>;
  /**
   * Everything a classification reads, in one request: the message counts and the counts of
   * `hashes` (distinct). SQLite answers with one statement on one snapshot; a server backend
   * answers it in one round trip.
   */
  lookup(hashes: readonly number[]): Promise<TokenLookup>;
  /**
   * Raise the atimes of tokens a verdict used, now or later (stores gather these stamps and
   * write them together, as SpamAssassin's journal does: they only steer expiry). A read-only
   * store ignores them. Never throws: a failed write only loses stamps.
   */
  touchLater(hashes: readonly number[], atime: number): void;
  /** Every token, for dumps and backups. */
  allTokens(): AsyncIterable<[number, TokenCounts]>;
  allSeen(): AsyncIterable<[string, SeenFlag]>;
  /**
   * Run `fn` in one write transaction (waiting for other writers up to the store's timeout);
   * pending atime stamps go with it. When `fn` throws, nothing of it is written.
   */
  write<T>(fn: (w: BayesWriter) => Promise<T>): Promise<T>;
  /** Write pending atime stamps, then close (a pool: end its connections). */
  close(): Promise<void>;
}

/** The Bayes database format version hamlet reports and writes into backups (SpamAssassin's is 3). */
export const DB_VERSION = 3;
