/**
 * The ReDoS audit of a compiled rule set: every regex the scanner runs for a rule (its
 * translated regex and, for line rules, its ASCII form) must run in bounded time: V8's linear
 * engine takes it, or recheck found its backtracking at most linear, or the rule is `guarded`
 * (the scanner runs it under a time budget). A regex that is none of these is unbounded.
 */
import { asciiForm } from '../engine/ascii-form';
import { runsAsciiForm } from '../engine/ascii-form-memo';
import type { CompiledRule } from '../engine/types';
import type { RuleSet } from './compile';
import { checkedInVerdicts, regexBound, type RegexBound, type Verdicts } from './regex-bounds';

/** One regex the scanner may run for a rule. */
export interface AuditedRegex {
  readonly rule: string;
  readonly re: RegExp;
  readonly bound: RegexBound | undefined;
  readonly guarded: boolean;
}

/** What an audit found. */
export interface RedosAudit {
  readonly regexes: readonly AuditedRegex[];
  /** Neither bounded nor guarded: must be none. */
  readonly unbounded: readonly AuditedRegex[];
}

/** The regexes the scanner runs for `rule` (see engine/scanner.ts: runRule, matchLines). */
function scannedForms(rule: CompiledRule): { re: RegExp; guarded: boolean }[] {
  const t = rule.test;
  if (t.type !== 'regex' && t.type !== 'header' && t.type !== 'mimeheader') return [];
  const guarded = t.guarded === true;
  const forms = [{ re: t.re, guarded }];
  if (runsAsciiForm(rule)) {
    const a = asciiForm(t.re);
    if (a) forms.push({ re: a, guarded });
  }
  return forms;
}

/** Audit `rs` against recheck's verdicts. */
export function auditRuleSet(rs: RuleSet, verdicts: Verdicts = checkedInVerdicts()): RedosAudit {
  const regexes: AuditedRegex[] = [];
  for (const rule of rs.compiled.rules) {
    for (const f of scannedForms(rule)) regexes.push({ rule: rule.name, re: f.re, guarded: f.guarded, bound: regexBound(f.re, verdicts) });
  }
  const unbounded = regexes.filter((r) => !r.guarded && r.bound !== 'linear-engine' && r.bound !== 'safe');
  return { regexes, unbounded };
}

/** Counts by bound, for the audit's summary line. */
export function auditSummary(a: RedosAudit): string {
  const n = (f: (r: AuditedRegex) => boolean): number => a.regexes.filter(f).length;
  const guarded = a.regexes.filter((r) => r.guarded);
  const by = (b: RegexBound | undefined): number => guarded.filter((r) => r.bound === b).length;
  return (
    `${a.regexes.length} regexes: ${n((r) => r.bound === 'linear-engine')} on V8's linear engine, ${n((r) => r.bound === 'safe')} safe by recheck, ` +
    `${guarded.length} under the time budget (${by('exponential')} exponential, ${by('polynomial')} polynomial, ${by('unknown')} undecided, ${by(undefined)} not analysed), ` +
    `${a.unbounded.length} unbounded`
  );
}
