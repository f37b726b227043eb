/**
 * Long rule regexes that a worker's warm-up compiled plain (without V8's regex optimisations, to
 * save memory: see `warmUp`'s `plainOver`) are compiled again optimised once their matching has
 * cost enough time. A few long patterns run on most messages' whole body and cost a plain
 * scan ~10x what they cost optimised (the __FILL_THIS_FORM_ family: about 4 of 15 ms per scan);
 * most long patterns are gated by the prefilter or meet little text and stay plain and small.
 *
 * The optimised twin has the same flags and its source wrapped in `(?:...)`, which matches the
 * same strings with the same captures: V8 keeps a regex's compiled code with its (source, flags),
 * so a regex of the same source would reuse the plain code. It is compiled between scans, when no
 * other thread of the process is in a plain compile phase (regex-flags.ts).
 */
import { compileRegex, inOptimisedPhaseNow } from '../regex-flags';

/**
 * When a plain regex is compiled optimised: over a window of `TIER_UP_WINDOW` scans, its
 * matching took at least `TIER_UP_SHARE` of the scans' time (their local rules), and at least
 * `TIER_UP_SHARE_PER_KB` per 1,000 characters of its source. The optimised code's size grows
 * with the pattern (the 100-200 KB look-alike patterns take 0.4-1.4 MB each), so a long pattern
 * must be busier to earn it. Shares of wall time, so a loaded host (where a descheduled thread's
 * wall time runs on) decides as a quiet one does.
 */
export const TIER_UP_WINDOW = 200;
export const TIER_UP_SHARE = 0.015;
export const TIER_UP_SHARE_PER_KB = 0.003;

/** A plain regex's tally: matching time in the current window, and its optimised twin once there is one. */
export interface PlainTally {
  used: number;
  /** Matched by the global twin (a counting rule): its optimised twin gets one too. */
  counting: boolean;
  fast: RegExp | undefined;
  /** The share of the scans' time that earns the twin. */
  readonly share: number;
  /** Run under a guarded rule's watchdog: its twin is compiled for two-byte text too, ahead. */
  readonly guarded: boolean;
  readonly phases: { readonly state: Int32Array; readonly slot: number };
}

const tallies = new WeakMap<RegExp, PlainTally>();
let watching = false;
const watched: { re: RegExp; tally: PlainTally }[] = [];
let scans = 0;
/** Wall time (ms) of the current window's scans. */
let windowMs = 0;

/** Watch `re` (compiled plain by this thread's warm-up): its runs are timed until it is compiled optimised. */
export function watchPlain(re: RegExp, phases: PlainTally['phases'], opts: { guarded?: boolean; share?: number } = {}): void {
  if (tallies.has(re)) return;
  const share = opts.share ?? Math.max(TIER_UP_SHARE, (TIER_UP_SHARE_PER_KB * re.source.length) / 1000);
  const tally: PlainTally = { used: 0, counting: false, fast: undefined, share, guarded: opts.guarded === true, phases };
  tallies.set(re, tally);
  watched.push({ re, tally });
  watching = true;
}

/** `re`'s tally when it is watched (cheap when nothing is). */
export function plainTally(re: RegExp): PlainTally | undefined {
  return watching ? tallies.get(re) : undefined;
}

/** Add `ms` of matching by `re` (`counting`: by its global twin) to its tally. */
export function chargePlain(tally: PlainTally, ms: number, counting: boolean): void {
  tally.used += ms;
  if (counting) tally.counting = true;
}

/** Add a scan's wall time (its local rules, ms) to the window. */
export function chargeScan(ms: number): void {
  if (watching) windowMs += ms;
}

/**
 * Count a scan; at the end of each window, compile the optimised twins the busy regexes earned
 * (with their global twins through `twin` for counting rules) and start a new window. Called
 * between scans: a guarded rule's regex must not compile under its time budget. When another
 * thread is compiling plain now, the twins wait for the next window.
 */
export function tierUpBetweenScans(twin: (re: RegExp) => RegExp): void {
  if (!watching || ++scans % TIER_UP_WINDOW !== 0) return;
  const total = windowMs;
  windowMs = 0;
  for (const { re, tally } of watched) {
    if (tally.fast !== undefined) continue;
    const earned = total > 0 && tally.used / total >= tally.share;
    tally.used = 0;
    if (!earned) continue;
    const fresh = new RegExp(`(?:${re.source})`, re.flags);
    const subjects = tally.guarded ? ['warm-up\n', 'warm-up \u2019\n'] : ['warm-up\n'];
    const done = inOptimisedPhaseNow(tally.phases.state, tally.phases.slot, () => {
      for (const r of tally.counting ? [fresh, twin(fresh)] : [fresh]) compileRegex(r, subjects);
      return true;
    });
    if (done !== true) return;
    tally.fast = fresh;
    twins++;
  }
}

let twins = 0;
/** How many optimised twins this thread compiled, and the watched regexes' tallies (for benches). */
export function optimisedTwins(): number {
  return twins;
}
export function plainTallies(): readonly { readonly re: RegExp; readonly tally: PlainTally }[] {
  return watched;
}
