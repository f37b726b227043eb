/**
 * Token expiry as SpamAssassin does it: when the database holds more than
 * `bayes_expiry_max_db_size` tokens, keep about 75% of that bound (never fewer than
 * 100,000) by dropping the tokens not used for longest. The cut-off age is searched
 * among 12 h x 2^n (n = 0..9): the largest age that still removes at least the
 * needed number of tokens; with fewer than 1,000 to remove nothing is done. Where
 * that step leaves more tokens than the bound, hamlet also drops the least recently
 * used ones down to the 75% goal.
 */
import type { BayesStore, StoreVars } from './store';

/** SpamAssassin's expiry constants. */
export const EXPIRY_PERIOD = 43200;
export const EXPIRY_MAX_EXPONENT = 9;
export const EXPIRY_KEEP_FRACTION = 0.75;
export const EXPIRY_MIN_KEEP = 100000;
export const EXPIRY_MIN_REDUCTION = 1000;

export interface ExpiryOptions {
  maxDbSize: number;
  /** Run even when not due (`--force-expire`). */
  force?: boolean;
  /** Current time in seconds. */
  now?: number;
  /** Lower bound on tokens kept (SpamAssassin: 100,000); tests use small databases. */
  minKeep?: number;
  /** Smallest reduction worth doing (SpamAssassin: 1,000). */
  minReduction?: number;
}

export interface ExpiryResult {
  ran: boolean;
  kept: number;
  deleted: number;
  /** The atime delta used (seconds), 0 when nothing was expired. */
  delta: number;
  reason?: string;
}

/** Is an automatic expiry due (bayes_auto_expire)? */
export function expiryDue(v: StoreVars, opts: ExpiryOptions): boolean {
  if (opts.force) return true;
  const now = opts.now ?? Math.floor(Date.now() / 1000);
  const minKeep = opts.minKeep ?? EXPIRY_MIN_KEEP;
  if (now - v.lastExpire < EXPIRY_PERIOD) return false;
  if (v.ntokens <= minKeep || opts.maxDbSize > v.ntokens) return false;
  return v.newestAtime - v.oldestAtime >= EXPIRY_PERIOD;
}

export function expireOldTokens(store: BayesStore, opts: ExpiryOptions): Promise<ExpiryResult> {
  const now = opts.now ?? Math.floor(Date.now() / 1000);
  const minKeep = opts.minKeep ?? EXPIRY_MIN_KEEP;
  const minReduction = opts.minReduction ?? EXPIRY_MIN_REDUCTION;
  return store.write(async (w) => {
    const v = await w.vars();
    if (!expiryDue(v, { ...opts, now })) return { ran: false, kept: v.ntokens, deleted: 0, delta: 0, reason: 'not due' };
    const newest = Math.min(v.newestAtime, now);
    const keep = Math.max(minKeep, Math.floor(opts.maxDbSize * EXPIRY_KEEP_FRACTION));
    const goal = v.ntokens - keep;
    const skip = (reason: string): ExpiryResult => {
      w.setVar('lastExpire', now);
      return { ran: false, kept: v.ntokens, deleted: 0, delta: 0, reason };
    };
    if (goal < minReduction) return skip(`reduction goal of ${goal} is under ${minReduction} tokens`);

    // Tokens that an age cut-off of EXPIRY_PERIOD * mult would remove, for mult = 1, 2, 4 ... 512.
    const removable = new Map<number, number>();
    for (let mult = 1; mult <= 2 ** EXPIRY_MAX_EXPONENT; mult <<= 1) {
      const n = await w.countOlderThan(newest - EXPIRY_PERIOD * mult + 1);
      if (n === 0) break;
      removable.set(mult, n);
    }
    // From the oldest cut-off down, stop at the first that removes more than the goal and
    // step back one: the largest age whose removal does not overshoot, at least 1.
    let mult = 2 ** EXPIRY_MAX_EXPONENT;
    for (; mult > 0; mult >>= 1) {
      const n = removable.get(mult);
      if (n !== undefined && n > goal) {
        mult <<= 1;
        break;
      }
    }
    if (mult === 0) mult = 1;
    const n = removable.get(mult);
    if (n === undefined || n < minReduction) return skip('no atime delta removes enough tokens');
    const delta = EXPIRY_PERIOD * mult;
    if (v.ntokens - n < minKeep) return skip('expiry would keep too few tokens');
    let deleted = await w.deleteOlderThan(newest - delta);
    // The power-of-two age steps can leave the database over its bound; then the least
    // recently used tokens go until the keep goal is reached (SQLite can do that exactly).
    if (v.ntokens - deleted > opts.maxDbSize) deleted += await w.deleteOldest(v.ntokens - deleted - keep);
    w.setVar('lastExpire', now);
    w.setVar('lastAtimeDelta', delta);
    w.setVar('lastExpireReduce', deleted);
    return { ran: true, kept: v.ntokens - deleted, deleted, delta };
  });
}
