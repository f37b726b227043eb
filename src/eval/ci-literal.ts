/**
 * Case-insensitive literal matching as a JavaScript `/.../i` regex does it,
 * without building a regex per message: a regex made from message text
 * (a recipient's name, a domain) costs more to compile (tens of microseconds)
 * than the rest of its eval.
 */

/** The case-folding of a non-unicode `i` regex: upper case, unless that takes several chars or maps non-ASCII to ASCII. */
function canonChar(ch: string): string {
  const u = ch.toUpperCase();
  if (u.length !== 1) return ch;
  return ch.charCodeAt(0) >= 128 && u.charCodeAt(0) < 128 ? ch : u;
}

/** `s` with each char case-folded; same length, so indexes carry over. */
export function canonCase(s: string): string {
  let ascii = true;
  for (let i = 0; i < s.length && ascii; i++) ascii = s.charCodeAt(i) < 128;
  if (ascii) return s.toUpperCase();
  let out = '';
  for (const ch of s) out += ch.length === 1 ? canonChar(ch) : ch;
  return out;
}

/** A regex word character (`\w`). */
export function isWordChar(s: string, i: number): boolean {
  if (i < 0 || i >= s.length) return false;
  const c = s.charCodeAt(i);
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}

/** A `\b` at position `i` of `s`. */
export function wordBoundary(s: string, i: number): boolean {
  return isWordChar(s, i - 1) !== isWordChar(s, i);
}

/** Positions where `needle` occurs in `hay`, case-insensitively (both already passed through `canonCase`). */
export function* occurrences(hay: string, needle: string): Generator<number> {
  for (let p = hay.indexOf(needle); p >= 0; p = hay.indexOf(needle, p + 1)) yield p;
}

/** `/\bNEEDLE\b/i` on `hay`, NEEDLE taken literally. */
export function containsWord(hay: string, needle: string): boolean {
  const h = canonCase(hay);
  for (const p of occurrences(h, canonCase(needle))) if (wordBoundary(hay, p) && wordBoundary(hay, p + needle.length)) return true;
  return false;
}
