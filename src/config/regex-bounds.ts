/**
 * Which translated rule regexes can run in bounded time.
 *
 * V8 (Node 20) has a breadth-first engine that runs in time linear in the subject; with the
 * fallback flags (set by every entry point) a pattern that backtracks too much is re-run on it.
 * It takes no `i` flag, no lookaround, no backreference and no counted repetition above 16, so a
 * pattern it refuses keeps V8's backtracking engine and needs a bound of another kind.
 */
import { setFlagsFromString } from 'node:v8';

// Lets `new RegExp(src, 'l')` ask V8 itself whether the linear engine accepts a pattern.
setFlagsFromString('--enable-experimental-regexp-engine');

/** Whether V8's linear-time engine can run `re` (V8 decides: it refuses the rest at construction). */
export function linearEligible(re: RegExp): boolean {
  try {
    new RegExp(re.source, re.flags.replace(/[gy]/g, '') + 'l');
    return true;
  } catch {
    return false;
  }
}
