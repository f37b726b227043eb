/**
 * The AWL step after a scan, for the scan / CLI / spamd wiring: whether the
 * configuration turns it on, and one call that works out the sender and the
 * score from a finished scan and applies the AWL. The caller adds the AWL
 * pseudo-hit (name `AWL`, score `delta`, when `delta !== 0`) to the result, and
 * fills the tags when there was a history (`mean !== undefined`): `_AWL_` delta,
 * `_AWLMEAN_` mean, `_AWLCOUNT_` count, `_AWLPRESCORE_` preScore, each printed
 * `%2.1f` like `_SCORE_` (SpamAssassin shows `awlcount=1.0`); all empty otherwise.
 */
import type { RuleSet } from '../config/compile';
import type { RuleHit, ScanResult } from '../engine/types';
import { verdict } from '../engine/verdict';
import type { Message } from '../message/types';
import { awlAdjust, awlInputFromScan, awlSenderOf, type AwlResult } from './awl';

/** The AWL's result for a scan, with the score before it (`_AWLPRESCORE_`). */
export interface AwlScanResult extends AwlResult {
  readonly preScore: number;
}
import { awlSettings, type AwlSettings } from './settings';
import type { AddrListStore } from './store';

const AWL_EVALS = new Set(['check_from_in_auto_welcomelist', 'check_from_in_auto_whitelist']);

/**
 * The name of the rule that calls the AWL eval (`AWL` in 60_awl.cf), when one is
 * defined: SpamAssassin runs the AWL only through that rule, i.e. when the AWL
 * plugin is loaded and its rule file read.
 */
export function awlRuleName(rules: RuleSet): string | undefined {
  for (const r of rules.compiled.rules) if (r.test.type === 'eval' && AWL_EVALS.has(r.test.fnName)) return r.name;
  return rules.disabled.find((d) => d.needs === 'awl')?.name;
}

/** True when scans with this rule set should apply the AWL: its rule is defined and `use_auto_welcomelist` is on. */
export function awlActive(rules: RuleSet, settings: AwlSettings = awlSettings(rules.options)): boolean {
  return settings.enabled && awlRuleName(rules) !== undefined;
}

/**
 * Apply the AWL to a finished scan: the sender from `msg`, the score from the
 * hits (awl.ts `awlInputScore`). undefined when a `noawl` rule hit or the
 * message has no From address. `learn: false` looks up without storing.
 */
export async function awlForScan(
  store: AddrListStore,
  msg: Message,
  result: ScanResult,
  rules: RuleSet,
  opts: { readonly settings?: AwlSettings; readonly learn?: boolean; readonly signedBy?: string; readonly now?: number } = {},
): Promise<AwlScanResult | undefined> {
  const settings = opts.settings ?? awlSettings(rules.options);
  const input = awlInputFromScan(result, rules.compiled, awlRuleName(rules));
  if (input.skip) return undefined;
  const r = await awlAdjust(store, awlSenderOf(msg, opts.signedBy), input.score, settings, { learn: opts.learn, now: opts.now });
  return r && { ...r, preScore: input.preScore };
}

/** 60_awl.cf's description of the AWL rule. */
export const AWL_DESCRIBE = 'Adjusted score from AWL reputation of From: address';

/**
 * The scan result with the AWL pseudo-rule applied: when `delta` is not 0, an
 * `AWL` hit (area header, as the rule is a header eval) is appended, the score
 * moves by `delta`, the verdict is taken again and `tests` re-sorted. The AWL
 * itself is not a rule the scanner runs, so this is how it enters the result.
 */
export function withAwlHit(result: ScanResult, awl: Pick<AwlResult, 'delta'> | undefined, name = 'AWL', describe = AWL_DESCRIBE): ScanResult {
  if (!awl || awl.delta === 0) return result;
  const hit: RuleHit = { name, score: awl.delta, describe, area: 'header', count: 1 };
  return {
    ...result,
    ...verdict(result.score + awl.delta, result.required),
    hits: [...result.hits, hit],
    tests: [...result.tests, name].sort(),
  };
}
