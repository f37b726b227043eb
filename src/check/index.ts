/**
 * The check path `hamlet`, `hamletd` and the library share: the steps in steps.ts, run in
 * order. `check` runs them all, waiting for network answers and store reads;
 * `checkWithFeedback` is the same path without network tests; `checkMessage` (no stores, no
 * network) is synchronous.
 *
 *   const rules = loadConfig({ configPath: '/usr/share/spamassassin' });
 *   const net = netRuntimeFor(rules, { localOnly: false });
 *   const stores = openFeedbackStores(rules);
 *   const c = await check(raw, rules, { stores, net });
 *   process.stdout.write(c.marked);
 */
import type { RuleSet } from '../config/compile';
import { markupOptionsFrom, type CheckOptions, type CheckOutcome } from '../report/check';
import type { Message } from '../message/types';
import type { FeedbackCheckOptions, FeedbackOutcome, FeedbackStores } from '../learn/feedback';
import type { NetRuntime } from './net-runtime';
import { CHECK_STEPS, type CheckState } from './steps';

export { CHECK_STEPS, type CheckState, type CheckStep } from './steps';
export { closeResolvers, netRuntimeFor, NetRuntime, type NetRuntimeOptions } from './net-runtime';
export { networkRules, startLookups, type StartFailure } from './start-lookups';

export interface PipelineOptions extends FeedbackCheckOptions {
  /** Bayes and AWL databases (absent: no Bayes, no AWL, no auto-learn). */
  readonly stores?: FeedbackStores;
  /** Network tests (absent: off, as with `-L`). */
  readonly net?: NetRuntime;
  /** Called after each step with its name and milliseconds (`-D check`). */
  readonly onStep?: (name: string, ms: number) => void;
}

function initialState(input: Buffer | Message, rules: RuleSet, opts: PipelineOptions, net: NetRuntime | undefined): CheckState {
  return { input, rules, settings: opts.settings ?? markupOptionsFrom(rules), stores: opts.stores, net, opts, problems: [] };
}

/** Check one message through every step, waiting for its network answers. */
export async function check(input: Buffer | Message, rules: RuleSet, opts: PipelineOptions = {}): Promise<FeedbackOutcome> {
  const s = initialState(input, rules, opts, opts.net);
  const onStep = opts.onStep;
  for (const step of CHECK_STEPS) {
    const t0 = onStep ? performance.now() : 0;
    const wait = step.run(s);
    if (wait) await wait;
    onStep?.(step.name, performance.now() - t0);
  }
  return s.outcome!;
}

/**
 * Check one message without Bayes, the AWL or network tests: scan, expand the templates, mark
 * it up (the lazily built `marked`, `report` and `headers`).
 *
 *   const { marked, report, result } = checkMessage(raw, rules, { settings });
 */
export function checkMessage(input: Buffer | Message, rules: RuleSet, opts: CheckOptions = {}): CheckOutcome {
  const s = initialState(input, rules, opts, undefined);
  for (const step of CHECK_STEPS) {
    // Without stores and a network runtime no step waits.
    if (step.run(s)) throw new Error(`check step ${step.name} waited in a synchronous check`);
  }
  return s.outcome!;
}

/**
 * Check one message with Bayes, the AWL and auto-learn as configured, without network tests
 * (library callers and tools that need no DNS). The result's score and `tests` include the AWL
 * pseudo-rule. Asynchronous because the stores are: a PostgreSQL or Redis store answers over the
 * network, and one code path serves every backend (SQLite answers at once underneath).
 */
export function checkWithFeedback(input: Buffer | Message, rules: RuleSet, stores: FeedbackStores | undefined, opts: FeedbackCheckOptions = {}): Promise<FeedbackOutcome> {
  return check(input, rules, { ...opts, stores });
}
