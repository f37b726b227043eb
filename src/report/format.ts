/** Number formats of SpamAssassin's headers, reports and protocol. */

/**
 * Perl's (C's) `%.Nf`: like toFixed, except that an exact binary tie rounds to
 * even (printf gives 0.2 for 0.25 where toFixed gives 0.3).
 */
export function fixed(n: number, digits: number): string {
  const scaled = n * 10 ** digits;
  if (Number.isInteger(scaled * 2) && !Number.isInteger(scaled) && Number.isFinite(scaled)) {
    const lo = Math.floor(scaled);
    const even = lo % 2 === 0 ? lo : lo + 1;
    const s = (even / 10 ** digits).toFixed(digits);
    return even === 0 && n < 0 ? '-' + s : s;
  }
  return n.toFixed(digits);
}

/**
 * The score as headers show it (`_SCORE_`): one decimal; a ham whose rounded
 * score reaches the threshold shows threshold - 0.1, so it never looks like spam.
 */
export function tagScore(score: number, required: number, isSpam: boolean): string {
  const s = fixed(score, 1);
  const r = fixed(required, 1);
  if (isSpam || Number(s) < Number(r)) return s;
  return fixed(Number(r) - 0.1, 1);
}

/** A rule's points in the report table: `%4.1f`, or `%4.0f` from 10 points up. */
export function tablePoints(score: number): string {
  const s = Math.abs(score) >= 10 ? fixed(score, 0) : fixed(score, 1);
  return s.padStart(4, ' ');
}
