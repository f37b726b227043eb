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

/** A meta expression compiled to a closure over the scan's hit counts, one slot per rule. */
export type CompiledMeta = (counts: Float64Array) => number;

const BINARY: Readonly<Record<string, (a: number, b: number) => number>> = {
  '+': (a, b) => a + b,
  '-': (a, b) => a - b,
  '*': (a, b) => a * b,
  '/': (a, b) => (b === 0 ? 0 : a / b),
  '>': (a, b) => (a > b ? 1 : 0),
  '<': (a, b) => (a < b ? 1 : 0),
  '>=': (a, b) => (a >= b ? 1 : 0),
  '<=': (a, b) => (a <= b ? 1 : 0),
  '==': (a, b) => (a === b ? 1 : 0),
  '!=': (a, b) => (a !== b ? 1 : 0),
};

/**
 * Compile `expr` once per rule set: the same results as `evalMeta`, without
 * walking the tree, switching on operators or looking names up for every
 * message. `slot` gives each rule name its index in the counts array.
 */
export function compileMeta(expr: MetaExpr, slot: (name: string) => number): CompiledMeta {
  const sub = (e: MetaExpr): CompiledMeta => compileMeta(e, slot);
  switch (expr.op) {
    case 'num': {
      const v = expr.value;
      return () => v;
    }
    case 'rule': {
      const i = slot(expr.name);
      return (c) => c[i]!;
    }
    case '!': {
      const a = sub(expr.arg);
      return (c) => (a(c) === 0 ? 1 : 0);
    }
    case 'neg': {
      const a = sub(expr.arg);
      return (c) => -a(c);
    }
    case '&&': {
      const l = sub(expr.left);
      const r = sub(expr.right);
      return (c) => {
        const a = l(c);
        return a === 0 ? a : r(c);
      };
    }
    case '||': {
      const l = sub(expr.left);
      const r = sub(expr.right);
      return (c) => {
        const a = l(c);
        return a !== 0 ? a : r(c);
      };
    }
    default: {
      const l = sub(expr.left);
      const r = sub(expr.right);
      const f = BINARY[expr.op]!;
      return (c) => f(l(c), r(c));
    }
  }
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
