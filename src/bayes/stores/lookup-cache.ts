/**
 * Token counts a SQLite connection read for earlier classifications, kept while the file has not
 * changed: most of a message's tokens were in an earlier message too (about 3 in 4 over the TEST
 * mail), so a scan asks SQLite only for the rest. The cache is emptied whenever the database may
 * have changed: another connection committed (`PRAGMA data_version` moved) or this one wrote.
 * Tokens the database does not hold are remembered too, as absent.
 *
 * The entries live in one open-addressing table of doubles that doubles up to its full size (4 MB
 * at the default bound) and then stays: a Map of this many number keys was 3-6 MB of V8 heap
 * rebuilt after every emptying, and the old generation's headroom around it made a server's
 * memory climb over a long run. The table is outside the V8 heap, so it costs the GC nothing.
 */
import type { TokenLookup } from '../store';

/** Entries (tokens, known or absent) before the cache is emptied (its table: 2^18 slots of 16 bytes). */
export const LOOKUP_CACHE_LIMIT = 100_000;

/** `spam * 2^32 + ham` (counts stay far below 2^21 messages), or ABSENT. */
const ABSENT = -1;
const HIGH = 0x100000000;

export class LookupCache {
  /** Slot i: key at 2i (hash + 1; 0 is an empty slot), counts at 2i + 1. */
  private table: Float64Array;
  private mask: number;
  /** 32 - log2(slots). */
  private shift: number;
  /** The table's full size (slots): at least twice the bound, so probes stay short. */
  private readonly maxSlots: number;
  /** The slots in use, so emptying touches only them (a connection that learns empties often). */
  private used: Int32Array;
  private count = 0;
  /** The data_version the entries were read under; undefined: nothing read yet. */
  private version: number | undefined;
  private nspam = 0;
  private nham = 0;

  constructor(private readonly limit = LOOKUP_CACHE_LIMIT) {
    let slots = 16;
    while (slots < 2 * limit) slots *= 2;
    this.maxSlots = slots;
    // A store that classifies a few messages (one user's, say) keeps a small table.
    ({ table: this.table, mask: this.mask, shift: this.shift, used: this.used } = LookupCache.alloc(Math.min(slots, 4096)));
  }

  private static alloc(slots: number): { table: Float64Array; mask: number; shift: number; used: Int32Array } {
    // A lookup may add past the bound while the table is under 3/4 full.
    return { table: new Float64Array(2 * slots), mask: slots - 1, shift: 32 - Math.log2(slots), used: new Int32Array((slots * 3) / 4) };
  }

  get size(): number {
    return this.count;
  }

  /** Forget everything (this connection wrote, or the file changed). */
  clear(): void {
    for (let i = 0; i < this.count; i++) this.table[2 * this.used[i]!] = 0;
    this.count = 0;
    this.version = undefined;
  }

  /** The slot holding `h`, or the empty slot where it would go. */
  private slot(h: number): number {
    const key = h + 1;
    // Both halves of the 40-bit hash, multiplied (Fibonacci hashing): the top bits index.
    let i = Math.imul((h >>> 0) ^ ((h / HIGH) >>> 0), 0x9e3779b1) >>> this.shift;
    for (;;) {
      const k = this.table[2 * i]!;
      if (k === key || k === 0) return i;
      i = (i + 1) & this.mask;
    }
  }

  /** Twice the slots, the entries moved over: only while under the full size, so a long run's table stops growing early. */
  private grow(): void {
    const old = this.table;
    const oldUsed = this.used.subarray(0, this.count);
    ({ table: this.table, mask: this.mask, shift: this.shift, used: this.used } = LookupCache.alloc(2 * (this.mask + 1)));
    this.count = 0;
    for (const j of oldUsed) {
      const i = this.slot(old[2 * j]! - 1);
      this.table[2 * i] = old[2 * j]!;
      this.table[2 * i + 1] = old[2 * j + 1]!;
      this.used[this.count++] = i;
    }
  }

  private set(h: number, value: number): void {
    let i = this.slot(h);
    if (this.table[2 * i] === 0) {
      if (this.count === this.used.length) return; // full until the next emptying
      if (2 * this.count >= this.mask + 1 && this.mask + 1 < this.maxSlots) {
        this.grow();
        i = this.slot(h);
      }
      this.table[2 * i] = h + 1;
      this.used[this.count++] = i;
    }
    this.table[2 * i + 1] = value;
  }

  /**
   * Answer `hashes` from the cache where it can; `read` gets the hashes it cannot (possibly none,
   * when the message counts are not cached either) and answers them from the database.
   * `dataVersion` is the connection's current `PRAGMA data_version`.
   */
  lookup(hashes: readonly number[], dataVersion: number, read: (missing: readonly number[]) => TokenLookup): TokenLookup {
    if (dataVersion !== this.version || this.count > this.limit) this.clear();
    const out: TokenLookup = { nspam: this.nspam, nham: this.nham, hashes: [], spam: [], ham: [] };
    const missing: number[] = [];
    const t = this.table;
    for (const h of hashes) {
      const i = 2 * this.slot(h);
      if (t[i] === 0) missing.push(h);
      else {
        const c = t[i + 1]!;
        if (c === ABSENT) continue;
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
    for (const h of missing) this.set(h, ABSENT);
    for (let i = 0; i < got.hashes.length; i++) {
      this.set(got.hashes[i]!, got.spam[i]! * HIGH + got.ham[i]!);
      out.hashes.push(got.hashes[i]!);
      out.spam.push(got.spam[i]!);
      out.ham.push(got.ham[i]!);
    }
    return out;
  }
}
