/**
 * PostgreSQL array literals for `unnest($n::type[])` parameters, written directly: node-postgres
 * turns a JS array into a literal by quoting and escaping every element, and the 10-hex-digit
 * token form went through `toString(16)` per token; for a learned batch of 100,000 tokens the two
 * cost a third of hamlet-learn's main-thread CPU. Token hashes and counts need no quoting.
 */

/** Hex digit codes. */
const HEX = Array.from('0123456789abcdef', (c) => c.charCodeAt(0));

let scratch = Buffer.alloc(1 << 16);

/** `{h1,h2,...}`: the token hashes `hashes[from..to)` as 10-hex-digit text (hashToHex), one array literal. */
export function hexArrayLiteral(hashes: ArrayLike<number>, from = 0, to = hashes.length): string {
  const need = 2 + (to - from) * 11;
  if (scratch.length < need) scratch = Buffer.alloc(need * 2);
  const b = scratch;
  let o = 0;
  b[o++] = 0x7b; // {
  for (let i = from; i < to; i++) {
    if (i > from) b[o++] = 0x2c; // ,
    const h = hashes[i]!;
    // The top 8 of 40 bits, then the low 32.
    const hi = Math.floor(h / 0x100000000);
    const lo = h >>> 0;
    b[o++] = HEX[(hi >>> 4) & 15]!;
    b[o++] = HEX[hi & 15]!;
    for (let shift = 28; shift >= 0; shift -= 4) b[o++] = HEX[(lo >>> shift) & 15]!;
  }
  b[o++] = 0x7d; // }
  return b.toString('latin1', 0, o);
}

/** `{n1,n2,...}` for integers `values[from..to)`. */
export function intArrayLiteral(values: ArrayLike<number>, from = 0, to = values.length): string {
  let s = '{';
  for (let i = from; i < to; i++) s += (i > from ? ',' : '') + values[i]!;
  return s + '}';
}
