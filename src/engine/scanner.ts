/**
 * Scan one message against a compiled rule set: run rules by priority, then
 * metas in dependency order, then score. Pure apart from the clock.
 */
import type { NetScan } from '../dns/net-scan';
import type { Message } from '../message/types';
import { ScanContext } from './context';
import { asciiOf, runsAsciiForm } from './ascii-form-memo';
import { runMeta } from './meta';
import { planFor, type CompiledRuleSet } from './scan-plan';
import { Gates } from './gates';
import { DemandScan } from './lazy-subrules';
import { isNetEval } from './net-evals';
import { prefilterFor } from './prefilter';
import { globalOf, primeRegexes, runRule } from './run-rule';
import { verdict } from './verdict';
import { compileRegex, inRegexPhase, regexPhaseState } from '../regex-flags';
import { runGuardedRules, timeLimitHit, type GuardedResults } from './guarded-rules';
import { chargeScan, tierUpBetweenScans, watchPlain } from './regex-tier-up';
import type { CompiledRule, RuleHit, ScanBayes, ScanResult } from './types';

export type { CompiledRuleSet } from './scan-plan';

export interface ScanOptions {
  /** Score set 0-3 (bit 0: network tests, bit 1: Bayes). Default 0. */
  scoreSet?: number;
  /** Run every rule, even sub-rules no scored rule depends on (for diagnostics; costs time). */
  allRules?: boolean;
  /**
   * Decide every sub-rule a scored rule depends on, also those a meta's evaluation did not need
   * (`_SUBTESTS_` shows their hits). Default: such sub-rules run only when a meta reads them
   * (lazy-subrules.ts), which changes no scored result.
   */
  allSubrules?: boolean;
  /** Override `time_limit` (seconds, from the start of the scan; 0 = none). */
  timeLimit?: number;
  /**
   * An absolute deadline (`performance.now()` ms), as spamd passes its `--timeout-child` to
   * SpamAssassin (`master_deadline`): the earlier of this and `time_limit` applies.
   */
  deadline?: number;
  /** Bayes (the check pipeline fills it from bayes/index.ts `classifyForScan`): when available, score set 2 (or 3) is used and BAYES_ rules run. */
  bayes?: ScanBayes & { available(): boolean };
  /** The scan's network state (lookups started by the pipeline); absent: network rules do not hit. */
  net?: NetScan;
}

/**
 * Compile every rule's regular expressions to machine code now rather than on
 * the message that first needs them (a long-running server's start-up step,
 * like spamd's compile at start). V8 interprets a regex on its first run and
 * compiles it on the second, hence two runs. Returns the seconds spent.
 *
 * `plainOver`: patterns whose source is longer than this many characters are compiled without
 * V8's regex optimisations (see `optimiseRegexes`), for one-byte and two-byte subjects: the
 * optimised code of the stock rules' few hundred long patterns (the FUZZY_ look-alike classes,
 * __MY_MALWARE, __FILL_THIS_FORM_) is most of a worker's memory. `phases` (regex-flags.ts
 * `inRegexPhase`: a state and this thread's slot in it): shared with the other threads that warm up at the same time, so one's
 * switch does not flip under another's compile. `tierUp` (a long-running server): those long
 * patterns are compiled optimised later, each once its matching has taken `TIER_UP_MS`
 * (regex-tier-up.ts), so only the few that real mail keeps busy pay the memory.
 */
export function warmUp(rs: CompiledRuleSet, opts: { plainOver?: number; phases?: { state: Int32Array; slot: number }; tierUp?: boolean } = {}): number {
  const t0 = performance.now();
  const plan = planFor(rs);
  plan.demand();
  plan.program();
  // A cached rule set's literal automata fill their tables row by row as texts need them.
  for (const m of prefilterFor(rs.rules).matchers.values()) m.fillAll();
  const small: RegExp[] = [];
  const large: RegExp[] = [];
  const limit = opts.plainOver ?? Infinity;
  const phases = opts.phases ?? { state: regexPhaseState(), slot: 1 };
  for (const rule of rs.rules) {
    const t = rule.test;
    if (t.type !== 'regex' && t.type !== 'header' && t.type !== 'mimeheader') continue;
    const forms = runsAsciiForm(rule) ? [t.re, asciiOf(t.re)] : [t.re];
    for (const r of forms) {
      if (r === null) continue;
      for (const re of rule.multiple ? [r, globalOf(r)] : [r]) (re.source.length > limit ? large : small).push(re);
      if (opts.tierUp && r.source.length > limit) watchPlain(r, phases, { guarded: t.guarded === true });
    }
  }
  const { state, slot } = phases;
  // V8 compiles a regex once per kind of subject string: one-byte, and two-byte (text beyond Latin-1).
  if (large.length > 0) inRegexPhase(state, true, () => compileAll(large, ['warm-up\n', 'warm-up \u2019\n']), { slot });
  inRegexPhase(state, false, () => compileAll(small), { slot });
  return (performance.now() - t0) / 1000;
}

function compileAll(list: readonly RegExp[], subjects: readonly string[] = ['warm-up\n']): void {
  for (const re of list) compileRegex(re, subjects);
}

/** A `header !~` rule: it hits when nothing in the header could match. */
function isNegatedHeader(rule: CompiledRule): boolean {
  return rule.test.type === 'header' && rule.test.negate;
}

/** True for a network eval's rule: it runs after the lookups are harvested. */
function isNetRule(rule: CompiledRule): boolean {
  return rule.test.type === 'eval' && isNetEval(rule.test);
}

/**
 * A scan whose local rules have run and whose network rules and metas have not: what the check
 * pipeline holds while it harvests the lookups (`finishScan` completes it).
 */
export interface LocalScan {
  readonly ctx: ScanContext;
  /** The network rules of this scan's rule list, in order (none ran yet). */
  readonly netRules: readonly CompiledRule[];
  /** @internal the rest of the scan's state, for finishScan. */
  readonly state: LocalScanState;
}

interface LocalScanState {
  readonly rs: CompiledRuleSet;
  readonly started: number;
  readonly set: number;
  readonly which: number;
  readonly values: Float64Array;
  readonly order: CompiledRule[];
  readonly netSlots: number[];
  readonly cut: string[];
  readonly unfinished: Uint8Array | undefined;
  readonly timedOut: boolean;
  /** The sub-rules left to be decided on demand, when the scan does that. */
  readonly onDemand: DemandScan | undefined;
  netDone: boolean;
}

/** Scan a parsed message: local rules, network rules (reading `opts.net`, when given), metas, score. */
export function scan(msg: Message, rs: CompiledRuleSet, opts: ScanOptions = {}): ScanResult {
  return finishScan(runNetworkRules(scanLocal(msg, rs, opts)));
}

/**
 * Run a message's local rules (everything but network rules and metas). Network rules are
 * left for `finishScan`, which the pipeline calls once their lookups are harvested.
 */
export function scanLocal(msg: Message, rs: CompiledRuleSet, opts: ScanOptions = {}): LocalScan {
  // Before the clock starts: long regexes that earned an optimised twin get it now (regex-tier-up.ts).
  tierUpBetweenScans(globalOf);
  const started = performance.now();
  const withBayes = opts.bayes?.available() ?? false;
  const set = (opts.scoreSet ?? 0) | (withBayes ? 2 : 0);
  const limit = opts.timeLimit ?? rs.settings.timeLimit;
  let deadline = limit > 0 ? started + limit * 1000 : 0;
  if (opts.deadline !== undefined && opts.deadline > 0 && (deadline === 0 || opts.deadline < deadline)) deadline = opts.deadline;
  const ctx = new ScanContext(msg, rs.settings, deadline);
  if (withBayes) ctx.bayes = opts.bayes;
  ctx.net = opts.net;
  const plan = planFor(rs);
  const order: CompiledRule[] = [];
  let timedOut = false;
  // Hit counts by slot, what compiled metas read; ctx.counts keeps them by name for evals and the result.
  const values = new Float64Array(plan.slotCount);
  const record = (rule: CompiledRule, slot: number, n: number): void => {
    ctx.counts.set(rule.name, n);
    values[slot] = n;
    order.push(rule);
  };
  const which = opts.allRules ? 4 : set;
  const list = plan.rules(which);
  const { rules, slots, guarded } = list;
  const gates = new Gates(plan, list, ctx);
  // A rule's run as the loop below does it, for the loop and for a rule decided on demand.
  const runListed = (j: number, only: readonly number[] | undefined | null): number => {
    if (only === null) return isNegatedHeader(rules[j]!) ? 1 : 0; // `!~` with nothing that could match: a hit
    return runRule(rules[j]!, ctx, only);
  };
  const onDemand =
    opts.allSubrules !== true && list.onDemandAt.size > 0
      ? new DemandScan(plan.demand(), values, list.onDemandAt, plan.slotOf, (j) => runListed(j, gates.of(j)), (s, n) => record(plan.bySlot[s]!, s, n))
      : undefined;
  ctx.onDemand = onDemand;
  const netRules: CompiledRule[] = [];
  const netSlots: number[] = [];
  // Guarded rules run together, in watched calls, when the first of them is reached.
  let batch: GuardedResults | undefined;
  // Slots of rules that did not finish (cut, or not reached before the deadline); allocated when one exists.
  let unfinished: Uint8Array | undefined;
  const cut: string[] = [];
  let i = 0;
  for (; i < rules.length; i++) {
    const rule = rules[i]!;
    // The clock is read every few rules: reading it per rule costs more than most rules.
    if ((i & 15) === 0 && ctx.expired()) {
      timedOut = true;
      break;
    }
    if (onDemand !== undefined) {
      onDemand.loopAt = i;
      if (list.onDemand[i] === 1) {
        onDemand.defer(slots[i]!);
        continue;
      }
    }
    if (isNetRule(rule)) {
      netRules.push(rule);
      netSlots.push(slots[i]!);
      continue;
    }
    const only = gates.of(i);
    let n: number;
    if (only === null) n = runListed(i, null);
    else if (guarded[i] === 1) {
      batch ??= runGuardedRules(list, i, gates, deadline, (j, lines) => runRule(rules[j]!, ctx, lines ?? undefined), (j, lines) => primeRegexes(rules[j]!, ctx, lines ?? undefined));
      if (batch.deadlineHit) {
        timedOut = true;
        break;
      }
      n = batch.counts.get(i)!;
      if (Number.isNaN(n)) {
        // Cut by its budget: no hit, whatever its operator, and the metas reading it are not evaluated.
        cut.push(rule.name);
        (unfinished ??= new Uint8Array(plan.slotCount))[slots[i]!] = 1;
        continue;
      }
    } else n = runRule(rule, ctx, only);
    if (n > 0) record(rule, slots[i]!, n);
  }
  if (onDemand !== undefined) onDemand.loopAt = i;
  if (timedOut) {
    unfinished ??= new Uint8Array(plan.slotCount);
    for (let j = i; j < rules.length; j++) unfinished[slots[j]!] = 1;
  }
  chargeScan(performance.now() - started);
  return { ctx, netRules, state: { rs, started, set, which, values, order, netSlots, cut, unfinished, timedOut, onDemand, netDone: false } };
}

/** Run the network rules, reading the harvested answers from `ctx.net` (once; a second call does nothing). */
export function runNetworkRules(local: LocalScan): LocalScan {
  const { ctx, netRules, state } = local;
  if (state.netDone) return local;
  state.netDone = true;
  // Without network tests a network eval says no (NetEvalHooks): not called, its file need not load.
  if (ctx.net === undefined) return local;
  for (let k = 0; k < netRules.length; k++) {
    const n = runRule(netRules[k]!, ctx);
    if (n > 0) recordHit(local, netRules[k]!, state.netSlots[k]!, n);
  }
  return local;
}

function recordHit(local: LocalScan, rule: CompiledRule, slot: number, n: number): void {
  local.ctx.counts.set(rule.name, n);
  local.state.values[slot] = n;
  local.state.order.push(rule);
}

/** Run the metas and score (the network rules first, if `runNetworkRules` was not called). */
export function finishScan(local: LocalScan): ScanResult {
  runNetworkRules(local);
  const { ctx } = local;
  const { rs, started, set, which, values, order, cut, timedOut, unfinished } = local.state;
  const plan = planFor(rs);
  const record = (rule: CompiledRule, slot: number, n: number): void => recordHit(local, rule, slot, n);
  const metas = plan.metas(which);
  let onDemand = local.state.onDemand;
  if (onDemand !== undefined && unfinished !== undefined) {
    // A scan that did not finish evaluates its metas as if nothing were left for later: the
    // rules the loop passed run now, the metas over unfinished ones stay unevaluated.
    onDemand.decideRulesBefore(onDemand.loopAt, plan.rules(which).slots);
    ctx.onDemand = onDemand = undefined;
  }
  const program = onDemand !== undefined ? plan.demand().program : plan.program();
  if (onDemand !== undefined) {
    onDemand.metasStarted = true;
    onDemand.deferMetas(metas.slots);
  }
  const stack = new Float64Array(program.depth);
  for (let m = 0; m < metas.rules.length; m++) {
    if (unfinished && metas.depSlots[m]!.some((s) => unfinished![s] === 1)) {
      unfinished[metas.slots[m]!] = 1; // as SpamAssassin leaves metas over unfinished rules unevaluated
      continue;
    }
    if (onDemand?.isOnDemandMeta(metas.slots[m]!)) continue; // decided when a meta reads it
    const k = metas.exprs[m]!;
    const rule = metas.rules[m]!;
    const v = k >= 0 ? runMeta(program, k, values, stack, onDemand) : runRule(rule, ctx);
    if (v > 0) record(rule, metas.slots[m]!, 1);
  }
  ctx.onDemand = undefined;

  const hits: RuleHit[] = [];
  let score = 0;
  for (const rule of order) {
    if (rule.subrule || rule.scores[set] === 0) continue;
    const s = rule.scores[set]!;
    score += s;
    const label = rule.test.type === 'eval' ? rule.test.net?.label : undefined;
    hits.push({ name: rule.name, score: s, describe: rule.describe, area: rule.area, count: ctx.count(rule.name), ...(label !== undefined && { label }) });
  }
  if (timedOut || cut.length > 0) {
    const h = timeLimitHit(rs.settings, set);
    ctx.counts.set(h.name, 1);
    if (h.score !== 0) {
      score += h.score;
      hits.push(h);
    }
  }
  const required = rs.settings.requiredScore;
  return {
    ...verdict(score, required),
    required,
    hits,
    tests: hits.map((h) => h.name).sort(),
    counts: ctx.counts,
    scoreSet: set,
    timedOut,
    cut,
    ...(ctx.captures && { captures: ctx.captures }),
    ...(ctx.evalFailures && { evalFailures: [...ctx.evalFailures.values()] }),
    ms: performance.now() - started,
  };
}
