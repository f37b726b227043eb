/**
 * Auto-learn: decide from a scan's hits whether Bayes should learn the message
 * as spam or ham, as SpamAssassin 4.0.1's AutoLearnThreshold plugin does (its
 * documentation, and its behaviour observed with `-D learn`):
 *
 * - The learning score is the sum of the hit rules' scores in the score set
 *   without Bayes (set & ~2: 3 -> 1, 2 -> 0), rounded to 3 decimals. Rules with
 *   `tflags noautolearn` or `userconf` are left out (so are the AWL and the static
 *   welcome/block lists); rules with `tflags learn` (Bayes) are left out of the
 *   score but summed, with their scores in the scan's own set, as the learner's
 *   opinion. A rule scoring 0 in the learning set is left out.
 * - ham when the score is below `bayes_auto_learn_threshold_nonspam` (0.1), unless
 *   the learner said spam (its points > 1.0);
 * - spam when the score is at least `bayes_auto_learn_threshold_spam` (12.0), and
 *   at least 3 points came from header rules and 3 from body rules, unless the
 *   learner said ham (its points < -1.0). A hit of a rule with `tflags
 *   autolearn_force` lifts the header/body condition (the threshold stays).
 * - Header points: header rules (eval ones too). Body points: body, rawbody,
 *   uri and mimeheader rules. `full` rules count for neither. `tflags
 *   autolearn_header` / `autolearn_body` put a rule's points on that side. A meta
 *   rule's points are split by the ratio of header to body rules among its direct
 *   dependencies (whether they hit or not; metas and full rules among them do not
 *   count); a meta with neither counts for neither side.
 * - The scan's own verdict (its full score, the user's lists and the AWL included,
 *   against `required_score`) must agree: no ham learned from a message that scored
 *   as spam (a GTUBE or `blocklist_from` one, whose points are left out above), no
 *   spam from one that scored as ham (a welcomelisted one). SpamAssassin checks this
 *   after the header/body points, before the learner's opinion (`-D learn`: "scored
 *   as spam but autolearn wanted ham").
 * - With `bayes_auto_learn_on_error`, a message is not learned as spam when
 *   BAYES_99 hit, nor as ham when BAYES_00 hit (Bayes already agreed).
 * - `bayes_auto_learn 0` or `use_bayes 0`: status `disabled` (the score is still computed).
 */
import type { RuleSet } from '../config/compile';
import { optBool, optNumber, type OptionValues } from '../options/option-values';
import { ruleLookup } from '../engine/rule-lookup';
import type { CompiledRuleSet } from '../engine/scanner';
import type { CompiledRule, RuleArea, ScanResult } from '../engine/types';

/** Which side of the header/body condition a rule's points go to. */
export type PointsSide = 'header' | 'body' | 'none';

/** One hit rule as auto-learn weighs it. */
export interface AutoLearnHit {
  readonly name: string;
  readonly area: RuleArea;
  readonly tflags: ReadonlySet<string>;
  /** Scores in the four score sets. */
  readonly scores: readonly [number, number, number, number];
  /** For a meta: the sides of its direct dependencies (a meta or full dependency is 'none'). */
  readonly depSides?: readonly PointsSide[];
}

export interface AutoLearnSettings {
  /** `bayes_auto_learn` (1) and `use_bayes` (1); off gives status `disabled`. */
  readonly enabled: boolean;
  /**
   * `use_learner` (1). Off does not change the decision: SpamAssassin 4.0.1 then reports a
   * spam/ham decision as `unavailable` (observed), which is the caller's to do, as for a learn that fails.
   */
  readonly useLearner: boolean;
  /** `bayes_auto_learn_threshold_nonspam` (0.1). */
  readonly nonspamThreshold: number;
  /** `bayes_auto_learn_threshold_spam` (12.0). */
  readonly spamThreshold: number;
  /** `bayes_auto_learn_on_error` (0). */
  readonly onError: boolean;
}

export type AutoLearnStatus = 'spam' | 'ham' | 'no' | 'disabled';

export interface AutoLearnDecision {
  readonly status: AutoLearnStatus;
  /** The learning score (`_AUTOLEARNSCORE_`). */
  readonly points: number;
  readonly headerPoints: number;
  readonly bodyPoints: number;
  /** Sum of the `tflags learn` (Bayes) hits in the scan's score set. */
  readonly learnedPoints: number;
  /** The score set the points were taken from. */
  readonly scoreSet: number;
  /**
   * `autolearn_force` rules that hit, when the spam branch was taken (score at or
   * over the spam threshold); empty otherwise, as SpamAssassin reports it.
   */
  readonly forcedBy: readonly string[];
  /** Why, in words (for `-D learn` style debugging). */
  readonly reason: string;
}

/** Points a rule needs from each side to be learned as spam (SpamAssassin: 3 and 3). */
export const REQUIRED_HEADER_POINTS = 3;
export const REQUIRED_BODY_POINTS = 3;
/** The learner's points past which it is taken to disagree. */
const LEARNER_SAID_SPAM = 1.0;
const LEARNER_SAID_HAM = -1.0;

const round3 = (n: number): number => {
  const r = Math.round(n * 1000) / 1000;
  return r === 0 ? 0 : r;
};

export function autoLearnSettings(o: OptionValues): AutoLearnSettings {
  return {
    enabled: optBool(o, 'bayes_auto_learn', true) && optBool(o, 'use_bayes', true),
    useLearner: optBool(o, 'use_learner', true),
    nonspamThreshold: optNumber(o, 'bayes_auto_learn_threshold_nonspam', 0.1),
    spamThreshold: optNumber(o, 'bayes_auto_learn_threshold_spam', 12.0),
    onError: optBool(o, 'bayes_auto_learn_on_error', false),
  };
}

/** The side a non-meta rule's points count for, by its type. */
export function sideOfArea(area: RuleArea): PointsSide {
  switch (area) {
    case 'header':
      return 'header';
    case 'body':
    case 'rawbody':
    case 'uri':
    case 'mimeheader':
      return 'body';
    default:
      return 'none';
  }
}

/** Split a hit's points into header and body points. */
function splitPoints(h: AutoLearnHit, s: number): [number, number] {
  if (h.tflags.has('autolearn_header')) return [s, 0];
  if (h.tflags.has('autolearn_body')) return [0, s];
  if (h.area !== 'meta') {
    const side = sideOfArea(h.area);
    return side === 'header' ? [s, 0] : side === 'body' ? [0, s] : [0, 0];
  }
  let nh = 0;
  let nb = 0;
  for (const d of h.depSides ?? []) {
    if (d === 'header') nh++;
    else if (d === 'body') nb++;
  }
  if (nh + nb === 0) return [0, 0];
  return [(s * nh) / (nh + nb), (s * nb) / (nh + nb)];
}

/**
 * Decide whether to learn a scanned message, and as what. `scoreSet` is the set the scan
 * used; `isSpam` its verdict (leave it out only to weigh hits alone, as unit tests do).
 */
export function autoLearnDecision(hits: readonly AutoLearnHit[], scoreSet: number, settings: AutoLearnSettings, isSpam?: boolean): AutoLearnDecision {
  const learnSet = scoreSet & ~2;
  let points = 0;
  let header = 0;
  let body = 0;
  let learned = 0;
  const force: string[] = [];
  const names = new Set<string>();
  for (const h of hits) {
    names.add(h.name);
    if (h.tflags.has('autolearn_force')) force.push(h.name);
    if (h.tflags.has('noautolearn') || h.tflags.has('userconf')) continue;
    if (h.tflags.has('learn')) {
      learned += h.scores[scoreSet] ?? 0;
      continue;
    }
    const s = h.scores[learnSet] ?? 0;
    if (s === 0) continue;
    points += s;
    const [hp, bp] = splitPoints(h, s);
    header += hp;
    body += bp;
  }
  const base = { points: round3(points), headerPoints: round3(header), bodyPoints: round3(body), learnedPoints: round3(learned), scoreSet: learnSet };
  const decide = (status: AutoLearnStatus, reason: string, forcedBy: readonly string[] = []): AutoLearnDecision => ({ ...base, status, reason, forcedBy });
  if (!settings.enabled) return decide('disabled', 'auto-learn is off (bayes_auto_learn 0 or use_bayes 0)');
  const p = base.points;
  if (p < settings.nonspamThreshold) {
    if (isSpam === true) return decide('no', 'scored as spam but autolearn wanted ham');
    if (base.learnedPoints > LEARNER_SAID_SPAM) return decide('no', `scored as ham but learner indicated spam (${base.learnedPoints} > ${LEARNER_SAID_SPAM})`);
    if (settings.onError && names.has('BAYES_00')) return decide('no', 'learn-on-error, ham, already classified as such');
    return decide('ham', `ham (${p} < ${settings.nonspamThreshold})`);
  }
  if (p < settings.spamThreshold) return decide('no', 'inside auto-learn thresholds, not considered ham or spam');
  const forced = force.length > 0;
  const needHeader = forced ? -99 : REQUIRED_HEADER_POINTS;
  const needBody = forced ? -99 : REQUIRED_BODY_POINTS;
  if (base.bodyPoints < needBody) return decide('no', `needs ${needBody} body points, only has ${base.bodyPoints}`, force);
  if (base.headerPoints < needHeader) return decide('no', `needs ${needHeader} header points, only has ${base.headerPoints}`, force);
  if (isSpam === false) return decide('no', 'scored as ham but autolearn wanted spam', force);
  if (base.learnedPoints < LEARNER_SAID_HAM) return decide('no', `scored as spam but learner indicated ham (${base.learnedPoints} < ${LEARNER_SAID_HAM})`, force);
  if (settings.onError && names.has('BAYES_99')) return decide('no', 'learn-on-error, spam, already classified as such', force);
  return decide('spam', `spam (${p} >= ${settings.spamThreshold})`, force);
}

/** The side a rule's points go to when it is a meta's dependency. */
function depSide(r: CompiledRule): PointsSide {
  if (r.area === 'meta') return 'none';
  return sideOfArea(r.area);
}

/**
 * A scan's hits as auto-learn reads them, with types, tflags and the four scores
 * from the rule set. `disabled` (a RuleSet's `disabled` list) gives the types of
 * rules that do not run here (network, ...), which still weigh a meta's
 * header/body split as in SpamAssassin. `extra` adds hits the rule set does not
 * hold (pseudo-rules a caller adds after the scan; the AWL is `noautolearn`
 * anyway). Sub-rules are never in `result.hits`.
 */
export function autoLearnHits(
  result: ScanResult,
  rules: CompiledRuleSet,
  disabled: readonly { readonly name: string; readonly area?: RuleArea }[] = [],
  extra: readonly AutoLearnHit[] = [],
): AutoLearnHit[] {
  const find = ruleLookup(rules);
  const off = new Map<string, RuleArea | undefined>(disabled.map((d) => [d.name, d.area]));
  const sideOf = (name: string): PointsSide => {
    const r = find(name);
    if (r) return depSide(r);
    const a = off.get(name);
    return a === undefined || a === 'meta' ? 'none' : sideOfArea(a);
  };
  const out: AutoLearnHit[] = [];
  for (const h of result.hits) {
    const r = find(h.name);
    if (!r) continue;
    out.push({
      name: r.name,
      area: r.area,
      tflags: r.tflags,
      scores: r.scores,
      depSides: r.test.type === 'meta' ? r.test.deps.map(sideOf) : undefined,
    });
  }
  return [...out, ...extra];
}

/**
 * The `_AUTOLEARN_` tag (and X-Spam-Status `autolearn=`) as SpamAssassin 4.0.1
 * writes it: `disabled` alone, otherwise the status followed by
 * ` autolearn_force=no` or ` autolearn_force=yes (RULE,RULE)`. `unavailable`
 * (the learner could not learn: store unavailable, or the message was already
 * learned) and `failed` (the learn errored) replace a spam/ham status.
 */
export function autoLearnTag(status: AutoLearnStatus | 'unavailable' | 'failed', forcedBy: readonly string[] = []): string {
  if (status === 'disabled') return 'disabled';
  return `${status} autolearn_force=${forcedBy.length > 0 ? `yes (${forcedBy.join(',')})` : 'no'}`;
}

/** The decision for a finished scan with `rules`' settings (hits, types and scores read from the rule set). */
export function autoLearnForScan(result: ScanResult, rules: RuleSet, extra: readonly AutoLearnHit[] = []): AutoLearnDecision {
  return autoLearnDecision(autoLearnHits(result, rules.compiled, rules.disabled, extra), result.scoreSet, autoLearnSettings(rules.options), result.isSpam);
}
