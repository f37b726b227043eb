/**
 * Sub-rules decided on demand. A `__` rule that only metas read (a regex, header, mimeheader or
 * exists test: no eval, no captures, no template, not guarded) is skipped by the scan loop and
 * run when a meta first reads it; a `__` meta is evaluated when another meta first reads it. The
 * meta program (meta.ts, `onDemand`) short-circuits so that `A && B` never decides B when A is 0.
 * Scored results are the same as running everything: rules and metas are pure functions of the
 * message and of the counts before them, and a meta's value does not depend on the order its
 * operands are decided in. What only sub-rule counts show (`_SUBTESTS_`) needs `allSubrules`.
 */
import { compileMetaProgram, runMeta, type Demander, type MetaProgram } from './meta';
import type { CompiledRule, MetaExpr } from './types';

/** Whether the scan loop may leave `rule` for a meta to decide. */
export function decidedOnDemand(rule: CompiledRule): boolean {
  if (!rule.subrule || rule.captures !== undefined || rule.template !== undefined) return false;
  const t = rule.test;
  if (t.type === 'regex' || t.type === 'header' || t.type === 'mimeheader') return t.guarded !== true;
  return t.type === 'exists';
}

/** A rule set's metas compiled for on-demand scans. */
export interface DemandProgram {
  readonly program: MetaProgram;
  /** By slot: the expression index of a `__` meta evaluated on demand, else -1. */
  readonly metaExpr: Int32Array;
  /** By slot: 1 for a rule the scan loop leaves to be decided on demand. */
  readonly ruleOnDemand: Uint8Array;
}

/**
 * The demand program of a rule set: `metas` in dependency order, `exprs` their expressions (null:
 * not a meta expression). Metas are evaluated on demand only when no meta reads one that comes
 * after it (a cycle lint reports): then a meta's operands are always decided before it is read.
 */
export function demandProgram(
  rules: readonly CompiledRule[],
  metas: readonly CompiledRule[],
  exprs: readonly (MetaExpr | null)[],
  slot: (name: string) => number,
  slotCount: number,
): DemandProgram {
  const ruleOnDemand = new Uint8Array(slotCount);
  for (const r of rules) if (decidedOnDemand(r)) ruleOnDemand[slot(r.name)] = 1;
  const metaExpr = new Int32Array(slotCount).fill(-1);
  const position = new Map(metas.map((m, i) => [m.name, i]));
  const acyclic = metas.every((m, i) => m.test.type !== 'meta' || m.test.deps.every((d) => (position.get(d) ?? -1) < i));
  const list: MetaExpr[] = [];
  const index = new Int32Array(metas.length).fill(-1);
  metas.forEach((m, i) => {
    const e = exprs[i];
    if (e === null || e === undefined) return;
    index[i] = list.length;
    list.push(e);
    if (acyclic && m.subrule) metaExpr[slot(m.name)] = index[i]!;
  });
  const program = compileMetaProgram(list, slot, (s) => ruleOnDemand[s] === 1 || metaExpr[s]! >= 0);
  return { program, metaExpr, ruleOnDemand };
}

/**
 * One scan's on-demand state: which slots are still pending, and how to decide one. `runRuleAt`
 * runs the rule at an index of the scan's list (its hit count), `record` keeps a hit by slot.
 * While the scan loop runs, a count an eval reads (`ScanContext.count`) decides a pending rule
 * only if the loop has passed it, as the loop would have run it by then; metas are decided only
 * once metas are evaluated.
 */
export class DemandScan implements Demander {
  readonly pending: Uint8Array;
  /** The scan loop's position in its rule list; rules before it would have run. */
  loopAt = 0;
  metasStarted = false;
  private readonly stacks: Float64Array[] = [];
  private level = 0;

  constructor(
    private readonly demand: DemandProgram,
    private readonly values: Float64Array,
    private readonly listIndex: ReadonlyMap<number, number>,
    private readonly slotOf: (name: string) => number | undefined,
    private readonly runRuleAt: (index: number) => number,
    private readonly record: (slot: number, n: number) => void,
  ) {
    this.pending = new Uint8Array(values.length);
  }

  /** Mark a rule of the scan's list as left for later (the loop skipped it). */
  defer(slot: number): void {
    this.pending[slot] = 1;
  }

  /** Mark every on-demand meta of the scan's meta list as pending. */
  deferMetas(slots: Int32Array): void {
    for (const s of slots) if (this.demand.metaExpr[s]! >= 0) this.pending[s] = 1;
  }

  isOnDemandMeta(slot: number): boolean {
    return this.demand.metaExpr[slot]! >= 0;
  }

  decide(slot: number): void {
    this.pending[slot] = 0;
    const k = this.demand.metaExpr[slot]!;
    if (k >= 0) {
      const stack = (this.stacks[this.level] ??= new Float64Array(this.demand.program.depth));
      this.level++;
      try {
        if (runMeta(this.demand.program, k, this.values, stack, this) > 0) this.record(slot, 1);
      } finally {
        this.level--;
      }
      return;
    }
    const i = this.listIndex.get(slot)!;
    const n = this.runRuleAt(i);
    if (n > 0) this.record(slot, n);
  }

  /** `ScanContext.count` is about to read `name`: decide it first if the scan has reached it. */
  beforeCount(name: string): void {
    const s = this.slotOf(name);
    if (s === undefined || this.pending[s] !== 1) return;
    if (this.demand.metaExpr[s]! >= 0 ? this.metasStarted : this.listIndex.get(s)! < this.loopAt) this.decide(s);
  }

  /** Decide every pending rule before list index `end`, in list order (a scan that did not finish runs as without demand). */
  decideRulesBefore(end: number, slots: Int32Array): void {
    for (let i = 0; i < end; i++) if (this.pending[slots[i]!] === 1 && this.demand.metaExpr[slots[i]!]! < 0) this.decide(slots[i]!);
  }
}
