/**
 * Parse `meta` expressions: rule names, numbers, `! -` (unary), `* /`, `+ -`,
 * comparisons, `== !=`, `&&`, `||` and parentheses, with Perl's precedence.
 */
import type { MetaExpr } from '../engine/types';

type Tok = { t: 'num'; v: number } | { t: 'name'; v: string } | { t: 'op'; v: string };

const TOKEN = /\s*(?:(\d+(?:\.\d+)?)|([A-Za-z_]\w*)|(&&|\|\||>=|<=|==|!=|[-+*/()<>!]))/y;

function tokenize(src: string): Tok[] | string {
  const out: Tok[] = [];
  let pos = 0;
  for (;;) {
    while (pos < src.length && /\s/.test(src[pos]!)) pos++;
    if (pos >= src.length) return out;
    TOKEN.lastIndex = pos;
    const m = TOKEN.exec(src);
    if (!m) return `unexpected '${src.slice(pos, pos + 10)}'`;
    if (m[1] !== undefined) out.push({ t: 'num', v: Number(m[1]) });
    else if (m[2] !== undefined) out.push({ t: 'name', v: m[2] });
    else out.push({ t: 'op', v: m[3]! });
    pos = TOKEN.lastIndex;
  }
}

const LEVELS: readonly (readonly string[])[] = [['||'], ['&&'], ['==', '!='], ['<', '>', '<=', '>='], ['+', '-'], ['*', '/']];

/** A parsed meta expression and the rule names it reads. */
export interface ParsedMeta {
  readonly expr: MetaExpr;
  readonly deps: readonly string[];
}

/** Parse a meta expression; a string result is the reason it is invalid. */
export function parseMetaExpr(src: string): ParsedMeta | string {
  const lexed = tokenize(src);
  if (typeof lexed === 'string') return lexed;
  const toks: readonly Tok[] = lexed;
  if (toks.length === 0) return 'empty expression';
  const deps = new Set<string>();
  let i = 0;
  const bad = (msg: string): never => {
    throw new SyntaxError(msg);
  };
  const unary = (): MetaExpr => {
    const tok = toks[i++];
    if (!tok) return bad('unexpected end of expression');
    if (tok.t === 'num') return { op: 'num', value: tok.v };
    if (tok.t === 'name') {
      deps.add(tok.v);
      return { op: 'rule', name: tok.v };
    }
    if (tok.v === '!') return { op: '!', arg: unary() };
    if (tok.v === '-') return { op: 'neg', arg: unary() };
    if (tok.v === '+') return unary();
    if (tok.v === '(') {
      const e = binary(0);
      const close = toks[i++];
      if (!close || close.t !== 'op' || close.v !== ')') bad("missing ')'");
      return e;
    }
    return bad(`unexpected '${tok.v}'`);
  };
  function binary(level: number): MetaExpr {
    if (level >= LEVELS.length) return unary();
    let left = binary(level + 1);
    for (;;) {
      const tok = toks[i];
      if (!tok || tok.t !== 'op' || !LEVELS[level]!.includes(tok.v)) return left;
      i++;
      const right = binary(level + 1);
      left = { op: tok.v as '&&', left, right };
    }
  }
  try {
    const expr = binary(0);
    if (i < toks.length) return `unexpected '${String(toks[i]!.v)}'`;
    return { expr, deps: [...deps] };
  } catch (e) {
    return (e as Error).message;
  }
}
