/** `hamlet --lint`: what the configuration defines, what runs, what does not and why. */
import { awlActive } from '../awl/scan';
import type { RuleSet } from '../config/compile';
import type { LintMessage } from '../config/draft';
import type * as RedosAnalyse from '../config/redos-analyse';
import { lazy } from '../util/lazy';

// recheck costs ~200 ms to load: only a user's own pattern without a checked-in verdict needs it.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const redosAnalyse = lazy(() => require('../config/redos-analyse') as typeof RedosAnalyse);

const at = (m: LintMessage): string => (m.at ? `${m.at.file}:${m.at.line}: ` : '');

/** Counts for the lint summary. */
export interface LintSummary {
  readonly active: number;
  readonly disabled: number;
  /** Disabled because they need network, Bayes, images, PDFs, AWL or external tools. */
  readonly needsExternal: number;
  /** Active share of the rules that need none of those. */
  readonly localActiveShare: number;
  /** Lint errors plus rules disabled by a mistake in them (bad regex, unknown eval, bad meta), as SpamAssassin counts issues. */
  readonly errors: number;
  readonly warnings: number;
}

/**
 * The AWL rule's eval is not run by the scanner: the auto-welcomelist step applies it after the
 * scan (src/awl/scan.ts). With `use_auto_welcomelist` on, that rule is active, not disabled.
 */
function awlApplied(rs: RuleSet): (d: RuleSet['disabled'][number]) => boolean {
  const on = awlActive(rs);
  return (d) => on && d.needs === 'awl';
}

export function summarize(rs: RuleSet): LintSummary {
  const applied = awlApplied(rs);
  const disabled = rs.disabled.filter((d) => !applied(d));
  const active = rs.compiled.rules.length + rs.compiled.metas.length + (rs.disabled.length - disabled.length);
  const needsExternal = disabled.filter((d) => d.needs !== undefined).length;
  const localDisabled = disabled.length - needsExternal;
  return {
    active,
    disabled: disabled.length,
    needsExternal,
    localActiveShare: active / Math.max(1, active + localDisabled),
    errors: rs.lint.filter((m) => m.level === 'error').length + localDisabled,
    warnings: rs.lint.filter((m) => m.level === 'warn').length,
  };
}

/**
 * Rules that run under the scanner's time budget. A pattern the checked-in verdicts cover (the
 * stock rules, rules/: audited by `npm run lint`) is an info line; a user's own pattern is
 * analysed now, and a warning unless recheck finds it safe.
 */
export function redosLint(rs: RuleSet): LintMessage[] {
  const out: LintMessage[] = [];
  for (const g of rs.guarded) {
    const known = g.bound !== undefined;
    const bound = g.bound ?? redosAnalyse().analyseSync(g.re);
    if (bound === 'safe' || bound === 'linear-engine') continue;
    const why = bound === 'unknown' ? 'pattern may backtrack super-linearly (recheck could not decide)' : `pattern can backtrack super-linearly (recheck: ${bound})`;
    out.push({ level: known ? 'info' : 'warn', at: g.at, text: `rule ${g.name}: ${why}, runs under a time budget` });
  }
  return out;
}

/** Lint report lines; `debug` adds info-level messages. */
export function lintReport(rs: RuleSet, debug: boolean): string[] {
  const out: string[] = [];
  const redos = redosLint(rs);
  for (const m of [...rs.lint, ...redos]) {
    if (m.level === 'info' && !debug) continue;
    out.push(`${m.level}: ${at(m)}${m.text}`);
  }
  const byArea = new Map<string, number>();
  for (const r of [...rs.compiled.rules, ...rs.compiled.metas]) byArea.set(r.area, (byArea.get(r.area) ?? 0) + 1);
  const s = summarize(rs);
  const areas = [...byArea].map(([a, n]) => `${n} ${a}`).join(', ');
  out.push(`lint: ${s.active} rules active (${areas}); ${s.disabled} disabled, ${s.needsExternal} of them needing network, Bayes, images, PDFs or external tools`);
  out.push(`lint: ${(s.localActiveShare * 100).toFixed(1)}% of rules that need none of those are active`);
  const applied = awlApplied(rs);
  for (const d of [...rs.disabled].sort((a, b) => a.name.localeCompare(b.name))) {
    if (applied(d)) out.push(`awl: ${d.name} (${d.at.file}:${d.at.line}): applied after the scan by the auto-welcomelist (use_auto_welcomelist 1)`);
    else out.push(`disabled: ${d.name} (${d.at.file}:${d.at.line}): ${d.reason}`);
  }
  out.push(`lint: ${s.errors} error(s), ${s.warnings + redos.filter((m) => m.level === 'warn').length} warning(s)`);
  return out;
}
