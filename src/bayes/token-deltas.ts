/**
 * Token changes summed over a batch: 40-bit token hash -> (spam, ham, newest atime).
 *
 * An open-addressing table over typed arrays instead of a Map of objects: a learned
 * batch touches hundreds of thousands of token hashes, which are not small integers
 * (V8 boxes them as doubles as Map keys), and one object per token was a large part of
 * the main thread's time and garbage while learning.
 */

/**
 * The hashes are SHA-1 bits already, so their top bits index the table as they are; top
 * rather than low bits, so walking the table visits tokens in (nearly) ascending order.
 */
const slotOf = (h: number, mask: number): number => Math.floor(h * ((mask + 1) / 2 ** 40));

const EMPTY = -1;

export class TokenDeltas {
  private keys: Float64Array;
  private spam: Int32Array;
  private ham: Int32Array;
  private atime: Float64Array;
  private mask: number;
  private count = 0;

  constructor(expected = 1024) {
    let cap = 16;
    while (cap < expected * 2) cap *= 2;
    this.mask = cap - 1;
    this.keys = new Float64Array(cap).fill(EMPTY);
    this.spam = new Int32Array(cap);
    this.ham = new Int32Array(cap);
    this.atime = new Float64Array(cap);
  }

  /** Distinct tokens held. */
  get size(): number {
    return this.count;
  }

  /**
   * Add (ds, dh) to each of `hashes`, raising their atime to `atime`. The loop of `add` written out
   * over local copies of the table (room for every hash made first): it runs for each hash of
   * each learned message, and was the largest part of hamlet-learn's main-thread CPU.
   */
  addAll(hashes: ArrayLike<number>, ds: number, dh: number, atime: number): void {
    while ((this.count + hashes.length) * 2 > this.keys.length) this.grow();
    const { keys, spam, ham, mask } = this;
    const times = this.atime;
    const scale = (mask + 1) / 2 ** 40;
    let count = this.count;
    for (let j = 0; j < hashes.length; j++) {
      const h = hashes[j]!;
      let i = Math.floor(h * scale);
      for (;;) {
        const k = keys[i]!;
        if (k === h) break;
        if (k === EMPTY) {
          keys[i] = h;
          count++;
          break;
        }
        i = (i + 1) & mask;
      }
      spam[i]! += ds;
      ham[i]! += dh;
      if (atime > times[i]!) times[i] = atime;
    }
    this.count = count;
  }

  add(h: number, ds: number, dh: number, atime: number): void {
    if ((this.count + 1) * 2 > this.keys.length) this.grow();
    const { keys, mask } = this;
    let i = slotOf(h, mask);
    for (;;) {
      const k = keys[i]!;
      if (k === h) break;
      if (k === EMPTY) {
        keys[i] = h;
        this.count++;
        break;
      }
      i = (i + 1) & mask;
    }
    this.spam[i]! += ds;
    this.ham[i]! += dh;
    if (atime > this.atime[i]!) this.atime[i] = atime;
  }

  /** The change to one token, or undefined when the batch does not touch it. */
  get(h: number): { spam: number; ham: number; atime: number } | undefined {
    const { keys, mask } = this;
    for (let i = slotOf(h, mask); ; i = (i + 1) & mask) {
      const k = keys[i]!;
      if (k === h) return { spam: this.spam[i]!, ham: this.ham[i]!, atime: this.atime[i]! };
      if (k === EMPTY) return undefined;
    }
  }

  /**
   * Each token's change, in nearly ascending hash order (the table's order): SQLite
   * inserts into its b-tree faster in key order, since neighbouring rows share pages.
   */
  forEach(fn: (h: number, spam: number, ham: number, atime: number) => void): void {
    const { keys, spam, ham, atime } = this;
    for (let i = 0; i < keys.length; i++) {
      const h = keys[i]!;
      if (h !== EMPTY) fn(h, spam[i]!, ham[i]!, atime[i]!);
    }
  }

  private grow(): void {
    const { keys, spam, ham, atime } = this;
    const cap = keys.length * 2;
    this.mask = cap - 1;
    this.keys = new Float64Array(cap).fill(EMPTY);
    this.spam = new Int32Array(cap);
    this.ham = new Int32Array(cap);
    this.atime = new Float64Array(cap);
    for (let j = 0; j < keys.length; j++) {
      const h = keys[j]!;
      if (h === EMPTY) continue;
      let i = slotOf(h, this.mask);
      while (this.keys[i] !== EMPTY) i = (i + 1) & this.mask;
      this.keys[i] = h;
      this.spam[i] = spam[j]!;
      this.ham[i] = ham[j]!;
      this.atime[i] = atime[j]!;
    }
  }
}
