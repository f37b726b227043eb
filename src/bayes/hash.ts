/**
 * Token hashing as SpamAssassin's Bayes stores tokens: the low 40 bits (last five
 * bytes) of the SHA-1 of the token's bytes. Tokens are binary ("latin1") strings,
 * one character per byte. The 40-bit value fits a JS number exactly and is what the
 * store keys on; `--backup` writes it as 10 hex digits.
 *
 * A small SHA-1 of our own: tokens are short, and hashing hundreds per message through
 * node:crypto costs more in call overhead than the hashing itself.
 */

const W = new Int32Array(80);
let block = new Uint8Array(128);

/** The 40-bit hash of a token given as a binary string (char codes 0-255). */
export function tokenHash(token: string): number {
  const n = token.length;
  const b = blockFor(n);
  for (let i = 0; i < n; i++) b[i] = token.charCodeAt(i) & 0xff;
  return digest(n);
}

/** The 40-bit hash of the token held in bytes `src[s..e)`. */
export function tokenHashBytes(src: Uint8Array, s: number, e: number): number {
  const b = blockFor(e - s);
  for (let i = s; i < e; i++) b[i - s] = src[i]!;
  return digest(e - s);
}

/** The message buffer, big enough for `n` bytes and their padding. */
function blockFor(n: number): Uint8Array {
  const padded = ((n + 8) >>> 6) * 64 + 64;
  if (padded > block.length) block = new Uint8Array(padded * 2);
  return block;
}

/** SHA-1 of the first `n` bytes of `block`, reduced to its last five bytes. */
function digest(n: number): number {
  const padded = ((n + 8) >>> 6) * 64 + 64;
  const b = block;
  b[n] = 0x80;
  b.fill(0, n + 1, padded);
  const bits = n * 8;
  b[padded - 4] = (bits >>> 24) & 0xff;
  b[padded - 3] = (bits >>> 16) & 0xff;
  b[padded - 2] = (bits >>> 8) & 0xff;
  b[padded - 1] = bits & 0xff;
  b[padded - 5] = Math.floor(bits / 0x100000000) & 0xff;

  let h0 = 0x67452301, h1 = 0xefcdab89 | 0, h2 = 0x98badcfe | 0, h3 = 0x10325476, h4 = 0xc3d2e1f0 | 0;
  for (let off = 0; off < padded; off += 64) {
    for (let t = 0; t < 16; t++) {
      const o = off + t * 4;
      W[t] = (b[o]! << 24) | (b[o + 1]! << 16) | (b[o + 2]! << 8) | b[o + 3]!;
    }
    for (let t = 16; t < 80; t++) {
      const x = W[t - 3]! ^ W[t - 8]! ^ W[t - 14]! ^ W[t - 16]!;
      W[t] = (x << 1) | (x >>> 31);
    }
    // The four 20-round stages as separate loops: no per-round branch on the stage.
    let a = h0, bb = h1, c = h2, d = h3, e = h4;
    for (let t = 0; t < 20; t++) {
      const tmp = (((a << 5) | (a >>> 27)) + ((bb & c) | (~bb & d)) + e + 0x5a827999 + W[t]!) | 0;
      e = d; d = c; c = (bb << 30) | (bb >>> 2); bb = a; a = tmp;
    }
    for (let t = 20; t < 40; t++) {
      const tmp = (((a << 5) | (a >>> 27)) + (bb ^ c ^ d) + e + 0x6ed9eba1 + W[t]!) | 0;
      e = d; d = c; c = (bb << 30) | (bb >>> 2); bb = a; a = tmp;
    }
    for (let t = 40; t < 60; t++) {
      const tmp = (((a << 5) | (a >>> 27)) + ((bb & c) | (bb & d) | (c & d)) + e + (0x8f1bbcdc | 0) + W[t]!) | 0;
      e = d; d = c; c = (bb << 30) | (bb >>> 2); bb = a; a = tmp;
    }
    for (let t = 60; t < 80; t++) {
      const tmp = (((a << 5) | (a >>> 27)) + (bb ^ c ^ d) + e + (0xca62c1d6 | 0) + W[t]!) | 0;
      e = d; d = c; c = (bb << 30) | (bb >>> 2); bb = a; a = tmp;
    }
    h0 = (h0 + a) | 0; h1 = (h1 + bb) | 0; h2 = (h2 + c) | 0; h3 = (h3 + d) | 0; h4 = (h4 + e) | 0;
  }
  // Last five bytes of the digest: the low byte of h3, then h4.
  return (h3 & 0xff) * 0x100000000 + (h4 >>> 0);
}

/** The 10-hex-digit form `--backup` and `--dump data` print. */
export function hashToHex(h: number): string {
  return h.toString(16).padStart(10, '0');
}

/** Parse the hex form back; NaN when it is not 1-10 hex digits. */
export function hexToHash(hex: string): number {
  return /^[0-9a-fA-F]{1,10}$/.test(hex) ? parseInt(hex, 16) : NaN;
}
