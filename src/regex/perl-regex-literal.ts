/** Splitting a regex as a .cf line writes it (`/pat/flags`, `m{pat}flags`) into pattern and flags. */

/** A regex literal split into its pattern and flags. */
export interface PerlRegexLiteral {
  readonly pattern: string;
  readonly flags: string;
}

const PAIRS: Readonly<Record<string, string>> = { '{': '}', '(': ')', '[': ']', '<': '>' };

/** A regex as written in a .cf line: `/pat/flags`, `m{pat}flags`, `m!pat!flags`, any m-delimiter. */
export function parsePerlRegexLiteral(text: string): PerlRegexLiteral | { error: string } {
  const s = text.trim();
  let open: string;
  let i: number;
  if (s.startsWith('/')) {
    open = '/';
    i = 1;
  } else if (s.length > 1 && s[0] === 'm' && /[^\w\s]/.test(s[1]!)) {
    open = s[1]!;
    i = 2;
  } else {
    return { error: `not a regex literal: ${s.slice(0, 40)}` };
  }
  const close = PAIRS[open] ?? open;
  let depth = 0;
  const start = i;
  for (; i < s.length; i++) {
    const c = s[i]!;
    if (c === '\\') {
      i++;
      continue;
    }
    if (close !== open && c === open) depth++;
    else if (c === close) {
      if (depth === 0) break;
      depth--;
    }
  }
  if (i >= s.length) return { error: `unterminated regex: missing closing '${close}'` };
  const flags = s.slice(i + 1).trim();
  if (!/^[a-z]*$/.test(flags)) return { error: `junk after regex: '${flags}'` };
  return { pattern: s.slice(start, i), flags };
}
