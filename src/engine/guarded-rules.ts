/**
 * The scan's guarded rules (regexes V8 can only run by backtracking, `guarded` in compile.ts):
 * run together under the watchdog of regex-guard.ts with a budget each, and the synthetic
 * TIME_LIMIT_EXCEEDED hit for a scan that did not finish.
 */
import type { ScanSettings } from './context';
import type { Gate, Gates } from './gates';
import { runGuarded } from './regex-guard';
import type { RuleList } from './scan-plan';
import { TIME_LIMIT_RULE, type RuleHit } from './types';

/**
 * Budget of one guarded rule per try, in ms of wall time (regex-guard.ts gives it two). Over the
 * 6,046 corpus messages the slowest guarded rule takes 0.13 ms and all of one message's guarded
 * rules together 0.23 ms: a margin of several hundred times for normal mail, while hostile
 * input drives those rules to seconds or minutes (7 stock rules take 12-65 s each on a message
 * with 20,000 `To:` lines).
 */
export const GUARDED_RULE_MS = 50;
/**
 * Budget of all guarded rules of one scan together (ms): what the most hostile input can cost
 * them (a cut rule takes about three budgets: a shared call, then two of its own).
 */
export const GUARDED_SCAN_MS = 500;

/** The guarded rules' results of one scan. */
export interface GuardedResults {
  /** Hit count by rule index in the scan's list; NaN: cut by its budget. */
  readonly counts: ReadonlyMap<number, number>;
  /** The scan's deadline stopped them. */
  readonly deadlineHit: boolean;
}

/**
 * Run the guarded rules of `list` from index `from` on, those the prefilter lets through, in
 * shared watched calls; `run(i, lines)` runs rule `i` on the lines its gate allows, after
 * `prepare(i, lines)` did, unwatched, the bounded work that must not count against its budget.
 */
export function runGuardedRules(
  list: RuleList,
  from: number,
  gates: Gates,
  deadline: number,
  run: (i: number, only: Gate) => number,
  prepare: (i: number, only: Gate) => void,
): GuardedResults {
  const at: number[] = [];
  const only: Gate[] = [];
  for (let i = from; i < list.rules.length; i++) {
    if (list.guarded[i] !== 1) continue;
    const g = gates.of(i);
    if (g === null) continue;
    at.push(i);
    only.push(g);
    prepare(i, g);
  }
  const out = runGuarded(at.length, (k) => run(at[k]!, only[k]!), { perItemMs: GUARDED_RULE_MS, totalMs: GUARDED_SCAN_MS, deadline });
  const counts = new Map<number, number>();
  for (let k = 0; k < at.length; k++) counts.set(at[k]!, out.results[k]!);
  return { counts, deadlineHit: out.deadlineHit };
}

/** The synthetic hit SpamAssassin adds when a scan did not finish (`score TIME_LIMIT_EXCEEDED` sets its points). */
export function timeLimitHit(settings: ScanSettings, set: number): RuleHit {
  const r = settings.timeLimitRule;
  return { name: TIME_LIMIT_RULE, score: r?.scores?.[set] ?? 0.001, describe: r?.describe ?? 'Exceeded time limit / deadline', area: 'meta', count: 1 };
}

