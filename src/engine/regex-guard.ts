/**
 * Run work that may not finish in reasonable time (rule regexes only V8's backtracking engine can
 * run, see config/regex-bounds.ts) under a watchdog, with a budget per item and a deadline.
 *
 * JavaScript cannot stop a running regex, but a `vm` script run with `timeout` is terminated by a
 * watchdog thread whatever it is running, a regex of the main realm included (also in
 * worker_threads). Each watched call starts its own watchdog (~100-250 µs here, against ~5 µs for
 * an unwatched call), so the items of one scan share calls: a call runs items in order until all
 * are done or its timeout fires. The item then running is cut only when it had the call to itself
 * (it used a whole budget alone), twice; otherwise it started late in a shared call and is run
 * again at the head of a call of its own.
 */
import { createContext, Script } from 'node:vm';

/** The bounds of one guarded run. */
export interface GuardBounds {
  /** Most milliseconds one item may take in one try (it gets two, see above). */
  readonly perItemMs: number;
  /** Most milliseconds all items together may take (cut items included). */
  readonly totalMs: number;
  /** Absolute time (`performance.now()`) nothing may run past (the scan's time limit); 0 = none. */
  readonly deadline: number;
}

/** What a guarded run did. */
export interface GuardOutcome {
  /** Each item's result; NaN where it did not finish. */
  readonly results: Float64Array;
  /** Items stopped by their own budget or by the run's total (NaN in `results`). */
  readonly cut: readonly number[];
  /** The deadline stopped the run: every item from the first unfinished one on is NaN. */
  readonly deadlineHit: boolean;
}

/** The one driver all calls share (one thread runs one scan at a time). */
interface Driver {
  item: (k: number) => number;
  next: number;
  end: number;
  out: Float64Array;
}

const IDLE = (): number => 0;
const NO_RESULTS = new Float64Array(0);
const driver: Driver = { item: IDLE, next: 0, end: 0, out: NO_RESULTS };

// `next` only moves past an item once it has returned, so after a timeout it names the item that was running.
function drive(): void {
  const d = driver;
  for (; d.next < d.end; d.next++) d.out[d.next] = d.item(d.next);
}

let watched: { script: Script; context: object } | undefined;

function watchedCall(): { script: Script; context: object } {
  return (watched ??= { script: new Script('drive()'), context: createContext({ drive }) });
}

function isTimeout(e: unknown): boolean {
  return (e as { code?: unknown } | null)?.code === 'ERR_SCRIPT_EXECUTION_TIMEOUT';
}

/**
 * Run `item(0..count-1)` under `bounds`. An item must not itself run a guarded run.
 * Errors other than the watchdog's propagate.
 */
export function runGuarded(count: number, item: (k: number) => number, bounds: GuardBounds): GuardOutcome {
  const results = new Float64Array(count).fill(NaN);
  const cut: number[] = [];
  const strikes = new Uint8Array(count);
  const { script, context } = watchedCall();
  const started = performance.now();
  const totalEnd = started + bounds.totalMs;
  let deadlineHit = false;
  let k = 0;
  while (k < count) {
    const now = performance.now();
    const toDeadline = bounds.deadline > 0 ? bounds.deadline - now : Infinity;
    if (toDeadline <= 0) {
      deadlineHit = true;
      break;
    }
    const toTotal = totalEnd - now;
    if (toTotal <= 0) {
      for (; k < count; k++) cut.push(k);
      break;
    }
    // vm takes whole milliseconds, at least 1.
    const ms = Math.max(1, Math.ceil(Math.min(bounds.perItemMs, toDeadline, toTotal)));
    driver.item = item;
    driver.next = k;
    driver.end = count;
    driver.out = results;
    try {
      script.runInContext(context, { timeout: ms });
      k = count;
    } catch (e) {
      if (!isTimeout(e)) throw e;
      const at = driver.next;
      if (at > k) {
        k = at; // it shared the call: give it one of its own (the loop's top sees a passed deadline)
        continue;
      }
      // The call was as long as the time left before the deadline: that is what stopped it.
      if (toDeadline <= Math.min(bounds.perItemMs, toTotal)) {
        deadlineHit = true;
        break;
      }
      // The budget is wall time: on a loaded host the thread may have been descheduled for
      // most of it, so an item is cut only the second time it uses a whole call alone.
      if (strikes[at] === 0) {
        strikes[at] = 1;
        continue;
      }
      cut.push(at);
      k = at + 1;
    } finally {
      driver.item = IDLE; // hold no scan's closures between scans
      driver.out = NO_RESULTS;
    }
  }
  return { results, cut, deadlineHit };
}
