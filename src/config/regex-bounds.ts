/**
 * Which translated rule regexes can run in bounded time.
 *
 * V8 (Node 20) has a breadth-first engine that runs in time linear in the subject; with the
 * fallback flags (set by every entry point, see regex-flags.ts) a pattern that backtracks too
 * much is re-run on it. It takes no `i` flag, no lookaround, no backreference and no counted
 * repetition above 16, so a pattern it refuses keeps V8's backtracking engine. For those, a
 * ReDoS analyser (recheck) decided ahead of time whether backtracking can be super-linear; its
 * verdicts are checked in (redos-verdicts.json, written by `src/cli/redos-check.ts --update`),
 * so loading rules never runs the analyser.
 */
// Sets the flags that let `new RegExp(src, 'l')` ask V8 itself whether the linear engine accepts a pattern.
import '../regex-flags';
// Type only: the file (1 MB) loads when a pattern V8's linear engine refuses is first looked up.
import type VerdictFile from './redos-verdicts.json';
import { lazy } from '../util/lazy';

/**
 * How a regex is bounded: `linear-engine` (V8 falls back to its linear engine), `safe` (recheck:
 * at most linear backtracking), or recheck's finding that it is not (`polynomial`,
 * `exponential`), or that it could not decide (`unknown`).
 */
export type RegexBound = 'linear-engine' | 'safe' | 'polynomial' | 'exponential' | 'unknown';

/** recheck's verdicts, by `verdictKey`. */
export type Verdicts = Readonly<Record<string, Exclude<RegexBound, 'linear-engine'>>>;

/** The checked-in verdicts (read on first call: ~20-40 ms a process need not pay when every pattern runs on the linear engine). */
// eslint-disable-next-line @typescript-eslint/no-require-imports
export const checkedInVerdicts = lazy(() => (require('./redos-verdicts.json') as typeof VerdictFile as { verdicts: Verdicts }).verdicts);

/** Whether V8's linear-time engine can run `re` (V8 decides: it refuses the rest at construction). */
export function linearEligible(re: RegExp): boolean {
  try {
    new RegExp(re.source, re.flags.replace(/[gy]/g, '') + 'l');
    return true;
  } catch {
    return false;
  }
}

/** The key of a regex in the verdict file: its flags (without g/y), a slash, its source. */
export function verdictKey(re: RegExp): string {
  return `${re.flags.replace(/[gy]/g, '')}/${re.source}`;
}

/** How `re` is bounded; undefined when V8's linear engine refuses it and it was never analysed. */
export function regexBound(re: RegExp, verdicts?: Verdicts): RegexBound | undefined {
  if (linearEligible(re)) return 'linear-engine';
  return (verdicts ?? checkedInVerdicts())[verdictKey(re)];
}
