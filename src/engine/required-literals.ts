/**
 * Required literals of a regular expression: a small set of strings, one of
 * which every match must contain. The scanner skips a rule when none of them
 * occurs anywhere in the text it would read (Perl's regex engine does the
 * same with its "must contain" substring check; V8 has no such check, so a
 * pattern that starts with an optional group is tried at every position).
 *
 * Literals are ASCII-folded (A-Z to a-z); callers fold the text the same way.
 * The analysis works on the JavaScript source the Perl translator produces and
 * answers `undefined` whenever it is not sure: a missing prefilter only costs time.
 */

/** Most strings an exact set may hold before it is given up. */
const MAX_SET = 48;
/** Most strings a requirement may list (the matcher checks them all in one pass). */
const MAX_REQ = 400;
/** Longest literal kept (longer strings are cut: a prefix of a required string is required too). */
const MAX_LEN = 24;
/** Shortest useful literal: one or two characters occur in nearly every text. */
const MIN_USEFUL = 3;

/** What is known of a sub-pattern. */
interface Info {
  /** Every string it can match (folded), when that set is small; '' included if it can match empty. */
  readonly exact: ReadonlySet<string> | undefined;
  /** Strings one of which any match contains (folded); undefined = nothing known. */
  readonly req: ReadonlySet<string> | undefined;
  /**
   * For `x+` / `x{2,}`: the strings of one `x`. The match starts and ends with
   * one of them, so a sequence can join them to what precedes and follows.
   */
  readonly unit?: ReadonlySet<string>;
}

const UNKNOWN: Info = { exact: undefined, req: undefined };
const EMPTY: Info = { exact: new Set(['']), req: undefined };

export function foldCode(c: number): number {
  return c >= 65 && c <= 90 ? c + 32 : c;
}

function fold(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) out += String.fromCharCode(foldCode(s.charCodeAt(i)));
  return out;
}

/** How good a requirement is: its shortest string's length (longer strings are rarer). */
function strength(req: ReadonlySet<string> | undefined): number {
  if (!req || req.size === 0) return 0;
  let min = Infinity;
  for (const s of req) min = Math.min(min, s.length);
  return min;
}

function better(a: ReadonlySet<string> | undefined, b: ReadonlySet<string> | undefined): ReadonlySet<string> | undefined {
  const sa = strength(a);
  const sb = strength(b);
  if (sa !== sb) return sa > sb ? a : b;
  return (a?.size ?? Infinity) <= (b?.size ?? Infinity) ? a : b;
}

function asReq(exact: ReadonlySet<string> | undefined): ReadonlySet<string> | undefined {
  if (!exact || exact.has('')) return undefined;
  return minimal(exact);
}

/** Drop strings that contain another member: finding the shorter one is enough. */
function minimal(set: ReadonlySet<string>): ReadonlySet<string> {
  const sorted = [...set].sort((a, b) => a.length - b.length);
  const keep: string[] = [];
  for (const s of sorted) if (!keep.some((k) => s.includes(k))) keep.push(s);
  return keep.length === set.size ? set : new Set(keep);
}

function product(a: ReadonlySet<string>, b: ReadonlySet<string>): Set<string> | undefined {
  if (a.size * b.size > MAX_SET) return undefined;
  const out = new Set<string>();
  for (const x of a) for (const y of b) out.add((x + y).slice(0, MAX_LEN));
  return out;
}

/** A `{n}`, `{n,}` or `{n,m}` quantifier at a given position. */
const BRACES = /\{(\d+)(,(\d*))?\}/y;

class Parser {
  private i = 0;
  constructor(private readonly src: string) {}

  parse(): Info {
    const info = this.alternation();
    if (this.i < this.src.length) throw new Error('unbalanced');
    return info;
  }

  private peek(): string {
    return this.src[this.i] ?? '';
  }

  private alternation(): Info {
    const branches: Info[] = [this.sequence()];
    while (this.peek() === '|') {
      this.i++;
      branches.push(this.sequence());
    }
    if (branches.length === 1) return branches[0]!;
    let exact: Set<string> | undefined = new Set();
    let req: Set<string> | undefined = new Set();
    for (const b of branches) {
      if (exact && b.exact) for (const s of b.exact) exact.add(s);
      else exact = undefined;
      if (exact && exact.size > MAX_SET) exact = undefined;
      const r = better(b.req, asReq(b.exact));
      if (req && r) for (const s of r) req.add(s);
      else req = undefined;
      if (req && req.size > MAX_REQ) req = undefined;
    }
    return { exact, req: better(req && minimal(req), asReq(exact)) };
  }

  private sequence(): Info {
    let run: ReadonlySet<string> | undefined = new Set(['']);
    let best: ReadonlySet<string> | undefined;
    let exact: ReadonlySet<string> | undefined = new Set(['']);
    while (this.i < this.src.length && this.peek() !== '|' && this.peek() !== ')') {
      const atom = this.quantified();
      best = better(best, atom.req);
      exact = exact && atom.exact ? product(exact, atom.exact) : undefined;
      if (atom.unit) {
        // Repetition: what came before runs into the first unit; the last unit starts a new run.
        const p = run ? product(run, atom.unit) : undefined;
        best = better(best, asReq(p ?? run));
        run = atom.unit;
      } else if (atom.exact) {
        const p: Set<string> | undefined = run ? product(run, atom.exact) : undefined;
        if (p) run = p;
        else {
          best = better(best, asReq(run));
          run = atom.exact;
        }
      } else {
        best = better(best, asReq(run));
        run = new Set(['']);
      }
    }
    best = better(best, asReq(run));
    return { exact, req: better(best, asReq(exact)) };
  }

  private quantified(): Info {
    const atom = this.atom();
    const c = this.peek();
    let min: number;
    let max: number;
    if (c === '*' || c === '+' || c === '?') {
      this.i++;
      min = c === '+' ? 1 : 0;
      max = c === '?' ? 1 : Infinity;
    } else if (c === '{') {
      BRACES.lastIndex = this.i;
      const m = BRACES.exec(this.src);
      if (!m) return atom; // a literal brace
      this.i += m[0].length;
      min = Number(m[1]);
      max = m[2] === undefined ? min : m[3] === '' ? Infinity : Number(m[3]);
    } else return atom;
    if (this.peek() === '?') this.i++; // lazy: same strings
    if (min === 0) {
      if (max === 1 && atom.exact) return { exact: new Set([...atom.exact, '']), req: undefined };
      return UNKNOWN;
    }
    if (min === max && atom.exact) {
      let e: ReadonlySet<string> | undefined = atom.exact;
      for (let k = 1; k < min && e; k++) e = product(e, atom.exact);
      if (e) return { exact: e, req: better(atom.req, asReq(e)) };
    }
    return { exact: undefined, req: better(atom.req, asReq(atom.exact)), unit: atom.exact };
  }

  private atom(): Info {
    const c = this.peek();
    this.i++;
    switch (c) {
      case '(':
        return this.group();
      case '[':
        return this.charClass();
      case '\\':
        return this.escape();
      case '^':
      case '$':
        return EMPTY;
      case '.':
        return UNKNOWN;
      default:
        return { exact: new Set([fold(c)]), req: undefined };
    }
  }

  private group(): Info {
    let zeroWidth = false;
    if (this.src.startsWith('?:', this.i)) this.i += 2;
    else if (this.src.startsWith('?=', this.i) || this.src.startsWith('?!', this.i)) {
      this.i += 2;
      zeroWidth = true;
    } else if (this.src.startsWith('?<=', this.i) || this.src.startsWith('?<!', this.i)) {
      this.i += 3;
      zeroWidth = true;
    } else if (this.src.startsWith('?<', this.i)) {
      const end = this.src.indexOf('>', this.i);
      if (end < 0) throw new Error('bad group');
      this.i = end + 1;
    } else if (this.peek() === '?') throw new Error('unknown group');
    const inner = this.alternation();
    if (this.peek() !== ')') throw new Error('unclosed group');
    this.i++;
    return zeroWidth ? EMPTY : inner;
  }

  /** A class: exact when it holds few characters (after folding), else unknown. */
  private charClass(): Info {
    let negated = false;
    if (this.peek() === '^') {
      negated = true;
      this.i++;
    }
    const chars = new Set<number>();
    let big = false;
    while (this.i < this.src.length && this.peek() !== ']') {
      const lo = this.classChar();
      if (lo < 0) {
        big = true;
        continue;
      }
      let hi = lo;
      if (this.peek() === '-' && this.src[this.i + 1] !== ']' && this.i + 1 < this.src.length) {
        this.i++;
        hi = this.classChar();
        if (hi < 0) {
          big = true;
          continue;
        }
      }
      if (hi - lo > 64) big = true;
      else for (let k = lo; k <= hi; k++) chars.add(foldCode(k));
    }
    if (this.peek() !== ']') throw new Error('unclosed class');
    this.i++;
    // Wider classes (\s spelled out, digit ranges) would multiply the sets; they break a literal instead.
    if (negated || big || chars.size === 0 || chars.size > 2) return UNKNOWN;
    return { exact: new Set([...chars].map((k) => String.fromCharCode(k))), req: undefined };
  }

  /** One class member's code, or -1 for a shorthand (\d, \w, ...). */
  private classChar(): number {
    const c = this.peek();
    this.i++;
    if (c !== '\\') return c.charCodeAt(0);
    const e = this.peek();
    this.i++;
    const code = this.escapeCode(e);
    return code ?? -1;
  }

  /** The code a character escape stands for, or undefined for classes/assertions. */
  private escapeCode(e: string): number | undefined {
    switch (e) {
      case 'n':
        return 10;
      case 'r':
        return 13;
      case 't':
        return 9;
      case 'f':
        return 12;
      case 'v':
        return 11;
      case '0': {
        // A legacy octal escape: `\012` is one newline, not NUL then "12" (up to two more octal digits).
        const oct = /^[0-7]{0,2}/.exec(this.src.slice(this.i))![0];
        this.i += oct.length;
        return parseInt(`0${oct}`, 8);
      }
      case 'x': {
        const h = this.src.slice(this.i, this.i + 2);
        this.i += 2;
        return parseInt(h, 16);
      }
      case 'u': {
        const h = this.src.slice(this.i, this.i + 4);
        this.i += 4;
        return parseInt(h, 16);
      }
      case 'c':
        this.i++;
        return undefined;
      default:
        if (/[1-9]/.test(e)) {
          // A back-reference, or a legacy octal escape (`\12`): its digits are one atom, never literals.
          while (/[0-9]/.test(this.src[this.i] ?? '')) this.i++;
          return undefined;
        }
        if (/[dDwWsSbBkpP]/.test(e)) return undefined;
        return e.charCodeAt(0);
    }
  }

  private escape(): Info {
    const e = this.peek();
    this.i++;
    if (e === 'b' || e === 'B') return EMPTY;
    if (e === 'k') {
      const end = this.src.indexOf('>', this.i);
      this.i = end < 0 ? this.src.length : end + 1;
      return UNKNOWN;
    }
    if (/[1-9]/.test(e)) {
      while (/[0-9]/.test(this.peek())) this.i++;
      return UNKNOWN;
    }
    if (e === 'p' || e === 'P') {
      if (this.peek() === '{') this.i = this.src.indexOf('}', this.i) + 1;
      return UNKNOWN;
    }
    const code = this.escapeCode(e);
    if (code === undefined || Number.isNaN(code)) return UNKNOWN;
    return { exact: new Set([String.fromCharCode(foldCode(code))]), req: undefined };
  }
}

function analyse(source: string): ReadonlySet<string> | undefined {
  let info: Info;
  try {
    info = new Parser(source).parse();
  } catch {
    return undefined;
  }
  const req = better(info.req, asReq(info.exact));
  if (!req || strength(req) < MIN_USEFUL || req.size > MAX_REQ) return undefined;
  return req;
}

/** Index of the `)` closing the group that opens at `open`, or -1. */
function closingParen(src: string, open: number): number {
  let depth = 0;
  for (let j = open; j < src.length; j++) {
    const c = src[j];
    if (c === '\\') j++;
    else if (c === '[') {
      for (j++; j < src.length && src[j] !== ']'; j++) if (src[j] === '\\') j++;
    } else if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return j;
  }
  return -1;
}

/** `(?:X){n,m}` / `(?:X)+` as the whole pattern (plain wrapping groups allowed): X and n. */
function repeatedGroup(source: string): { inner: string; min: number } | undefined {
  let src = source;
  for (;;) {
    if (!src.startsWith('(?:')) return undefined;
    const close = closingParen(src, 0);
    if (close < 0) return undefined;
    const tail = src.slice(close + 1);
    if (tail === '') {
      src = src.slice(3, close); // a plain wrapper: look inside
      continue;
    }
    const q = /^(?:\{(\d+)(?:,\d*)?\}|\+)\??$/.exec(tail);
    if (!q) return undefined;
    return { inner: src.slice(3, close), min: q[1] === undefined ? 1 : Number(q[1]) };
  }
}

/** What a match of a regex must contain: one of `literals`, at least `minCount` times in the text it matched. */
export interface Requirement {
  readonly literals: readonly string[];
  readonly minCount: number;
}

/**
 * The requirement of `re`, or undefined when no useful one is known. A pattern
 * that is one repeated group, `(?:X){n,}`, needs n occurrences: each copy of X
 * holds one of X's literals.
 */
export function requirement(re: RegExp): Requirement | undefined {
  if (re.flags.includes('u') || re.flags.includes('v')) return undefined;
  const rep = repeatedGroup(re.source);
  if (rep && rep.min >= 2) {
    const inner = analyse(rep.inner);
    if (inner) return { literals: [...inner], minCount: rep.min };
  }
  const req = analyse(re.source);
  return req && { literals: [...req], minCount: 1 };
}

/**
 * Folded strings one of which every match of `re` contains, or undefined when
 * no useful set is known (too short, too many, or a construct not analysed).
 */
export function requiredLiterals(re: RegExp): readonly string[] | undefined {
  if (re.flags.includes('u') || re.flags.includes('v')) return undefined;
  const req = analyse(re.source);
  return req && [...req];
}
