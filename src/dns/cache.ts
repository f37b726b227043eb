/**
 * The per-process answer cache: entries live for their TTL, and the cache holds at most
 * `maxEntries`, dropping the least recently used first (a Map keeps insertion order; a hit
 * moves its entry to the end).
 */

/** Milliseconds since some origin; injectable so tests can move time. */
export type Clock = () => number;

export class TtlCache<V> {
  private readonly entries = new Map<string, { value: V; expires: number }>();

  constructor(
    private readonly maxEntries: number,
    private readonly clock: Clock = Date.now,
  ) {}

  /** The live value under `key`, or undefined (an expired entry is dropped). */
  get(key: string): V | undefined {
    const e = this.entries.get(key);
    if (!e) return undefined;
    this.entries.delete(key);
    if (e.expires <= this.clock()) return undefined;
    this.entries.set(key, e);
    return e.value;
  }

  /** Keep `value` for `ttlSec` seconds; a TTL of 0 or less stores nothing. */
  set(key: string, value: V, ttlSec: number): void {
    if (!(ttlSec > 0) || this.maxEntries <= 0) return;
    this.entries.delete(key);
    this.entries.set(key, { value, expires: this.clock() + ttlSec * 1000 });
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value as string;
      this.entries.delete(oldest);
    }
  }

  get size(): number {
    return this.entries.size;
  }

  clear(): void {
    this.entries.clear();
  }
}
