/** Meta rules: arithmetic and boolean expressions over other rules' hit counts. */
import type { MetaExpr } from './types';

/**
 * Evaluate `expr` with `lookup` giving each rule's hit count (0 when it did not hit).
 * `&&` and `||` yield an operand, as Perl's do, so `(A && B) + C` counts B's hits.
 */
export function evalMeta(expr: MetaExpr, lookup: (name: string) => number): number {
  switch (expr.op) {
    case 'num':
      return expr.value;
    case 'rule':
      return lookup(expr.name);
    case '!':
      return evalMeta(expr.arg, lookup) === 0 ? 1 : 0;
    case 'neg':
      return -evalMeta(expr.arg, lookup);
    case '&&': {
      const a = evalMeta(expr.left, lookup);
      return a === 0 ? a : evalMeta(expr.right, lookup);
    }
    case '||': {
      const a = evalMeta(expr.left, lookup);
      return a !== 0 ? a : evalMeta(expr.right, lookup);
    }
    default: {
      const a = evalMeta(expr.left, lookup);
      const b = evalMeta(expr.right, lookup);
      switch (expr.op) {
        case '+': return a + b;
        case '-': return a - b;
        case '*': return a * b;
        case '/': return b === 0 ? 0 : a / b;
        case '>': return a > b ? 1 : 0;
        case '<': return a < b ? 1 : 0;
        case '>=': return a >= b ? 1 : 0;
        case '<=': return a <= b ? 1 : 0;
        case '==': return a === b ? 1 : 0;
        case '!=': return a !== b ? 1 : 0;
      }
    }
  }
}

/** A meta expression compiled to a function of the scan's hit counts, one slot per rule. */
export type CompiledMeta = (counts: Float64Array) => number;

/**
 * Meta expressions as postfix code: one monomorphic loop evaluates them all,
 * where a tree of closures made every call site megamorphic (measured: the
 * metas cost a tenth of a scan). Operands are pure numbers, so `&&` and `||`
 * can evaluate both sides and pick one, as Perl's short-circuit would yield.
 */
const enum Op {
  Slot,
  Num,
  Not,
  Neg,
  And,
  Or,
  Add,
  Sub,
  Mul,
  Div,
  Gt,
  Lt,
  Ge,
  Le,
  Eq,
  Ne,
}
const BINARY_OPS: Readonly<Record<string, Op>> = {
  '&&': Op.And,
  '||': Op.Or,
  '+': Op.Add,
  '-': Op.Sub,
  '*': Op.Mul,
  '/': Op.Div,
  '>': Op.Gt,
  '<': Op.Lt,
  '>=': Op.Ge,
  '<=': Op.Le,
  '==': Op.Eq,
  '!=': Op.Ne,
};

/** Several meta expressions' code in one buffer: expression k is `code[starts[k] .. starts[k+1])`, as (op, operand) pairs. */
export interface MetaProgram {
  readonly code: Int32Array;
  readonly consts: Float64Array;
  readonly starts: Int32Array;
  /** Stack depth enough for every expression. */
  readonly depth: number;
}

/** Compile expressions once per rule set; `slot` gives each rule name its index in the counts array. */
export function compileMetaProgram(exprs: readonly MetaExpr[], slot: (name: string) => number): MetaProgram {
  const code: number[] = [];
  const consts: number[] = [];
  const starts: number[] = [];
  let depth = 1;
  const emit = (e: MetaExpr, d: number): void => {
    depth = Math.max(depth, d);
    switch (e.op) {
      case 'num':
        code.push(Op.Num, consts.length);
        consts.push(e.value);
        return;
      case 'rule':
        code.push(Op.Slot, slot(e.name));
        return;
      case '!':
      case 'neg':
        emit(e.arg, d);
        code.push(e.op === '!' ? Op.Not : Op.Neg, 0);
        return;
      default:
        emit(e.left, d);
        emit(e.right, d + 1);
        code.push(BINARY_OPS[e.op]!, 0);
    }
  };
  for (const e of exprs) {
    starts.push(code.length);
    emit(e, 1);
  }
  starts.push(code.length);
  return { code: Int32Array.from(code), consts: Float64Array.from(consts), starts: Int32Array.from(starts), depth };
}

/** Evaluate expression `k` of `p` over `counts`, with `stack` at least `p.depth` long. */
export function runMeta(p: MetaProgram, k: number, counts: Float64Array, stack: Float64Array): number {
  const code = p.code;
  let sp = -1;
  for (let pc = p.starts[k]!, end = p.starts[k + 1]!; pc < end; pc += 2) {
    const op = code[pc]!;
    if (op === Op.Slot) {
      stack[++sp] = counts[code[pc + 1]!]!;
      continue;
    }
    if (op === Op.Num) {
      stack[++sp] = p.consts[code[pc + 1]!]!;
      continue;
    }
    if (op === Op.Not) {
      stack[sp] = stack[sp] === 0 ? 1 : 0;
      continue;
    }
    if (op === Op.Neg) {
      stack[sp] = -stack[sp]!;
      continue;
    }
    const b = stack[sp--]!;
    const a = stack[sp]!;
    let v: number;
    switch (op) {
      case Op.And: v = a === 0 ? a : b; break;
      case Op.Or: v = a !== 0 ? a : b; break;
      case Op.Add: v = a + b; break;
      case Op.Sub: v = a - b; break;
      case Op.Mul: v = a * b; break;
      case Op.Div: v = b === 0 ? 0 : a / b; break;
      case Op.Gt: v = a > b ? 1 : 0; break;
      case Op.Lt: v = a < b ? 1 : 0; break;
      case Op.Ge: v = a >= b ? 1 : 0; break;
      case Op.Le: v = a <= b ? 1 : 0; break;
      case Op.Eq: v = a === b ? 1 : 0; break;
      default: v = a !== b ? 1 : 0;
    }
    stack[sp] = v;
  }
  return stack[0]!;
}

/** One expression compiled on its own (the same code path as a whole rule set's program). */
export function compileMeta(expr: MetaExpr, slot: (name: string) => number): CompiledMeta {
  const p = compileMetaProgram([expr], slot);
  const stack = new Float64Array(p.depth);
  return (c) => runMeta(p, 0, c, stack);
}

/**
 * Order meta rules so each comes after the metas it depends on. Cycles are
 * broken (the rules in a cycle are returned in `cyclic` for lint to report).
 */
export function orderMetas<T extends { name: string; deps: readonly string[] }>(metas: readonly T[]): { ordered: T[]; cyclic: string[] } {
  const byName = new Map(metas.map((m) => [m.name, m]));
  const state = new Map<string, 1 | 2>(); // 1 = visiting, 2 = done
  const ordered: T[] = [];
  const cyclic: string[] = [];
  const visit = (m: T): void => {
    const s = state.get(m.name);
    if (s === 2) return;
    if (s === 1) {
      cyclic.push(m.name);
      return;
    }
    state.set(m.name, 1);
    for (const d of m.deps) {
      const dep = byName.get(d);
      if (dep) visit(dep);
    }
    state.set(m.name, 2);
    ordered.push(m);
  };
  // Iterative deepening is not needed: meta chains in real rule sets are a few levels deep.
  for (const m of metas) visit(m);
  return { ordered, cyclic };
}
