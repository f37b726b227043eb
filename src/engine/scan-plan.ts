/**
 * What all scans of one rule set share, worked out on first use: which rules
 * can change a score, their prefilter needs, and flat per-rule arrays so the
 * scan loop reads indexes instead of looking names up.
 */
import type { ScanSettings } from './context';
import { decidedOnDemand, demandProgram, type DemandProgram } from './lazy-subrules';
import { compileMetaProgram, type MetaProgram } from './meta';
import { prefilterFor, type Need, type Prefilter } from './prefilter';
import type { CompiledRule, MetaExpr } from './types';

/** A rule set ready to scan with: rules sorted by priority, metas in dependency order. */
export interface CompiledRuleSet {
  readonly rules: readonly CompiledRule[];
  /** Meta rules, each after the metas it depends on. */
  readonly metas: readonly CompiledRule[];
  /** Names some meta depends on: they run even when their own score is 0. */
  readonly metaDeps: ReadonlySet<string>;
  readonly settings: ScanSettings;
}

/** The non-meta rules one scan runs, with aligned per-rule facts. */
export interface RuleList {
  readonly rules: readonly CompiledRule[];
  /** Each rule's prefilter need, if it has one. */
  readonly needs: readonly (Need | undefined)[];
  /** Each rule's index in the scan's counts array. */
  readonly slots: Int32Array;
  /** For header rules with a need: which header value they read (rules reading the same value share one literal pass); else -1. */
  readonly headerGroups: Int32Array;
  /** 1 for a rule whose regex runs under the watchdog (`guarded`, see regex-guard.ts). */
  readonly guarded: Uint8Array;
  /** Whether any rule of the list is guarded. */
  readonly anyGuarded: boolean;
  /** 1 for a rule the scan loop may leave to be decided on demand (lazy-subrules.ts); none in the list of all rules. */
  readonly onDemand: Uint8Array;
  /** The list index of each such rule, by slot. */
  readonly onDemandAt: ReadonlyMap<number, number>;
}

/** The metas one scan runs, in dependency order. */
export interface MetaList {
  readonly rules: readonly CompiledRule[];
  /** Each meta's expression index in the plan's program (-1: not a meta expression). */
  readonly exprs: Int32Array;
  readonly slots: Int32Array;
  /** Each meta's dependencies' slots (to tell which metas read a rule that did not finish). */
  readonly depSlots: readonly Int32Array[];
}

export interface ScanPlan {
  readonly byName: ReadonlyMap<string, CompiledRule>;
  /** The rule of each slot (none for a name metas read that nothing defines). */
  readonly bySlot: readonly (CompiledRule | undefined)[];
  readonly prefilter: Prefilter;
  /** Size of a scan's counts array: every rule name, and names metas read that nothing defines. */
  readonly slotCount: number;
  /** How many distinct header values header rules with a need read. */
  readonly headerGroupCount: number;
  /** Index 0-3: the live rules of that score set; index 4: all of them (each built on first use: a one-shot run needs one). */
  rules(which: number): RuleList;
  metas(which: number): MetaList;
  /** The metas' program (built on first use). */
  program(): MetaProgram;
  /** The metas compiled for on-demand scans (built on first use). */
  demand(): DemandProgram;
  /** A name's slot, if it has one. */
  slotOf(name: string): number | undefined;
}

/**
 * The rules whose result can change a score in `set`: the scored ones, those that capture tags
 * and, transitively, every rule a live meta reads. A sub-rule nothing scored reads
 * cannot change the verdict, so it is not run.
 */
function liveRules(byName: ReadonlyMap<string, CompiledRule>, set: number): Set<string> {
  const live = new Set<string>();
  const stack: string[] = [];
  // Rules that capture tags run whenever any rule does: template rules read their tags, not their hits.
  for (const r of byName.values()) if ((!r.subrule && r.scores[set] !== 0) || r.captures) stack.push(r.name);
  while (stack.length > 0) {
    const name = stack.pop()!;
    if (live.has(name)) continue;
    live.add(name);
    const r = byName.get(name);
    if (r?.test.type === 'meta') for (const d of r.test.deps) stack.push(d);
  }
  return live;
}

/** The per-scan cache key of the value a header rule reads (what `ScanContext.header` caches, plus the unset default). */
function headerValueKey(rule: CompiledRule): string | undefined {
  const t = rule.test;
  if (t.type !== 'header') return undefined;
  return t.ifUnset === undefined ? t.spec : `${t.spec}\u0000${t.ifUnset}`;
}

function isGuarded(rule: CompiledRule): boolean {
  const t = rule.test;
  return (t.type === 'header' || t.type === 'mimeheader' || t.type === 'regex') && t.guarded === true;
}

function buildPlan(rs: CompiledRuleSet): ScanPlan {
  const byName = new Map<string, CompiledRule>();
  for (const r of rs.rules) byName.set(r.name, r);
  for (const r of rs.metas) byName.set(r.name, r);
  const slots = new Map<string, number>();
  const slot = (name: string): number => {
    let i = slots.get(name);
    if (i === undefined) slots.set(name, (i = slots.size));
    return i;
  };
  for (const name of byName.keys()) slot(name);
  const bySlot = [...byName.values()];
  const prefilter = prefilterFor(rs.rules);
  const exprIndex = new Map<CompiledRule, number>();
  const exprs: MetaExpr[] = [];
  for (const m of rs.metas) {
    if (m.test.type !== 'meta') continue;
    exprIndex.set(m, exprs.length);
    exprs.push(m.test.expr);
    for (const d of m.test.deps) slot(d); // names no rule defines get a slot too
  }
  // Each program is compiled on first use: a scan deciding sub-rules on demand needs only one.
  let program: MetaProgram | undefined;
  let demand: DemandProgram | undefined;
  const groups = new Map<string, number>();
  const ruleList = (rules: readonly CompiledRule[], which: number): RuleList => {
    const needs = rules.map((r) => prefilter.needs.get(r));
    const headerGroups = Int32Array.from(rules, (r, i) => {
      const key = needs[i] ? headerValueKey(r) : undefined;
      if (key === undefined) return -1;
      let g = groups.get(key);
      if (g === undefined) groups.set(key, (g = groups.size));
      return g;
    });
    const guarded = Uint8Array.from(rules, (r) => (isGuarded(r) ? 1 : 0));
    const ruleSlots = Int32Array.from(rules, (r) => slot(r.name));
    const onDemand = Uint8Array.from(rules, (r) => (which !== 4 && decidedOnDemand(r) ? 1 : 0));
    const onDemandAt = new Map<number, number>();
    onDemand.forEach((d, i) => d === 1 && onDemandAt.set(ruleSlots[i]!, i));
    return { rules, needs, slots: ruleSlots, headerGroups, guarded, anyGuarded: guarded.includes(1), onDemand, onDemandAt };
  };
  const metaList = (rules: readonly CompiledRule[]): MetaList => ({
    rules,
    exprs: Int32Array.from(rules, (r) => exprIndex.get(r) ?? -1),
    slots: Int32Array.from(rules, (r) => slot(r.name)),
    depSlots: rules.map((r) => Int32Array.from(r.test.type === 'meta' ? r.test.deps : [], slot)),
  });
  const ruleLists: RuleList[] = [];
  const metaLists: MetaList[] = [];
  // The live rules of a score set, worked out once for its rule list and its meta list.
  const liveSets: Set<string>[] = [];
  const subset = (all: readonly CompiledRule[], which: number): readonly CompiledRule[] => {
    if (which === 4) return all;
    const live = (liveSets[which] ??= liveRules(byName, which));
    return all.filter((r) => live.has(r.name));
  };
  // Header groups number the values header rules read: known for every list before any scan uses one.
  const all = ruleList(rs.rules, 4);
  return {
    byName,
    bySlot,
    prefilter,
    slotCount: slots.size,
    headerGroupCount: groups.size,
    rules: (which) => (ruleLists[which] ??= which === 4 ? all : ruleList(subset(rs.rules, which), which)),
    metas: (which) => (metaLists[which] ??= metaList(subset(rs.metas, which))),
    program: () => (program ??= compileMetaProgram(exprs, slot)),
    demand: () => (demand ??= demandProgram(rs.rules, rs.metas, rs.metas.map((m) => (m.test.type === 'meta' ? m.test.expr : null)), slot, slots.size)),
    slotOf: (name) => slots.get(name),
  };
}

const plans = new WeakMap<CompiledRuleSet, ScanPlan>();

export function planFor(rs: CompiledRuleSet): ScanPlan {
  let plan = plans.get(rs);
  if (!plan) plans.set(rs, (plan = buildPlan(rs)));
  return plan;
}
