/**
 * A hash table of byte-string keys, held in typed arrays: the keys' bytes in one arena and
 * the slots in an Int32Array, so a table of a few hundred thousand words or tokens is no
 * work for the garbage collector (a JS object per entry is copied by every young-generation
 * collection until promoted, which cost a fresh learning process more than the lookups).
 * Words are looked up straight from a line buffer, without making a string.
 *
 * Each key gets a dense id (0, 1, 2, ... in insertion order) for callers' per-key columns.
 * A key also carries a small integer tag (which word cache it belongs to), so one table
 * holds several key spaces. Open addressing, linear probing.
 */
export class ByteTable {
  /** Per slot: the key's hash, then its id + 1 (0: empty). */
  private slots: Int32Array;
  private mask: number;
  /** Per id: where its key starts in `arena`; `starts[id + 1]` is where it ends. */
  private starts: Int32Array;
  private tags: Int32Array;
  private arena: Uint8Array;
  /** Number of keys (the next id). */
  count = 0;

  /** Sized for `keys` keys (of about 12 bytes) before it first grows: growing rehashes every key. */
  constructor(keys = 512) {
    let size = 16;
    while (size < keys * 2) size *= 2;
    this.slots = new Int32Array(size * 2);
    this.mask = size - 1;
    this.starts = new Int32Array(keys + 1);
    this.tags = new Int32Array(keys + 1);
    this.arena = new Uint8Array(keys * 12);
  }

  /** The id of `b[s..e)` under `tag`, whose `hashBytes` is `h`; -1 when absent. */
  find(b: Uint8Array, s: number, e: number, h: number, tag = 0): number {
    const slots = this.slots;
    const mask = this.mask;
    for (let i = h & mask; ; i = (i + 1) & mask) {
      const id = slots[2 * i + 1]! - 1;
      if (id < 0) return -1;
      if (slots[2 * i] === h && this.tags[id] === tag && this.sameKey(id, b, s, e)) return id;
    }
  }

  /** Adds `b[s..e)` under `tag` (not in the table yet; `h` is its `hashBytes`) and returns its id. */
  insert(b: Uint8Array, s: number, e: number, h: number, tag = 0): number {
    const id = this.count++;
    if (this.count * 2 > this.mask) this.grow();
    if (id + 2 > this.starts.length) {
      this.starts = grownInt32(this.starts, id + 2);
      this.tags = grownInt32(this.tags, id + 2);
    }
    const at = this.starts[id]!;
    const end = at + (e - s);
    if (end > this.arena.length) this.arena = grownBytes(this.arena, end);
    const arena = this.arena;
    for (let j = s; j < e; j++) arena[at + j - s] = b[j]!;
    this.starts[id + 1] = end;
    this.tags[id] = tag;
    this.place(h, id);
    return id;
  }

  /** The key of `id` as a binary string. */
  key(id: number): string {
    const a = this.starts[id]!;
    return Buffer.from(this.arena.buffer, this.arena.byteOffset + a, this.starts[id + 1]! - a).toString('latin1');
  }

  /** Empties the table (keeping its capacity). */
  clear(): void {
    this.slots.fill(0);
    this.count = 0;
  }

  private sameKey(id: number, b: Uint8Array, s: number, e: number): boolean {
    const a = this.starts[id]!;
    if (this.starts[id + 1]! - a !== e - s) return false;
    const arena = this.arena;
    for (let j = s; j < e; j++) if (arena[a + j - s] !== b[j]) return false;
    return true;
  }

  private place(h: number, id: number): void {
    const slots = this.slots;
    let i = h & this.mask;
    while (slots[2 * i + 1] !== 0) i = (i + 1) & this.mask;
    slots[2 * i] = h;
    slots[2 * i + 1] = id + 1;
  }

  private grow(): void {
    const old = this.slots;
    const size = (this.mask + 1) * 2;
    this.slots = new Int32Array(size * 2);
    this.mask = size - 1;
    for (let j = 0; j < old.length; j += 2) if (old[j + 1] !== 0) this.place(old[j]!, old[j + 1]! - 1);
  }
}

/** `a` copied into an array of at least `n` (doubling), for per-id columns. */
export function grownInt32(a: Int32Array, n: number): Int32Array {
  const b = new Int32Array(Math.max(n, a.length * 2));
  b.set(a);
  return b;
}

export function grownFloat64(a: Float64Array, n: number): Float64Array {
  const b = new Float64Array(Math.max(n, a.length * 2));
  b.set(a);
  return b;
}

function grownBytes(a: Uint8Array, n: number): Uint8Array {
  const b = new Uint8Array(Math.max(n, a.length * 2));
  b.set(a);
  return b;
}

let scratch: Uint8Array = new Uint8Array(1024);

/**
 * A binary string's bytes, written at `at` into a buffer that is reused by the next call
 * (bytes before `at` are kept, so parts can be written one after another).
 */
export function stringBytes(s: string, at = 0): Uint8Array {
  if (scratch.length < at + s.length) scratch = grownBytes(scratch, at + s.length);
  const b = scratch;
  for (let i = 0; i < s.length; i++) b[at + i] = s.charCodeAt(i);
  return b;
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
