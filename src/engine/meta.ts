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
  /** A slot decided on demand (lazy-subrules.ts): decided first when still pending, then read. */
  Demand,
  /** Short-circuit `&&`: when the top is 0 it is the result: jump to the operand. */
  JumpIfZero,
  /** Short-circuit `||`: when the top is not 0 it is the result: jump; else drop it. */
  JumpIfNonZeroElsePop,
  /** `&&` whose left side ran first and was not 0: the right side is the result. */
  AndTakeRight,
  /** `&&` whose right side ran first and was not 0: the left side if it is 0, else the right. */
  AndSwapped,
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

/**
 * Compile expressions once per rule set; `slot` gives each rule name its index in the counts array.
 * `onDemand`: the slots decided only when read (lazy-subrules.ts). An expression reading one
 * short-circuits where that can skip it: `A && B` runs first the side that reads no such slot and
 * stops when it is 0 (either side 0 makes the result 0, whichever ran first), `A || B` skips B when
 * A is not 0; elsewhere both sides run, as without `onDemand`.
 */
export function compileMetaProgram(exprs: readonly MetaExpr[], slot: (name: string) => number, onDemand?: (slot: number) => boolean): MetaProgram {
  const code: number[] = [];
  const consts: number[] = [];
  const starts: number[] = [];
  let depth = 1;
  const reads = new Map<MetaExpr, boolean>();
  const readsDemand = (e: MetaExpr): boolean => {
    if (onDemand === undefined) return false;
    let r = reads.get(e);
    if (r === undefined) {
      if (e.op === 'rule') r = onDemand(slot(e.name));
      else if (e.op === 'num') r = false;
      else if ('arg' in e) r = readsDemand(e.arg);
      else r = readsDemand(e.left) || readsDemand(e.right);
      reads.set(e, r);
    }
    return r;
  };
  /** Emit `first`, a jump over the rest when it decides the result, `second` and `op` (a jump's target is patched). */
  const shortCircuit = (first: MetaExpr, jump: Op, second: MetaExpr, op: Op | undefined, d: number): void => {
    emit(first, d);
    const at = code.length;
    code.push(jump, 0);
    emit(second, op === undefined ? d : d + 1);
    if (op !== undefined) code.push(op, 0);
    code[at + 1] = code.length;
  };
  const emit = (e: MetaExpr, d: number): void => {
    depth = Math.max(depth, d);
    switch (e.op) {
      case 'num':
        code.push(Op.Num, consts.length);
        consts.push(e.value);
        return;
      case 'rule': {
        const s = slot(e.name);
        code.push(onDemand?.(s) ? Op.Demand : Op.Slot, s);
        return;
      }
      case '!':
      case 'neg':
        emit(e.arg, d);
        code.push(e.op === '!' ? Op.Not : Op.Neg, 0);
        return;
      default:
        if (e.op === '&&' && readsDemand(e)) {
          const swap = readsDemand(e.left) && !readsDemand(e.right);
          shortCircuit(swap ? e.right : e.left, Op.JumpIfZero, swap ? e.left : e.right, swap ? Op.AndSwapped : Op.AndTakeRight, d);
          return;
        }
        if (e.op === '||' && readsDemand(e.right)) {
          shortCircuit(e.left, Op.JumpIfNonZeroElsePop, e.right, undefined, d);
          return;
        }
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

/** What decides a program's on-demand slots: `pending[slot]` is 1 until `decide(slot)` has set `counts[slot]`. */
export interface Demander {
  readonly pending: Uint8Array;
  decide(slot: number): void;
}

/**
 * Evaluate expression `k` of `p` over `counts`, with `stack` at least `p.depth` long; a program
 * compiled with `onDemand` needs `demand` (which may run this function again, with another stack).
 */
export function runMeta(p: MetaProgram, k: number, counts: Float64Array, stack: Float64Array, demand?: Demander): number {
  const code = p.code;
  let sp = -1;
  for (let pc = p.starts[k]!, end = p.starts[k + 1]!; pc < end; pc += 2) {
    const op = code[pc]!;
    if (op === Op.Slot) {
      stack[++sp] = counts[code[pc + 1]!]!;
      continue;
    }
    if (op >= Op.Demand) {
      sp = demandOp(op, code[pc + 1]!, counts, stack, sp, demand!);
      if (sp < -1) {
        // A jump taken: its target, and the stack as it was (the decisive value on top).
        pc = code[pc + 1]! - 2;
        sp = -sp - 2;
      }
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

/**
 * One of the on-demand ops at stack pointer `sp`; returns the new stack pointer (-1: empty), or,
 * for a jump taken, `-sp - 2` (runMeta then goes to the operand).
 */
function demandOp(op: Op, arg: number, counts: Float64Array, stack: Float64Array, sp: number, demand: Demander): number {
  switch (op) {
    case Op.Demand:
      if (demand.pending[arg] === 1) demand.decide(arg);
      stack[++sp] = counts[arg]!;
      return sp;
    case Op.JumpIfZero:
      return stack[sp] === 0 ? -sp - 2 : sp;
    case Op.JumpIfNonZeroElsePop:
      return stack[sp] !== 0 ? -sp - 2 : sp - 1;
    case Op.AndTakeRight:
      stack[sp - 1] = stack[sp]!;
      return sp - 1;
    default: {
      // AndSwapped: the left side (on top) ran second; the right one was not 0.
      const left = stack[sp]!;
      if (left === 0) stack[sp - 1] = left;
      return sp - 1;
    }
  }
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
