/** Find a compiled rule (plain or meta) by name, for code that reads a scan's hits after the scan. */
import type { CompiledRuleSet } from './scanner';
import type { CompiledRule } from './types';

export type RuleLookup = (name: string) => CompiledRule | undefined;

const lookups = new WeakMap<CompiledRuleSet, ReadonlyMap<string, CompiledRule>>();

/** A name -> rule lookup over a rule set, built once per rule set. */
export function ruleLookup(rs: CompiledRuleSet): RuleLookup {
  let byName = lookups.get(rs);
  if (!byName) {
    const m = new Map<string, CompiledRule>();
    for (const r of rs.rules) m.set(r.name, r);
    for (const r of rs.metas) m.set(r.name, r);
    lookups.set(rs, (byName = m));
  }
  return (name) => byName.get(name);
}
