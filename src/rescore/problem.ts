/**
 * From scanned messages and the rule set to a fitting problem: which rules are fitted, their
 * sign bounds, and what the other rules add to each message (its offset).
 */
import type { RuleSet } from '../config/compile';
import type { CompiledRule } from '../engine/types';
import { hitMatrix, type FitProblem, type HitMatrix } from './fit';
import type { ScannedMessage } from './scan-corpus';

/**
 * Rules never fitted, whatever the mail says: the test message every administrator sends
 * first, and the time-limit marker (it says a scan was cut, not what the mail is).
 */
export const ALWAYS_FIXED: ReadonlySet<string> = new Set(['GTUBE', 'TIME_LIMIT_EXCEEDED']);

/** A score this large is a verdict set by configuration (lists, GTUBE-like tests), not evidence to weigh. */
export const VERDICT_SCORE = 20;

/** Why a rule keeps its score, or undefined when it is fitted. */
export function fixedReason(rule: CompiledRule, set: number, fixed: ReadonlySet<string>): string | undefined {
  const s = rule.scores[set] ?? 0;
  if (rule.subrule) return 'sub-rule';
  if (s === 0) return 'score 0';
  if (fixed.has(rule.name)) return '--fixed';
  if (ALWAYS_FIXED.has(rule.name)) return 'always fixed';
  if (rule.tflags.has('userconf')) return 'tflags userconf';
  if (Math.abs(s) >= VERDICT_SCORE) return `|score| >= ${VERDICT_SCORE}`;
  return undefined;
}

/** Every compiled rule by name. */
export function rulesByName(rules: RuleSet): Map<string, CompiledRule> {
  const m = new Map<string, CompiledRule>();
  for (const r of rules.compiled.rules) m.set(r.name, r);
  for (const r of rules.compiled.metas) m.set(r.name, r);
  return m;
}

/** The fitted rules and the matrices over all messages (train and holdout alike). */
export interface Design {
  readonly set: number;
  /** Names of the fitted rules, index = column. */
  readonly names: readonly string[];
  readonly current: Float64Array;
  readonly lower: Float64Array;
  readonly upper: Float64Array;
  readonly hits: HitMatrix;
  readonly offset: Float64Array;
  readonly spam: Uint8Array;
}

/**
 * Build the design: a rule is fitted when it is scored in `set`, not fixed, and hits at least
 * one training message. A rule written as spam evidence (positive score) stays >= 0, as ham
 * evidence (negative) stays <= 0, and a `tflags nice` rule stays <= 0.
 */
export function buildDesign(msgs: readonly ScannedMessage[], train: Uint8Array, rules: RuleSet, set: number, fixed: ReadonlySet<string>): Design {
  const byName = rulesByName(rules);
  const index = new Map<string, number>();
  const names: string[] = [];
  msgs.forEach((m, i) => {
    if (!train[i]) return;
    for (const t of m.tests) {
      if (index.has(t)) continue;
      const r = byName.get(t);
      if (!r || fixedReason(r, set, fixed) !== undefined) continue;
      index.set(t, names.length);
      names.push(t);
    }
  });
  const current = new Float64Array(names.length);
  const lower = new Float64Array(names.length);
  const upper = new Float64Array(names.length);
  names.forEach((n, j) => {
    const r = byName.get(n)!;
    const s = r.scores[set] ?? 0;
    current[j] = s;
    const nice = r.tflags.has('nice');
    lower[j] = s > 0 && !nice ? 0 : -Infinity;
    upper[j] = s < 0 || nice ? 0 : Infinity;
  });
  const rows: number[][] = [];
  const offset = new Float64Array(msgs.length);
  const spam = new Uint8Array(msgs.length);
  msgs.forEach((m, i) => {
    const row: number[] = [];
    let fittedPoints = 0;
    for (const t of m.tests) {
      const j = index.get(t);
      if (j === undefined) continue;
      row.push(j);
      fittedPoints += current[j]!;
    }
    rows.push(row);
    offset[i] = m.score - fittedPoints;
    spam[i] = m.spam ? 1 : 0;
  });
  return { set, names, current, lower, upper, hits: hitMatrix(rows), offset, spam };
}

/**
 * The rows of `d` where `mask` is set, as a fitting problem. Mail whose fixed rules alone
 * add VERDICT_SCORE or more either way (GTUBE, a welcome or block list) is left out: its
 * verdict is configured, and fitting to it would only push the other rules to extremes.
 */
export function problemFor(d: Design, mask: Uint8Array, threshold: number, fpCost: number, l2: number): FitProblem {
  const rows: number[][] = [];
  const offset: number[] = [];
  const spam: number[] = [];
  for (let i = 0; i < d.hits.rows; i++) {
    if (!mask[i] || Math.abs(d.offset[i]!) >= VERDICT_SCORE) continue;
    rows.push(Array.from(d.hits.cols.subarray(d.hits.rowStart[i]!, d.hits.rowStart[i + 1]!)));
    offset.push(d.offset[i]!);
    spam.push(d.spam[i]!);
  }
  return {
    hits: hitMatrix(rows),
    spam: Uint8Array.from(spam),
    offset: Float64Array.from(offset),
    current: d.current,
    lower: d.lower,
    upper: d.upper,
    threshold,
    fpCost,
    l2,
  };
}
