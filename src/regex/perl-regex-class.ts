/**
 * Perl bracketed character classes as explicit byte sets. Subjects are byte
 * strings, so a class is fully described by which of the 256 bytes it holds;
 * POSIX names, `\s`/`\h`/`\v`, negated escapes, ranges and ASCII case folding
 * all reduce to set operations, and the JS class is rendered from the set.
 */

/** Membership of each byte value 0-255. */
export type ByteSet = boolean[];

const range = (a: number, b: number): number[] => Array.from({ length: b - a + 1 }, (_x, k) => a + k);
const DIGIT = range(48, 57);
const UPPER = range(65, 90);
const LOWER = range(97, 122);
const WORD = [...DIGIT, ...UPPER, ...LOWER, 95];
const SPACE = [9, 10, 11, 12, 13, 32];

/** POSIX class members (ASCII meanings, as Perl gives them on byte strings). */
const POSIX: Readonly<Record<string, readonly number[]>> = {
  alpha: [...UPPER, ...LOWER],
  digit: DIGIT,
  alnum: [...DIGIT, ...UPPER, ...LOWER],
  upper: UPPER,
  lower: LOWER,
  space: SPACE,
  blank: [9, 32],
  punct: [...range(33, 47), ...range(58, 64), ...range(91, 96), ...range(123, 126)],
  xdigit: [...DIGIT, ...range(65, 70), ...range(97, 102)],
  word: WORD,
  cntrl: [...range(0, 31), 127],
  print: range(32, 126),
  graph: range(33, 126),
  ascii: range(0, 127),
};

const CLASS_ESCAPES: Readonly<Record<string, readonly number[]>> = {
  d: DIGIT,
  w: WORD,
  s: SPACE,
  h: [9, 32],
  v: [10, 11, 12, 13],
};

const SINGLE: Readonly<Record<string, number>> = { n: 10, t: 9, r: 13, f: 12, e: 27, a: 7, b: 8 };

function complement(members: readonly number[]): number[] {
  const s = new Set(members);
  return range(0, 255).filter((b) => !s.has(b));
}

/** One class item: a single code (range endpoint candidate) or a set of codes. */
type Item = { code: number } | { set: readonly number[] };

function escapeItem(s: string, i: number): { item: Item; end: number } | { error: string } {
  const c = s[i + 1];
  if (c === undefined) return { error: 'trailing backslash in class' };
  const lower = c.toLowerCase();
  const members = CLASS_ESCAPES[lower];
  if (members) return { item: { set: c === lower ? members : complement(members) }, end: i + 2 };
  if (SINGLE[c] !== undefined) return { item: { code: SINGLE[c] }, end: i + 2 };
  if (c === 'x') {
    if (s[i + 2] === '{') {
      const close = s.indexOf('}', i + 3);
      if (close < 0) return { error: 'unterminated \\x{' };
      return { item: { code: parseInt(s.slice(i + 3, close).trim() || '0', 16) }, end: close + 1 };
    }
    const m = /^[0-9a-fA-F]{1,2}/.exec(s.slice(i + 2));
    return { item: { code: m ? parseInt(m[0], 16) : 0 }, end: i + 2 + (m ? m[0].length : 0) };
  }
  if (c === 'c') {
    const ctl = s[i + 2];
    if (!ctl) return { error: '\\c at end of class' };
    return { item: { code: ctl.toUpperCase().charCodeAt(0) ^ 64 }, end: i + 3 };
  }
  if (c === 'o' && s[i + 2] === '{') {
    const close = s.indexOf('}', i + 3);
    if (close < 0) return { error: 'unterminated \\o{' };
    return { item: { code: parseInt(s.slice(i + 3, close), 8) }, end: close + 1 };
  }
  if (/[0-7]/.test(c)) {
    const m = /^[0-7]{1,3}/.exec(s.slice(i + 1))!;
    return { item: { code: parseInt(m[0], 8) & 0xff }, end: i + 1 + m[0].length };
  }
  if (c === 'N' && s[i + 2] === '{') {
    const m = /^\{U\+([0-9a-fA-F]+)\}/.exec(s.slice(i + 2));
    if (!m) return { error: 'bad \\N{...} in class' };
    return { item: { code: parseInt(m[1]!, 16) }, end: i + 2 + m[0].length };
  }
  if (/[pPXRKG]/.test(c)) return { error: `unsupported \\${c} in class` };
  return { item: { code: s.charCodeAt(i + 1) }, end: i + 2 };
}

function readItem(s: string, i: number): { item: Item; end: number } | { error: string } {
  if (s[i] === '[' && s[i + 1] === ':') {
    const m = /^\[:(\^?)([a-z]+):\]/.exec(s.slice(i));
    if (m) {
      const members = POSIX[m[2]!];
      if (!members) return { error: `unknown POSIX class [:${m[2]}:]` };
      return { item: { set: m[1] ? complement(members) : members }, end: i + m[0].length };
    }
  }
  if (s[i] === '\\') return escapeItem(s, i);
  return { item: { code: s.charCodeAt(i) }, end: i + 1 };
}

/** Parse the class starting at `s[start] === '['`. */
export function parseClass(s: string, start: number, caseless: boolean): { set: ByteSet; negate: boolean; end: number } | { error: string } {
  const set: ByteSet = new Array<boolean>(256).fill(false);
  let i = start + 1;
  let negate = false;
  if (s[i] === '^') {
    negate = true;
    i++;
  }
  let first = true;
  const add = (code: number): void => {
    if (code > 0xff) return; // cannot occur in a byte string
    set[code] = true;
    if (caseless) {
      if (code >= 65 && code <= 90) set[code + 32] = true;
      else if (code >= 97 && code <= 122) set[code - 32] = true;
    }
  };
  for (;;) {
    if (i >= s.length) return { error: "unmatched '[' in regex" };
    if (s[i] === ']' && !first) return { set, negate, end: i + 1 };
    first = false;
    const a = readItem(s, i);
    if ('error' in a) return a;
    i = a.end;
    if ('set' in a.item) {
      for (const m of a.item.set) add(m);
      continue;
    }
    // A range needs a single character on both sides; otherwise '-' is literal.
    if (s[i] === '-' && s[i + 1] !== ']' && i + 1 < s.length) {
      const b = readItem(s, i + 1);
      if ('error' in b) return b;
      if ('code' in b.item) {
        if (b.item.code < a.item.code) return { error: 'invalid range in character class' };
        for (let c = a.item.code; c <= Math.min(b.item.code, 0xff); c++) add(c);
        i = b.end;
        continue;
      }
    }
    add(a.item.code);
  }
}

function classChar(code: number): string {
  const ch = String.fromCharCode(code);
  if (/[A-Za-z0-9]/.test(ch)) return ch;
  return '\\x' + code.toString(16).padStart(2, '0');
}

/** Render a byte set as a JS class (`[^...]` when negated). */
export function renderClass(set: ByteSet, negate: boolean): string {
  let body = '';
  for (let a = 0; a < 256; a++) {
    if (!set[a]) continue;
    let b = a;
    while (b + 1 < 256 && set[b + 1]) b++;
    if (b === a) body += classChar(a);
    else if (b === a + 1) body += classChar(a) + classChar(b);
    else body += `${classChar(a)}-${classChar(b)}`;
    a = b;
  }
  if (body === '') return negate ? '[\\s\\S]' : '[]'; // [] never matches (V8's linear engine refuses `(?!)`)
  return `[${negate ? '^' : ''}${body}]`;
}
