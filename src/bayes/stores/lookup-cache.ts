/**
 * Token counts a SQLite connection read for earlier classifications, kept while the file has not
 * changed: most of a message's tokens were in an earlier message too (about 3 in 4 over the TEST
 * mail), so a scan asks SQLite only for the rest. The cache is emptied whenever the database may
 * have changed: another connection committed (`PRAGMA data_version` moved) or this one wrote.
 * Tokens the database does not hold are remembered too, as absent.
 */
import type { TokenLookup } from '../store';

/** Entries (tokens, known or absent) before the cache is emptied: about 3 MB of Map. */
export const LOOKUP_CACHE_LIMIT = 100_000;

/** `spam * 2^32 + ham` (counts stay far below 2^21 messages), or ABSENT. */
const ABSENT = -1;
const HIGH = 0x100000000;

export class LookupCache {
  private readonly counts = new Map<number, number>();
  /** The data_version the entries were read under; undefined: nothing read yet. */
  private version: number | undefined;
  private nspam = 0;
  private nham = 0;

  constructor(private readonly limit = LOOKUP_CACHE_LIMIT) {}

  get size(): number {
    return this.counts.size;
  }

  /** Forget everything (this connection wrote, or the file changed). */
  clear(): void {
    this.counts.clear();
    this.version = undefined;
  }

  /**
   * Answer `hashes` from the cache where it can; `read` gets the hashes it cannot (possibly none,
   * when the message counts are not cached either) and answers them from the database.
   * `dataVersion` is the connection's current `PRAGMA data_version`.
   */
  lookup(hashes: readonly number[], dataVersion: number, read: (missing: readonly number[]) => TokenLookup): TokenLookup {
    if (dataVersion !== this.version || this.counts.size > this.limit) this.clear();
    const out: TokenLookup = { nspam: this.nspam, nham: this.nham, hashes: [], spam: [], ham: [] };
    const missing: number[] = [];
    for (const h of hashes) {
      const c = this.counts.get(h);
      if (c === undefined) missing.push(h);
      else if (c !== ABSENT) {
        out.hashes.push(h);
        out.spam.push(Math.floor(c / HIGH));
        out.ham.push(c % HIGH);
      }
    }
    if (missing.length === 0 && this.version !== undefined) return out;
    const got = read(missing);
    this.version = dataVersion;
    this.nspam = out.nspam = got.nspam;
    this.nham = out.nham = got.nham;
    for (const h of missing) this.counts.set(h, ABSENT);
    for (let i = 0; i < got.hashes.length; i++) {
      this.counts.set(got.hashes[i]!, got.spam[i]! * HIGH + got.ham[i]!);
      out.hashes.push(got.hashes[i]!);
      out.spam.push(got.spam[i]!);
      out.ham.push(got.ham[i]!);
    }
    return out;
  }
}
