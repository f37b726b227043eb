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
 *
 * A slot holds everything a look-up compares (hash, id, where the key's bytes start, its length
 * and tag), so a hit reads one slot and the key's bytes: with per-id columns it read three more
 * places in memory, and on a large table each is a cache miss.
 */
export class ByteTable {
  /** Per slot, SLOT ints: the key's hash, its id + 1 (0: empty), its start in `arena`, and LENGTH_TAG of it. */
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
    this.slots = new Int32Array(size * SLOT);
    this.mask = size - 1;
    this.starts = new Int32Array(keys + 1);
    this.tags = new Int32Array(keys + 1);
    this.arena = new Uint8Array(keys * 12);
  }

  /** The id of `b[s..e)` under `tag`, whose `hashBytes` is `h`; -1 when absent. */
  find(b: Uint8Array, s: number, e: number, h: number, tag = 0): number {
    const slots = this.slots;
    const mask = this.mask;
    const lt = lengthTag(e - s, tag);
    for (let i = h & mask; ; i = (i + 1) & mask) {
      const o = i * SLOT;
      const id = slots[o + 1]! - 1;
      if (id < 0) return -1;
      if (slots[o] !== h || slots[o + 3] !== lt) continue;
      // Both sides' length and tag fit LENGTH_TAG, or neither's does: then the columns say.
      if (lt === NO_LENGTH_TAG && (this.tags[id] !== tag || this.starts[id + 1]! - this.starts[id]! !== e - s)) continue;
      if (this.sameBytes(slots[o + 2]!, b, s, e)) return id;
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
    this.place(h, id, at, lengthTag(e - s, tag));
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

  /** Whether the key whose bytes start at `a` in the arena (of length e - s, checked already) is `b[s..e)`. */
  private sameBytes(a: number, b: Uint8Array, s: number, e: number): boolean {
    const arena = this.arena;
    for (let j = s; j < e; j++) if (arena[a + j - s] !== b[j]) return false;
    return true;
  }

  private place(h: number, id: number, at: number, lt: number): void {
    const slots = this.slots;
    let i = h & this.mask;
    while (slots[i * SLOT + 1] !== 0) i = (i + 1) & this.mask;
    const o = i * SLOT;
    slots[o] = h;
    slots[o + 1] = id + 1;
    slots[o + 2] = at;
    slots[o + 3] = lt;
  }

  private grow(): void {
    const old = this.slots;
    const size = (this.mask + 1) * 2;
    this.slots = new Int32Array(size * SLOT);
    this.mask = size - 1;
    for (let o = 0; o < old.length; o += SLOT) if (old[o + 1] !== 0) this.place(old[o]!, old[o + 1]! - 1, old[o + 2]!, old[o + 3]!);
  }
}

/** Ints per slot. */
const SLOT = 4;
/** A key's length and tag in one int, when the length is below 2^15 and the tag below 2^16 (nearly always). */
function lengthTag(len: number, tag: number): number {
  return len < 0x8000 && tag >= 0 && tag < 0x10000 ? (len << 16) | tag : NO_LENGTH_TAG;
}
/** Length and tag do not fit one int: compared through the per-id columns instead. */
const NO_LENGTH_TAG = -1;

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
