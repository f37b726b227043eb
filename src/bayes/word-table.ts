/**
 * A string-keyed hash table that can also be probed with a byte range, so a word found in
 * a line buffer is looked up without first being made into a string (most words of a mail
 * stream are repeats; building a string for each costs an allocation and V8's hashing).
 * Keys are binary strings (char codes 0-255). Open addressing, linear probing.
 */
export class WordTable<V> {
  private keys: Array<string | undefined> = new Array<string | undefined>(1024).fill(undefined);
  private vals: Array<V | undefined> = new Array<V | undefined>(1024).fill(undefined);
  private codes = new Int32Array(1024);
  private mask = 1023;
  private count = 0;

  /** The value for `b[s..e)`, whose `hashBytes` is `h`. */
  getBytes(b: Uint8Array, s: number, e: number, h: number): V | undefined {
    const len = e - s;
    for (let i = h & this.mask; ; i = (i + 1) & this.mask) {
      const k = this.keys[i];
      if (k === undefined) return undefined;
      if (this.codes[i] === h && k.length === len && sameBytes(k, b, s, len)) return this.vals[i];
    }
  }

  /** The value for `key`, whose `hashString` is `h`. */
  get(key: string, h: number): V | undefined {
    for (let i = h & this.mask; ; i = (i + 1) & this.mask) {
      const k = this.keys[i];
      if (k === undefined) return undefined;
      if (this.codes[i] === h && k === key) return this.vals[i];
    }
  }

  /** Adds a key that is not in the table. */
  add(key: string, h: number, v: V): void {
    if (++this.count * 2 > this.mask) this.grow();
    let i = h & this.mask;
    while (this.keys[i] !== undefined) i = (i + 1) & this.mask;
    this.keys[i] = key;
    this.vals[i] = v;
    this.codes[i] = h;
  }

  private grow(): void {
    const { keys, vals, codes } = this;
    const size = (this.mask + 1) * 2;
    this.keys = new Array<string | undefined>(size).fill(undefined);
    this.vals = new Array<V | undefined>(size).fill(undefined);
    this.codes = new Int32Array(size);
    this.mask = size - 1;
    for (let j = 0; j < keys.length; j++) {
      const k = keys[j];
      if (k === undefined) continue;
      let i = codes[j]! & this.mask;
      while (this.keys[i] !== undefined) i = (i + 1) & this.mask;
      this.keys[i] = k;
      this.vals[i] = vals[j];
      this.codes[i] = codes[j]!;
    }
  }
}

function sameBytes(k: string, b: Uint8Array, s: number, len: number): boolean {
  for (let j = 0; j < len; j++) if (k.charCodeAt(j) !== b[s + j]) return false;
  return true;
}

/** FNV-1a over bytes `b[s..e)`. */
export function hashBytes(b: Uint8Array, s: number, e: number): number {
  let h = 0x811c9dc5 | 0;
  for (let i = s; i < e; i++) h = Math.imul(h ^ b[i]!, 0x01000193);
  return h;
}

/** FNV-1a over a binary string's char codes: equal to `hashBytes` of the same bytes. */
export function hashString(s: string): number {
  let h = 0x811c9dc5 | 0;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h;
}
