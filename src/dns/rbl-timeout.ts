/**
 * `rbl_timeout t [t_min]`: how long a scan waits for its DNS answers. The wait starts at t and
 * shrinks toward t_min as the share of answered queries grows, following the chart in
 * SpamAssassin's Conf documentation, which is t - (t - t_min) * done^2 (done = share answered):
 * most lists have answered, so one slow list should not hold the message for the full t.
 */

/** Seconds: the full wait and the floor it shrinks to. */
export interface RblTimeout {
  readonly t: number;
  readonly tMin: number;
}

/** SpamAssassin's default, `rbl_timeout 15 3`. */
export const DEFAULT_RBL_TIMEOUT: RblTimeout = { t: 15, tMin: 3 };

/**
 * The setting from its arguments: t_min defaults to 0.2 t, and a t below t_min starts at t_min.
 * Returns an error message for arguments that are not non-negative numbers.
 */
export function rblTimeout(t: number, tMin?: number): RblTimeout | string {
  if (!(t >= 0) || (tMin !== undefined && !(tMin >= 0))) return 'rbl_timeout: expected non-negative seconds';
  const floor = tMin ?? 0.2 * t;
  return { t: Math.max(t, floor), tMin: floor };
}

/** Seconds a query may take, measured from its start, when `done` of `total` queries have ended. */
export function shrunkTimeout(setting: RblTimeout, done: number, total: number): number {
  const share = total > 0 ? Math.min(1, Math.max(0, done / total)) : 0;
  return setting.t - (setting.t - setting.tMin) * share * share;
}
