/**
 * Perl regular expressions (as .cf rules write them) -> JavaScript RegExps with
 * Perl's meaning on byte strings (each char code 0-255 is one byte of the mail).
 *
 * Why a translator and not the pattern as is: Perl's `$` also matches before a
 * final newline, `.` only excludes `\n`, `\s` on bytes excludes `\xa0`, case
 * folding is ASCII only, and scoped modifiers, possessive quantifiers, atomic
 * groups, POSIX classes, `\z \Z \A`, `\Q..\E` have no JS syntax (Node 20).
 * Character classes are rebuilt as explicit byte sets, which makes `\s`, POSIX
 * names, negation and case folding inside classes one uniform operation.
 */
import { parseClass, renderClass, type ByteSet } from './perl-regex-class';

export { parsePerlRegexLiteral, type PerlRegexLiteral } from './perl-regex-literal';

interface Flags {
  i: boolean;
  s: boolean;
  m: boolean;
  x: boolean;
}

/**
 * An anchor whose JS form depends on where it stands: Perl's `$` (`m$`: under /m), `\Z`, and
 * `^` under /m. `loose` while it may take a consuming form in a match-only regex: an end anchor
 * that nothing follows (`\n?$` instead of `(?=\n?$)`), a line-start anchor that nothing precedes
 * (`(?:^|\n)` instead of `(?<![^\n])`). Either form answers "does it match" alike there; only
 * the match's extent differs. Without lookarounds V8's linear engine can take the pattern.
 */
interface Anchor {
  readonly kind: '$' | 'm$' | 'Z' | 'm^';
  loose: boolean;
}

/** Anchors of a sequence that stand at its start or end, still candidates for the consuming form. */
interface Edges {
  readonly starts: Anchor[];
  readonly ends: Anchor[];
}

/** One piece of translated output; captures are numbered once the whole pattern is known. */
type Piece = string | { open: number; name?: string } | { ref: number } | { refName: string } | { anchor: Anchor };

/** Capture ids above this are emulation groups (atomic, possessive); Perl's groups are 1..n. */
const EMU_GROUP_BASE = 10000;

class Translator {
  /** Output pieces. */
  readonly out: Piece[] = [];
  readonly notes = new Set<string>();
  /** Capture ids: Perl groups get 1..n in order; emulation groups get ids after 10000. */
  private perlGroups = 0;
  private emuGroups = EMU_GROUP_BASE;
  readonly names = new Set<string>();
  /** A literal or class with bytes >= 0x80 appeared (JS `i` would fold Latin-1 letters). */
  highBytes = false;
  /** Case-insensitivity was not uniform across the pattern. */
  mixedCase = false;
  /** A backreference sits in a case-insensitive scope (only the JS `i` flag can compare case-blind). */
  ciBackref = false;
  private sawCaseI = false;
  private sawCaseS = false;

  constructor(private readonly src: string) {}

  noteCase(f: Flags): void {
    if (f.i) this.sawCaseI = true;
    else this.sawCaseS = true;
    this.mixedCase = this.sawCaseI && this.sawCaseS;
  }

  fail(msg: string): never {
    throw new TranslateError(msg);
  }

  newPerlGroup(): number {
    return ++this.perlGroups;
  }

  newEmuGroup(): number {
    return ++this.emuGroups;
  }

  get source(): string {
    return this.src;
  }
}

class TranslateError extends Error {}

const SPACE: readonly number[] = [9, 10, 11, 12, 13, 32];

/** Emit a literal byte/char, case-expanded when the translation runs without the JS `i` flag. */
function literal(code: number, f: Flags, t: Translator): string {
  // Perl matches a code point above 0xFF as a character, which a byte string never holds.
  if (code > 0xff) return '[]'; // an empty class: never matches, and V8's linear engine takes it
  if (code >= 0x80) t.highBytes = true;
  t.noteCase(f);
  const ch = String.fromCharCode(code);
  if (f.i && /[A-Za-z]/.test(ch)) return `\u0000${ch}\u0000`; // decided at the end: plain (JS i) or [xX]
  return escapeLiteral(code);
}

function hex(code: number): string {
  return '\\x' + code.toString(16).padStart(2, '0');
}

function escapeLiteral(code: number): string {
  const ch = String.fromCharCode(code);
  if (code < 0x20 || code >= 0x7f) return hex(code);
  return /[\\^$.*+?()[\]{}|/]/.test(ch) ? '\\' + ch : ch;
}

/** Parse `\x..`, `\o{..}`, octal: returns [code, length consumed after the backslash]. */
function numericEscape(s: string, i: number): [number, number] | undefined {
  const c = s[i];
  if (c === 'x') {
    if (s[i + 1] === '{') {
      const end = s.indexOf('}', i + 2);
      if (end < 0) return undefined;
      const v = parseInt(s.slice(i + 2, end).trim() || '0', 16);
      return Number.isNaN(v) ? undefined : [v, end - i + 1];
    }
    const m = /^[0-9a-fA-F]{1,2}/.exec(s.slice(i + 1));
    return [m ? parseInt(m[0], 16) : 0, 1 + (m ? m[0].length : 0)];
  }
  if (c === 'o' && s[i + 1] === '{') {
    const end = s.indexOf('}', i + 2);
    if (end < 0) return undefined;
    return [parseInt(s.slice(i + 2, end), 8), end - i + 1];
  }
  if (c === '0') {
    const m = /^[0-7]{0,2}/.exec(s.slice(i + 1))!;
    return [parseInt('0' + m[0], 8), 1 + m[0].length];
  }
  if (c === 'N' && s[i + 1] === '{') {
    const m = /^\{U\+([0-9a-fA-F]+)\}/.exec(s.slice(i + 1));
    return m ? [parseInt(m[1]!, 16), 1 + m[0].length] : undefined;
  }
  return undefined;
}

const SIMPLE_ESCAPES: Readonly<Record<string, number>> = { t: 9, n: 10, r: 13, f: 12, e: 27, a: 7 };

/** A group that only sets flags (`(?i)`) or a comment: it neither consumes nor asserts. */
const NO_OP_GROUP = /^\(\?(?:#|\^?[imsxn]*(?:-[imsx]*)?\))/;

/** The most times quantifier `q` (as emitted: `*`, `{2,5}`, ...) lets its atom repeat. */
function maxRepeat(q: string): number {
  if (q === '?') return 1;
  const m = /^\{(\d+)(,?)(\d*)\}/.exec(q);
  if (!m) return Infinity; // * +
  return m[2] === '' ? Number(m[1]) : m[3] === '' ? Infinity : Number(m[3]);
}

/**
 * Translate from `pos` until the end of the enclosing group; returns the position after it.
 * `head`: nothing can be consumed before this sequence starts (see `Anchor`); its start and end
 * anchors are collected in `edges`.
 */
function translateSeq(t: Translator, pos: number, flags: Flags, depth: number, head: boolean, edges: Edges): number {
  const s = t.source;
  let f = { ...flags };
  /** Start index in `t.out` of the last quantifiable atom (-1: none). */
  let atomStart = -1;
  let atHead = head;
  /** End anchors of this branch that nothing has followed yet. */
  let pending: Anchor[] = [];
  /** The anchors of the last atom (a group), which a repeating quantifier disqualifies. */
  let last: Edges | undefined;
  let i = pos;
  while (i < s.length) {
    const c = s[i]!;
    if (f.x) {
      if (/\s/.test(c)) {
        i++;
        continue;
      }
      if (c === '#') {
        while (i < s.length && s[i] !== '\n') i++;
        continue;
      }
    }
    if (c === ')') {
      if (depth === 0) t.fail("unmatched ')'");
      edges.ends.push(...pending);
      return i + 1;
    }
    if (c === '|') {
      t.out.push('|');
      atomStart = -1;
      edges.ends.push(...pending);
      pending = [];
      last = undefined;
      atHead = head;
      i++;
      continue;
    }
    if (c === '*' || c === '+' || c === '?' || (c === '{' && /^\{\d*,?\d*\}/.test(s.slice(i)) && /^\{(?:\d+|\d+,\d*|,\d+)\}/.test(s.slice(i)))) {
      if (atomStart < 0) t.fail(`quantifier '${c}' follows nothing`);
      let q: string;
      if (c === '{') {
        const m = /^\{(\d*)(,?)(\d*)\}/.exec(s.slice(i))!;
        q = `{${m[1] || '0'}${m[2]}${m[3]}}`;
        i += m[0].length;
      } else {
        q = c;
        i++;
      }
      const possessive = s[i] === '+';
      if (last && (possessive || maxRepeat(q) > 1)) {
        // A second round would follow an end anchor or precede a start anchor.
        for (const a of [...last.starts, ...last.ends]) a.loose = false;
        pending = [];
      }
      last = undefined;
      if (s[i] === '?') {
        q += '?';
        i++;
        t.out.push(q);
      } else if (possessive) {
        // Possessive: match greedily once, never give back: (?=(atom*))\N
        i++;
        const atom = t.out.splice(atomStart);
        const id = t.newEmuGroup();
        t.out.push('(?=', { open: id }, ...atom, q, '))', { ref: id }, '(?:)');
        t.notes.add('possessive quantifier emulated with lookahead and backreference');
      } else t.out.push(q);
      atomStart = -1;
      continue;
    }
    atomStart = t.out.length;
    if (c === '(' && NO_OP_GROUP.test(s.slice(i, i + 12))) {
      i = translateGroup(t, i, f, depth, (nf) => (f = nf), false, { starts: [], ends: [] });
      continue;
    }
    // Something follows the pending end anchors; nothing consumed precedes what comes next.
    for (const a of pending) a.loose = false;
    pending = [];
    last = undefined;
    const wasHead = atHead;
    atHead = false;
    if (c === '(') {
      const inner: Edges = { starts: [], ends: [] };
      i = translateGroup(t, i, f, depth, (nf) => (f = nf), wasHead, inner);
      edges.starts.push(...inner.starts);
      pending = inner.ends;
      last = inner;
      continue;
    }
    if (c === '[') {
      const cls = parseClass(s, i, f.i);
      if ('error' in cls) t.fail(cls.error);
      emitClass(t, cls.set, cls.negate);
      t.noteCase(f);
      i = cls.end;
      continue;
    }
    if (c === '.') {
      t.out.push(f.s ? '[\\s\\S]' : '[^\\n]');
      i++;
      continue;
    }
    if (c === '^') {
      if (f.m) {
        const anchor: Anchor = { kind: 'm^', loose: wasHead };
        if (wasHead) edges.starts.push(anchor);
        t.out.push({ anchor });
      } else t.out.push('^');
      atomStart = -1;
      i++;
      continue;
    }
    if (c === '$') {
      const anchor: Anchor = { kind: f.m ? 'm$' : '$', loose: true };
      t.out.push({ anchor });
      pending = [anchor];
      atomStart = -1;
      i++;
      continue;
    }
    if (c === '\\') {
      i = translateEscape(t, i, f, (a) => (atomStart = a ? atomStart : -1));
      const p = t.out[t.out.length - 1];
      if (typeof p === 'object' && 'anchor' in p) pending = [p.anchor];
      continue;
    }
    if (c === '{' || c === '}') {
      t.out.push('\\' + c);
      i++;
      continue;
    }
    t.out.push(literal(c.charCodeAt(0), f, t));
    i++;
  }
  if (depth > 0) t.fail("missing ')'");
  edges.ends.push(...pending);
  return i;
}

function emitClass(t: Translator, set: ByteSet, negate: boolean): void {
  for (let b = 0x80; b < 256; b++) if (set[b]) t.highBytes = true;
  t.out.push(renderClass(set, negate));
}

/** `\...` outside a class. `setAtom(false)` marks zero-width assertions (not quantifiable). */
function translateEscape(t: Translator, i: number, f: Flags, setAtom: (quantifiable: boolean) => void): number {
  const s = t.source;
  const c = s[i + 1];
  if (c === undefined) t.fail('trailing backslash');
  const simple = SIMPLE_ESCAPES[c];
  if (simple !== undefined) {
    t.out.push(escapeLiteral(simple));
    return i + 2;
  }
  switch (c) {
    case 's':
    case 'S':
    case 'h':
    case 'H':
    case 'v':
    case 'V': {
      const set = new Array<boolean>(256).fill(false);
      const members = c.toLowerCase() === 's' ? SPACE : c.toLowerCase() === 'h' ? [9, 32] : [10, 11, 12, 13];
      for (const m of members) set[m] = true;
      t.out.push(renderClass(set, c === c.toUpperCase()));
      return i + 2;
    }
    case 'd': case 'D': case 'w': case 'W':
      t.out.push('\\' + c);
      return i + 2;
    case 'b': case 'B':
      t.out.push('\\' + c);
      setAtom(false);
      return i + 2;
    case 'R':
      t.out.push('(?:\\r\\n|[\\n\\x0b\\f\\r])');
      return i + 2;
    case 'z':
      t.out.push('$'); // the JS regexes never take the m flag: `$` is the end of the subject
      setAtom(false);
      return i + 2;
    case 'Z':
      t.out.push({ anchor: { kind: 'Z', loose: true } });
      setAtom(false);
      return i + 2;
    case 'A':
      t.out.push('^');
      setAtom(false);
      return i + 2;
    case 'G': case 'K': case 'X': case 'p': case 'P': case 'C': case 'L': case 'U': case 'l': case 'u':
      return t.fail(`unsupported \\${c}`);
    case 'Q': {
      const end = s.indexOf('\\E', i + 2);
      const text = s.slice(i + 2, end < 0 ? s.length : end);
      for (const ch of text) t.out.push(literal(ch.codePointAt(0)!, f, t));
      return end < 0 ? s.length : end + 2;
    }
    case 'E':
      return i + 2; // a stray \E ends nothing
    case 'c': {
      const ctl = s[i + 2];
      if (!ctl) t.fail('\\c at end of pattern');
      t.out.push(escapeLiteral(ctl.toUpperCase().charCodeAt(0) ^ 64));
      return i + 3;
    }
    case 'N':
      if (s[i + 2] !== '{') {
        t.out.push('[^\\n]');
        return i + 2;
      }
      break;
    case 'g': {
      const m = /^g(?:\{(-?\d+|\w+)\}|(-?\d+))/.exec(s.slice(i + 1));
      if (!m) t.fail('bad \\g reference');
      const v = m[1] ?? m[2]!;
      if (f.i) t.ciBackref = true;
      if (/^\d+$/.test(v)) t.out.push({ ref: Number(v) });
      else if (/^-\d+$/.test(v)) t.fail('relative backreferences are not supported');
      else t.out.push({ refName: v });
      return i + 1 + m[0].length;
    }
    case 'k': {
      const m = /^k(?:<(\w+)>|\{(\w+)\}|'(\w+)')/.exec(s.slice(i + 1));
      if (!m) t.fail('bad \\k reference');
      if (f.i) t.ciBackref = true;
      t.out.push({ refName: m[1] ?? m[2] ?? m[3]! });
      return i + 1 + m[0].length;
    }
  }
  if (/[1-9]/.test(c)) {
    const m = /^\d+/.exec(s.slice(i + 1))!;
    if (f.i) t.ciBackref = true;
    t.out.push({ ref: Number(m[0]) });
    return i + 1 + m[0].length;
  }
  const num = numericEscape(s, i + 1);
  if (num) {
    t.out.push(literal(num[0], f, t));
    return i + 1 + num[1];
  }
  // Any other escaped character stands for itself.
  t.out.push(literal(s.codePointAt(i + 1)!, f, t));
  return i + 1 + (s.codePointAt(i + 1)! > 0xffff ? 2 : 1);
}

const MOD_GROUP = /^\(\?\^?([imsxn]*)(?:-([imsx]*))?(:|\))/;

function applyMods(f: Flags, on: string, off: string): Flags {
  const n = { ...f };
  for (const ch of on) if (ch in n) n[ch as keyof Flags] = true;
  for (const ch of off) if (ch in n) n[ch as keyof Flags] = false;
  return n;
}

/** Translate the inside of a lookaround or atomic group: its anchors keep their exact (zero-width) forms. */
function translateSealed(t: Translator, pos: number, f: Flags, depth: number): number {
  const inner: Edges = { starts: [], ends: [] };
  const end = translateSeq(t, pos, f, depth, false, inner);
  for (const a of [...inner.starts, ...inner.ends]) a.loose = false;
  return end;
}

/** `(...)` in all its forms; returns the position after the group. */
function translateGroup(t: Translator, i: number, f: Flags, depth: number, setFlags: (f: Flags) => void, head: boolean, edges: Edges): number {
  const s = t.source;
  const rest = s.slice(i);
  if (rest.startsWith('(?#')) {
    const end = s.indexOf(')', i);
    if (end < 0) t.fail('unterminated (?# comment');
    t.out.push('(?:)');
    return end + 1;
  }
  const mod = MOD_GROUP.exec(rest);
  if (mod) {
    const nf = applyMods(rest.startsWith('(?^') ? { ...f, i: false, s: false, m: false, x: false } : f, mod[1]!, mod[2] ?? '');
    if (mod[3] === ')') {
      setFlags(nf); // (?i) applies to the rest of the enclosing group
      t.out.push('(?:)');
      return i + mod[0].length;
    }
    t.out.push('(?:');
    const end = translateSeq(t, i + mod[0].length, nf, depth + 1, head, edges);
    t.out.push(')');
    return end;
  }
  if (rest.startsWith('(?>')) {
    const id = t.newEmuGroup();
    t.out.push('(?=', { open: id }, '(?:');
    const end = translateSealed(t, i + 3, f, depth + 1);
    t.out.push(')))', { ref: id }, '(?:)');
    t.notes.add('atomic group emulated with lookahead and backreference');
    return end;
  }
  const look = /^\(\?(<=|<!|=|!)/.exec(rest);
  if (look) {
    t.out.push(`(?${look[1]}`);
    const end = translateSealed(t, i + look[0].length, f, depth + 1);
    t.out.push(')');
    return end;
  }
  const named = /^\(\?(?:P?<(\w+)>|'(\w+)')/.exec(rest);
  if (named) {
    const name = named[1] ?? named[2]!;
    t.names.add(name);
    t.out.push({ open: t.newPerlGroup(), name });
    const end = translateSeq(t, i + named[0].length, f, depth + 1, head, edges);
    t.out.push(')');
    return end;
  }
  if (rest.startsWith('(?') || rest.startsWith('(*')) {
    return t.fail(`unsupported group construct '${rest.slice(0, 4)}'`);
  }
  t.out.push({ open: t.newPerlGroup() });
  const end = translateSeq(t, i + 1, f, depth + 1, head, edges);
  t.out.push(')');
  return end;
}

/** An anchor's JS form: consuming where allowed in a match-only regex, else zero-width. */
function anchorSource(a: Anchor, matchOnly: boolean): string {
  const consume = matchOnly && a.loose;
  switch (a.kind) {
    case '$':
    case 'Z':
      return consume ? '\\n?$' : '(?=\\n?$)';
    case 'm$':
      return consume ? '(?:\\n|$)' : '(?=\\n|$)';
    case 'm^':
      return consume ? '(?:^|\\n)' : '(?<![^\\n])';
  }
}

/** Number captures in output order and resolve references. */
function assemble(t: Translator, useIFlag: boolean, matchOnly: boolean): string {
  const jsNumber = new Map<number, number>();
  let n = 0;
  for (const p of t.out) if (typeof p !== 'string' && 'open' in p) jsNumber.set(p.open, ++n);
  let src = '';
  for (const p of t.out) {
    if (typeof p === 'string') src += p;
    else if ('anchor' in p) src += anchorSource(p.anchor, matchOnly);
    else if ('open' in p) src += p.name ? `(?<${p.name}>` : '(';
    else if ('ref' in p) {
      const j = jsNumber.get(p.ref);
      if (j === undefined) throw new TranslateError(`reference to undefined group ${p.ref}`);
      src += `\\${j}`;
    } else {
      if (!t.names.has(p.refName)) throw new TranslateError(`reference to undefined group ${p.refName}`);
      src += `\\k<${p.refName}>`;
    }
  }
  // Case-folded letters: plain under the JS i flag, else an explicit pair.
  return src.replace(/\u0000([A-Za-z])\u0000/g, (_m, ch: string) => (useIFlag ? ch : `[${ch.toUpperCase()}${ch.toLowerCase()}]`));
}

/**
 * Translate a Perl pattern with Perl flags (`i m s x`; `g o` ignored) into a JS RegExp.
 * `matchOnly`: the regex only answers whether the pattern matches (no match extents read, no
 * counting with lastIndex), which lets end and line-start anchors take consuming forms.
 */
export function translatePerlRegex(pattern: string, flags: string, matchOnly = false): { re: RegExp; notes: string[] } | { error: string } {
  for (const ch of flags) if (!'imsxgoa'.includes(ch)) return { error: `unsupported regex flag '${ch}'` };
  const f: Flags = { i: flags.includes('i'), m: flags.includes('m'), s: flags.includes('s'), x: flags.includes('x') };
  const t = new Translator(pattern);
  try {
    translateSeq(t, 0, f, 0, true, { starts: [], ends: [] });
    // Case folding is spelled out as [Xx] pairs: V8's linear-time engine refuses the JS `i` flag.
    // Only a case-blind backreference needs the flag (and it must not meet bytes >= 0x80, which
    // it would fold as Latin-1 letters, as Perl does not on bytes).
    const useI = t.ciBackref && !t.highBytes;
    if (useI && t.mixedCase) t.notes.add('case-insensitive backreference: the whole pattern matches case-insensitively');
    // A backreference compares a group's text, which a consuming anchor inside it would change
    // (`(^a)\1` under /m); such patterns keep exact anchors (V8's linear engine refuses them anyway).
    const perlRef = t.out.some((p) => typeof p === 'object' && (('ref' in p && p.ref <= EMU_GROUP_BASE) || 'refName' in p));
    const src = assemble(t, useI, matchOnly && !perlRef);
    return { re: new RegExp(src, useI ? 'i' : ''), notes: [...t.notes] };
  } catch (e) {
    if (e instanceof TranslateError || e instanceof SyntaxError) return { error: e.message };
    throw e;
  }
}
