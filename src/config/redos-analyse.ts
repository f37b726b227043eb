/**
 * Ask recheck (an automaton and fuzzing ReDoS analyser) how a regex backtracks. Used by
 * `hamlet --lint` for patterns the checked-in verdicts do not cover, and by
 * `src/cli/redos-check.ts --update`, which writes those verdicts; never while scanning.
 */
import { check, checkSync, type Diagnostics } from 'recheck';
import type { RegexBound } from './regex-bounds';

/** How long recheck may think about one pattern (ms) by default; past that its answer is `unknown`. */
export const RECHECK_TIMEOUT_MS = 6_000;

function boundOf(d: Diagnostics): Exclude<RegexBound, 'linear-engine'> {
  if (d.status === 'safe') return 'safe';
  if (d.status === 'vulnerable') return d.complexity.type;
  return 'unknown';
}

/** recheck's verdict on `re`, in a worker (the caller waits). */
export async function analyse(re: RegExp, timeoutMs = RECHECK_TIMEOUT_MS): Promise<Exclude<RegexBound, 'linear-engine'>> {
  return boundOf(await check(re.source, re.flags.replace(/[gy]/g, ''), { timeout: timeoutMs }));
}

/** The same, blocking (for the synchronous `hamlet --lint`). */
export function analyseSync(re: RegExp): Exclude<RegexBound, 'linear-engine'> {
  return boundOf(checkSync(re.source, re.flags.replace(/[gy]/g, ''), { timeout: RECHECK_TIMEOUT_MS }));
}
