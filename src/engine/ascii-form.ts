/**
 * The ASCII form of a translated regex: what remains when everything that can
 * only match a byte >= 0x80 is removed. On a line with no such byte it gives
 * exactly the original's answers, and it is far smaller for the obfuscation
 * rules, whose every letter is a class of look-alikes plus dozens of UTF-8
 * sequences. Patterns with backreferences are left alone (dropping a group
 * would renumber them).
 */

interface Piece {
  readonly src: string;
  /** Cannot match any ASCII text. */
  readonly never: boolean;
}

// An empty class: matches nothing, and V8's linear engine takes it (it refuses `(?!)`).
const NEVER: Piece = { src: '[]', never: true };

class Pruner {
  private i = 0;
  constructor(private readonly s: string) {}

  run(): string {
    const p = this.alternation();
    if (this.i !== this.s.length) throw new Error('unbalanced');
    return p.src;
  }

  private alternation(): Piece {
    const kept: string[] = [];
    let any = false;
    for (;;) {
      const b = this.sequence();
      if (!b.never) {
        kept.push(b.src);
        any = true;
      }
      if (this.s[this.i] !== '|') break;
      this.i++;
    }
    return any ? { src: kept.join('|'), never: false } : NEVER;
  }

  private sequence(): Piece {
    let out = '';
    let never = false;
    while (this.i < this.s.length && this.s[this.i] !== '|' && this.s[this.i] !== ')') {
      const { atom, quant, min } = this.quantified();
      if (atom.never) {
        if (min > 0) never = true; // a required part that cannot match
        continue; // an optional one matches only the empty string: drop it
      }
      out += atom.src + quant;
    }
    return never ? NEVER : { src: out, never: false };
  }

  private quantified(): { atom: Piece; quant: string; min: number } {
    const atom = this.atom();
    const m = /^(?:([*+?])|\{(\d+)(?:,\d*)?\})\??/.exec(this.s.slice(this.i, this.i + 24));
    if (!m) return { atom, quant: '', min: 1 };
    this.i += m[0].length;
    const min = m[1] === '+' ? 1 : m[1] !== undefined ? 0 : Number(m[2]);
    return { atom, quant: m[0], min };
  }

  private atom(): Piece {
    const c = this.s[this.i]!;
    if (c === '(') return this.group();
    if (c === '[') return this.charClass();
    if (c === '\\') return this.escape();
    this.i++;
    return c.charCodeAt(0) >= 0x80 ? NEVER : { src: c, never: false };
  }

  private group(): Piece {
    const m = /^\((\?:|\?=|\?!|\?<=|\?<!|\?<\w+>)?/.exec(this.s.slice(this.i, this.i + 40))!;
    const head = m[0];
    this.i += head.length;
    const inner = this.alternation();
    if (this.s[this.i] !== ')') throw new Error('unclosed group');
    this.i++;
    if (head === '(?!' || head === '(?<!') return inner.never ? { src: '', never: false } : { src: `${head}${inner.src})`, never: false };
    return inner.never ? NEVER : { src: `${head}${inner.src})`, never: false };
  }

  private escape(): Piece {
    const e = this.s[this.i + 1] ?? '';
    if (e === 'x') {
      const code = parseInt(this.s.slice(this.i + 2, this.i + 4), 16);
      const src = this.s.slice(this.i, this.i + 4);
      this.i += 4;
      return code >= 0x80 ? NEVER : { src, never: false };
    }
    if (e === 'u') {
      const code = parseInt(this.s.slice(this.i + 2, this.i + 6), 16);
      const src = this.s.slice(this.i, this.i + 6);
      this.i += 6;
      return code >= 0x80 ? NEVER : { src, never: false };
    }
    if (e === 'c') {
      const src = this.s.slice(this.i, this.i + 3);
      this.i += 3;
      return { src, never: false };
    }
    if (/[1-9k]/.test(e)) throw new Error('backreference');
    this.i += 2;
    return { src: '\\' + e, never: false };
  }

  /** A class keeps its ASCII members; a negated class is kept whole (it matches ASCII anyway, or never did). */
  private charClass(): Piece {
    const start = this.i;
    this.i++;
    const negated = this.s[this.i] === '^';
    if (negated) this.i++;
    const members: string[] = [];
    while (this.i < this.s.length && this.s[this.i] !== ']') {
      const lo = this.classMember();
      if (this.s[this.i] === '-' && this.s[this.i + 1] !== ']' && this.i + 1 < this.s.length && lo.code >= 0) {
        this.i++;
        const hi = this.classMember();
        if (hi.code < 0) throw new Error('bad range');
        if (lo.code < 0x80) members.push(`${hex(lo.code)}-${hex(Math.min(hi.code, 0x7f))}`);
        continue;
      }
      if (lo.code < 0) members.push(lo.src); // a shorthand such as \d or \s
      else if (lo.code < 0x80) members.push(hex(lo.code));
    }
    if (this.s[this.i] !== ']') throw new Error('unclosed class');
    this.i++;
    if (negated) return { src: this.s.slice(start, this.i), never: false };
    return members.length === 0 ? NEVER : { src: `[${members.join('')}]`, never: false };
  }

  /** One class member: its code, or -1 with its source for a shorthand. */
  private classMember(): { code: number; src: string } {
    const c = this.s[this.i]!;
    if (c !== '\\') {
      this.i++;
      return { code: c.charCodeAt(0), src: c };
    }
    const e = this.s[this.i + 1] ?? '';
    const simple: Record<string, number> = { n: 10, r: 13, t: 9, f: 12, v: 11, '0': 0, b: 8 };
    if (e === 'x' || e === 'u') {
      const len = e === 'x' ? 2 : 4;
      const code = parseInt(this.s.slice(this.i + 2, this.i + 2 + len), 16);
      this.i += 2 + len;
      return { code, src: '' };
    }
    this.i += 2;
    if (e in simple) return { code: simple[e]!, src: '' };
    if (/[dDwWsS]/.test(e)) return { code: -1, src: '\\' + e };
    if (e === 'c' || e === 'p' || e === 'P') throw new Error('unsupported class escape');
    return { code: e.charCodeAt(0), src: '' };
  }
}

function hex(code: number): string {
  return '\\x' + code.toString(16).padStart(2, '0');
}

/** The ASCII form of `re`, or undefined when it is the same or cannot be made. */
export function asciiForm(re: RegExp): RegExp | undefined {
  const src = re.source;
  if (!/\\x[89a-f]|[^\x00-\x7f]/i.test(src) || /\\[1-9]|\\k</.test(src)) return undefined;
  try {
    const out = new Pruner(src).run();
    return out === src ? undefined : new RegExp(out, re.flags);
  } catch {
    return undefined;
  }
}
