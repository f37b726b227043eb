/**
 * The check pipeline's steps, in order: one message's path from bytes to a marked-up verdict.
 *
 *   parse -> bayes -> start lookups -> bayes harvest -> local rules -> harvest -> network rules
 *         -> metas and score -> awl -> auto-learn -> markup
 *
 * Each step reads and fills the typed `CheckState`. The Bayes store read (one round trip) starts
 * before the DNS lookups and is harvested before the local rules, which read its verdict; the
 * harvest waits for DNS answers and the SPF/DKIM/DMARC checks the network rules started; the AWL
 * and auto-learn wait for their stores. A check without stores and network tests runs
 * synchronously from start to end (checkMessage).
 */
import type { BayesScanAnswer } from '../bayes/index';
import type { BayesStore } from '../bayes/store';
import type { RuleSet } from '../config/compile';
import type { NetScan } from '../dns/net-scan';
import { finishScan, runNetworkRules, scanLocal, type LocalScan, type ScanOptions } from '../engine/scanner';
import type { CompiledRule, ScanResult } from '../engine/types';
import type { HitDetails } from '../report/summary';
import { awlForScan, awlRuleName, withAwlHit, type AwlScanResult } from '../awl/scan';
import { autoLearnForScan, autoLearnTag, type AutoLearnDecision } from '../learn/autolearn';
import { awlTags, bayesModule, learnDecided, type FeedbackCheckOptions, type FeedbackOutcome, type FeedbackResult, type FeedbackStores } from '../learn/feedback';
import { parseMessage } from '../message/parse';
import type { Message } from '../message/types';
import { markCheckedMessage, type ReportSettings } from '../report/check';
import { showsSubtests } from '../report/tags';
import type { NetRuntime } from './net-runtime';
import { networkRules, startLookups, type StartFailure } from './start-lookups';

/** What the pipeline is given for one message. */
export interface CheckInput {
  readonly input: Buffer | Message;
  readonly rules: RuleSet;
  readonly settings: ReportSettings;
  readonly stores: FeedbackStores | undefined;
  /** Network tests, when on (else network rules do not hit and score sets 0/2 apply). */
  readonly net: NetRuntime | undefined;
  readonly opts: FeedbackCheckOptions;
}

/** The state the steps fill in, in order. */
export interface CheckState extends CheckInput {
  msg?: Message;
  /** `dns_available test` found DNS not working: this check runs without network tests. */
  dnsDown?: boolean;
  problems: Error[];
  /** The Bayes store read, started by the bayes step and harvested before the local rules. */
  bayesPending?: Promise<BayesScanAnswer | undefined>;
  bayesOption?: NonNullable<ScanOptions['bayes']>;
  probability?: number;
  netScan?: NetScan;
  startFailures?: StartFailure[];
  local?: LocalScan;
  result?: ScanResult;
  awl?: AwlScanResult;
  decision?: AutoLearnDecision;
  learned?: Pick<FeedbackResult, 'autolearn' | 'learnError'>;
  outcome?: FeedbackOutcome;
}

/** One step: a name (for `-D check` timings) and what it does; only a waiting step returns a promise. */
export interface CheckStep {
  readonly name: string;
  run(s: CheckState): void | Promise<void>;
}

const asError = (e: unknown): Error => (e instanceof Error ? e : new Error(String(e)));

/** Note a store problem for the log, unless the store said it already (a server still down: reported once). */
function noteProblem(s: CheckState, e: unknown): void {
  if ((e as { repeated?: boolean }).repeated !== true) s.problems.push(asError(e));
}

function parse(s: CheckState): void {
  s.msg = Buffer.isBuffer(s.input) ? parseMessage(s.input, s.rules.parseOptions) : s.input;
}

/** Start the Bayes read when there is a store to classify with (one round trip: counts and tokens). */
function bayes(s: CheckState): void {
  const stores = s.stores;
  if (!stores) return;
  let store: BayesStore | undefined;
  try {
    store = stores.bayes();
  } catch (e) {
    s.problems.push(asError(e)); // an unreadable database: scan without Bayes, as SpamAssassin does
  }
  if (!store || !stores.bayesSettings.useBayes) return;
  s.bayesPending = bayesModule()
    .classifyForScan(store, s.msg!, stores.bayesSettings, { now: s.opts.now })
    .catch((e: unknown) => {
      noteProblem(s, e); // the server is away: scan without Bayes
      return undefined;
    });
}

/** Take the Bayes answer: the BAYES_ rules read its probability. */
function bayesHarvest(s: CheckState): Promise<void> | void {
  if (!s.bayesPending) return;
  return s.bayesPending.then((answer) => {
    s.bayesPending = undefined;
    if (!answer?.available) return;
    s.probability = answer.verdict?.probability;
    s.bayesOption = { available: () => true, probability: () => s.probability, familiarity: () => answer.familiarity };
  });
}

/** The scan options: score set 1 (or 3 with Bayes) when network tests are on, as SpamAssassin picks. */
function scanOptions(s: CheckState): ScanOptions {
  const base = s.opts.scan ?? {};
  return {
    ...base,
    ...(s.net && !s.dnsDown && { scoreSet: (base.scoreSet ?? 0) | 1, net: s.netScan }),
    ...(s.bayesOption && { bayes: s.bayesOption }),
    ...(showsSubtests(s.settings) && { allSubrules: true }),
  };
}

/**
 * Start every network rule's lookups, then give the event loop one turn before the local rules
 * run synchronously: a new socket binds and sends its queued queries then, and the checks that
 * start in promise continuations (mailauth's first queries, chained lookups) send theirs.
 */
function startNetLookups(s: CheckState): Promise<void> | void {
  if (!s.net) return;
  const test = s.net.available();
  if (test) {
    return test.then((ok) => {
      s.dnsDown = !ok;
      return ok ? startWith(s, s.net!) : undefined;
    });
  }
  return startWith(s, s.net);
}

function startWith(s: CheckState, runtime: NetRuntime): Promise<void> | void {
  const net = (s.netScan = runtime.scanFor(s.msg!, s.rules));
  // The Bayes answer is still on its way: with a store to ask, the network rules of score set 3
  // start (a store that turns out untrained only costs the lookups of rules set 1 leaves out).
  const withBayes = s.bayesPending !== undefined || (s.bayesOption?.available() ?? false);
  const set = ((s.opts.scan?.scoreSet ?? 0) | 1 | (withBayes ? 2 : 0)) as number;
  const failures = startLookups(net, networkRules(s.rules.compiled, s.opts.scan?.allRules ? 4 : set));
  if (failures.length > 0) s.startFailures = failures;
  if (net.queryCount === 0 && !net.hasWaits) return;
  return new Promise((resolve) => setImmediate(resolve));
}

function localRules(s: CheckState): void {
  s.local = scanLocal(s.msg!, s.rules.compiled, scanOptions(s));
}

/** Wait for the answers, no longer than the scan's own deadline allows. */
function harvest(s: CheckState): Promise<void> | void {
  const net = s.netScan;
  if (!net || (net.queryCount === 0 && !net.hasWaits)) return;
  const deadline = s.local!.ctx.deadline;
  return net.harvest(deadline > 0 ? deadline - performance.now() : Infinity);
}

function networkRulesStep(s: CheckState): void {
  runNetworkRules(s.local!);
}

function metasAndScore(s: CheckState): void {
  s.result = finishScan(s.local!);
  if (s.net) {
    const counts = s.result.counts;
    s.net.noteHits((rule) => (counts.get(rule) ?? 0) > 0);
  }
}

function awl(s: CheckState): Promise<void> | void {
  if (!s.stores?.awlOn) return;
  const failed = (e: unknown): void => noteProblem(s, e); // the list cannot be opened or written: no AWL for this message
  try {
    return awlForScan(s.stores.addressList(), s.msg!, s.result!, s.rules, { settings: s.stores.awlSettings, now: s.opts.now }).then((r) => {
      s.awl = r;
      s.result = withAwlHit(s.result!, r, awlRuleName(s.rules));
    }, failed);
  } catch (e) {
    failed(e);
  }
}

function autoLearn(s: CheckState): Promise<void> | void {
  const r = s.result!;
  s.decision = autoLearnForScan(r, s.rules);
  if (!s.stores) {
    s.learned = { autolearn: 'disabled' };
    return;
  }
  return learnDecided(s.stores, s.msg!, s.decision, s.rules, s.opts.now, r.timedOut || (r.cut?.length ?? 0) > 0).then((learned) => {
    s.learned = learned;
    if (learned.learnError) noteProblem(s, learned.learnError);
  });
}

function markup(s: CheckState): void {
  const { opts } = s;
  const learned = s.learned!;
  const decision = s.decision!;
  const feedback: FeedbackResult = { bayes: s.probability, awl: s.awl, decision, ...learned, problems: s.problems };
  const netTags = s.netScan ? Object.fromEntries(s.netScan.tags) : undefined;
  const details = s.netScan ? { ...networkDetails(s.netScan, s.local!.netRules, s.result!), ...opts.details } : opts.details;
  const outcome = markCheckedMessage(s.msg!, s.result!, s.settings, {
    ...opts,
    details,
    autolearn: opts.autolearn ?? autoLearnTag(learned.autolearn, decision.forcedBy),
    autolearnScore: opts.autolearnScore ?? decision.points,
    bayes: opts.bayes ?? s.probability,
    extraTags: { ...netTags, ...awlTags(s.awl), ...opts.extraTags },
  });
  s.outcome = Object.assign(outcome, { feedback, net: s.netScan }); // not a spread: that would build the lazy markup
}

/** The report lines the network rules that hit noted (`[45.67.89.10 listed in zen.spamhaus.org]`). */
function networkDetails(net: NetScan, rules: readonly CompiledRule[], result: ScanResult): HitDetails {
  const out: Record<string, readonly string[]> = {};
  for (const r of rules) {
    if (r.test.type !== 'eval' || !result.counts.get(r.name)) continue;
    const notes = net.notes(r.test.args);
    if (notes) out[r.name] = notes;
  }
  return out;
}

/** The pipeline, in order. */
export const CHECK_STEPS: readonly CheckStep[] = [
  { name: 'parse', run: parse },
  { name: 'bayes', run: bayes },
  { name: 'start-lookups', run: startNetLookups },
  { name: 'bayes-harvest', run: bayesHarvest },
  { name: 'local-rules', run: localRules },
  { name: 'harvest', run: harvest },
  { name: 'network-rules', run: networkRulesStep },
  { name: 'metas-and-score', run: metasAndScore },
  { name: 'awl', run: awl },
  { name: 'auto-learn', run: autoLearn },
  { name: 'markup', run: markup },
];
