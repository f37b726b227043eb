/**
 * The "start lookups" step: every network rule of the scan's rule list starts what its answer
 * needs, before the local rules run, so the answers arrive while they scan (SpamAssassin starts
 * its DNS rules at priority -100 and harvests them later). A rule whose start throws only
 * loses its own lookups.
 */
import type { NetScan } from '../dns/net-scan';
import { planFor, type CompiledRuleSet } from '../engine/scan-plan';
import type { CompiledRule } from '../engine/types';

const isNet = (r: CompiledRule): boolean => r.test.type === 'eval' && r.test.net !== undefined;

/**
 * The network rules whose lookups a scan in score set `which` starts, in rule order (cached per
 * list): those the scan runs, and every network sub-rule, which the scan's own list may leave out
 * when no meta reads it: `__RCVD_IN_ZEN` defines the queries its `check_rbl_sub` rules read, as
 * SpamAssassin runs every `__` rule.
 */
const netLists = new WeakMap<object, readonly CompiledRule[]>();
export function networkRules(rs: CompiledRuleSet, which: number): readonly CompiledRule[] {
  const plan = planFor(rs);
  const list = plan.rules(which);
  let net = netLists.get(list);
  if (!net) {
    const runs = new Set(list.rules.filter(isNet));
    net = plan.rules(4).rules.filter((r) => isNet(r) && (runs.has(r) || r.subrule));
    netLists.set(list, net);
  }
  return net;
}

/** A start that threw: its rule then reads no answers and does not hit. */
export interface StartFailure {
  readonly rule: string;
  readonly message: string;
}

/** Start the lookups of `rules` on `net`; returns the starts that failed. */
export function startLookups(net: NetScan, rules: readonly CompiledRule[]): StartFailure[] {
  const failures: StartFailure[] = [];
  for (const rule of rules) {
    const t = rule.test;
    if (t.type !== 'eval' || !t.net) continue;
    try {
      t.net.start(net, t.args, rule);
    } catch (e) {
      failures.push({ rule: rule.name, message: e instanceof Error ? e.message : String(e) });
    }
  }
  return failures;
}
