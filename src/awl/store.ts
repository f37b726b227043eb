/**
 * The auto-welcomelist's storage: per sender key (address, network, DKIM
 * signer), the number of messages seen and the sum of their scores. The AWL
 * logic (awl.ts) talks only to this interface, so SQLite is the default store
 * and another can be added without touching it.
 */

/** Which entry: address (already lower-cased, see key.ts), network key, and signer ('' = unsigned or not distinguished). */
export interface AddrKey {
  readonly email: string;
  readonly ip: string;
  readonly signedBy?: string;
}

/** One sender's history. */
export interface AddrEntry {
  readonly email: string;
  readonly ip: string;
  readonly signedBy: string;
  /** Messages counted (SpamAssassin's `msgcount`). */
  readonly count: number;
  /** Sum of their scores (`totscore`). */
  readonly totalScore: number;
  /** Unix seconds of the last update. */
  readonly lastHit: number;
}

export interface AddrListStore {
  /** Where the list lives (a file path, or a description). */
  readonly location: string;
  get(key: AddrKey): AddrEntry | undefined;
  /** Count one more message with `score` (creating the entry). Atomic on its own. */
  addScore(key: AddrKey, score: number, now?: number): AddrEntry;
  /** Set an entry to exactly these totals (creating it). */
  put(key: AddrKey, count: number, totalScore: number, now?: number): void;
  /** Delete one entry; true when it existed. */
  remove(key: AddrKey): boolean;
  /** Delete every entry of an address, any network (and any signer when `signedBy` is undefined); returns how many. */
  removeAddress(email: string, signedBy?: string): number;
  /** Every entry, ordered by address then network. */
  entries(): AddrEntry[];
  /** Delete entries counted fewer than `minCount` times (`sa-awl --clean --min`); returns how many. */
  clean(minCount: number): number;
  /**
   * Run `fn` as one unit against other processes using the same store: reads
   * inside see no other writer's changes until it returns (a read-modify-write
   * such as the AWL's check-then-add loses no updates).
   */
  atomically<T>(fn: () => T): T;
  close(): void;
}
