/**
 * The auto-welcomelist's storage: per sender key (address, network, DKIM signer), the number of
 * messages seen and the sum of their scores. The AWL logic (awl.ts) talks only to this
 * interface, asynchronous so a server (PostgreSQL) fits as well as hamlet's SQLite file;
 * stores/registry.ts maps `auto_welcomelist_factory` to a backend.
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

/** What can be done to the list, alone or inside `atomically`. */
export interface AddrListOps {
  get(key: AddrKey): Promise<AddrEntry | undefined>;
  /** Count one more message with `score` (creating the entry). Atomic on its own. */
  addScore(key: AddrKey, score: number, now?: number): Promise<AddrEntry>;
  /** Set an entry to exactly these totals (creating it). */
  put(key: AddrKey, count: number, totalScore: number, now?: number): Promise<void>;
  /** Delete one entry; true when it existed. */
  remove(key: AddrKey): Promise<boolean>;
  /** Delete every entry of an address, any network (and any signer when `signedBy` is undefined); returns how many. */
  removeAddress(email: string, signedBy?: string): Promise<number>;
}

export interface AddrListStore extends AddrListOps {
  /** Where the list lives (a file path, or the module and database). */
  readonly location: string;
  /** Every entry, ordered by address then network. */
  entries(): Promise<AddrEntry[]>;
  /** Delete entries counted fewer than `minCount` times (`sa-awl --clean --min`); returns how many. */
  clean(minCount: number): Promise<number>;
  /**
   * Run `fn` as one transaction against other processes using the same store: reads through
   * `tx` see no other writer's changes until it returns (a read-modify-write such as the AWL's
   * check-then-add loses no updates); when `fn` throws, none of its changes stay.
   */
  atomically<T>(fn: (tx: AddrListOps) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}
