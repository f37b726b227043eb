/**
 * Token atimes a scan asks to raise, held back and written together. Classifying stamps the
 * tokens it used with the message time (SpamAssassin does, through its journal), which only
 * steers expiry; one write transaction per scanned message cost about as much as the look-up
 * itself, so stores gather the stamps and write them every few hundred messages, with the next
 * learned batch, or on close.
 */

/**
 * Distinct tokens held before a write is due (a few hundred scanned messages, or TOUCH_FLUSH_MS;
 * about 1 MB). A write's cost follows the pages it dirties, and a few thousand stamps already
 * touch most pages of a trained database: scanning 1,016 TEST messages three times, stamps cost
 * 0.55 ms of CPU per message written every 2,000 tokens and 0.11 ms every 20,000.
 */
export const TOUCH_FLUSH_TOKENS = 20000;
/** A stamp waits at most this long (ms) for others before a write is due. */
export const TOUCH_FLUSH_MS = 10_000;

export class TouchBuffer {
  /** hash -> the highest atime asked for. */
  private pending = new Map<number, number>();
  private since = 0;

  constructor(private readonly clock: () => number = Date.now) {}

  get size(): number {
    return this.pending.size;
  }

  /** Remember `atime` for `hashes`; true when a write is now due. */
  add(hashes: readonly number[], atime: number): boolean {
    if (this.pending.size === 0) this.since = this.clock();
    for (const h of hashes) {
      const prev = this.pending.get(h);
      if (prev === undefined || prev < atime) this.pending.set(h, atime);
    }
    return this.pending.size >= TOUCH_FLUSH_TOKENS || this.clock() - this.since >= TOUCH_FLUSH_MS;
  }

  /**
   * Hand the pending stamps to `write`, grouped by atime (atime -> hashes), and forget them
   * (even when `write` throws: they only steer expiry).
   */
  drain(write: (byAtime: ReadonlyMap<number, readonly number[]>) => void): void {
    if (this.pending.size === 0) return;
    const byAtime = new Map<number, number[]>();
    for (const [h, atime] of this.pending) {
      const list = byAtime.get(atime);
      if (list) list.push(h);
      else byAtime.set(atime, [h]);
    }
    this.pending = new Map();
    write(byAtime);
  }
}
