/**
 * What a rescoring run reports: false positives and negatives before and after on the
 * training and held-out parts, and per rule its old and new score, hits and S/O ratio.
 */

/** Counts on one part of the mail under one set of scores. */
export interface Tally {
  readonly ham: number;
  readonly spam: number;
  readonly fp: number;
  readonly fn: number;
}

/** FP and FN of `scores` against `spam` labels over the rows in `mask` (all rows when absent). */
export function tally(scores: ArrayLike<number>, spam: ArrayLike<number>, threshold: number, mask?: ArrayLike<number>): Tally {
  let ham = 0;
  let sp = 0;
  let fp = 0;
  let fn = 0;
  for (let i = 0; i < scores.length; i++) {
    if (mask && !mask[i]) continue;
    // As the scanner decides: on the score rounded to three decimals.
    const isSpam = Math.round(scores[i]! * 1000) / 1000 >= threshold;
    if (spam[i]) {
      sp++;
      if (!isSpam) fn++;
    } else {
      ham++;
      if (isSpam) fp++;
    }
  }
  return { ham, spam: sp, fp, fn };
}

/** FP weighted as the fit weighs it, plus FN. */
export function cost(t: Tally, fpCost: number): number {
  return fpCost * t.fp + t.fn;
}

/** One fitted rule's line. */
export interface RuleRow {
  readonly name: string;
  readonly old: number;
  readonly new: number;
  readonly hamHits: number;
  readonly spamHits: number;
  /** Spam hit rate / (spam + ham hit rates), as SpamAssassin's hit-frequencies gives it; NaN when the rule hit nothing. */
  readonly so: number;
}

/** Hits per rule column over ham and spam rows. */
export function ruleRows(
  names: readonly string[],
  old: ArrayLike<number>,
  fitted: ArrayLike<number>,
  hits: { rows: number; rowStart: Int32Array; cols: Int32Array },
  spam: ArrayLike<number>,
): RuleRow[] {
  const h = new Float64Array(names.length);
  const s = new Float64Array(names.length);
  let nHam = 0;
  let nSpam = 0;
  for (let i = 0; i < hits.rows; i++) {
    if (spam[i]) nSpam++;
    else nHam++;
    for (let k = hits.rowStart[i]!; k < hits.rowStart[i + 1]!; k++) (spam[i] ? s : h)[hits.cols[k]!]!++;
  }
  return names.map((name, j) => {
    const hr = nHam ? h[j]! / nHam : 0;
    const sr = nSpam ? s[j]! / nSpam : 0;
    return { name, old: old[j]!, new: fitted[j]!, hamHits: h[j]!, spamHits: s[j]!, so: hr + sr > 0 ? sr / (hr + sr) : NaN };
  });
}

/** Everything the text summary and the report show. */
export interface RescoreSummary {
  readonly messages: number;
  readonly scoreSet: number;
  readonly threshold: number;
  readonly fpCost: number;
  readonly l2: number;
  readonly fitSeconds: number;
  readonly iterations: number;
  readonly converged: boolean;
  readonly train: { readonly before: Tally; readonly after: Tally };
  readonly holdout: { readonly before: Tally; readonly after: Tally };
  readonly rules: readonly RuleRow[];
}

const pad = (s: string | number, n: number): string => String(s).padStart(n);

function tallyLine(label: string, b: Tally, a: Tally, fpCost: number): string {
  return `${label.padEnd(8)} ${pad(b.ham, 6)} ${pad(b.spam, 6)}   ${pad(b.fp, 5)} ${pad(b.fn, 5)} ${pad(cost(b, fpCost), 6)}   ${pad(a.fp, 5)} ${pad(a.fn, 5)} ${pad(cost(a, fpCost), 6)}`;
}

/** The summary as text (stdout). */
export function summaryText(s: RescoreSummary): string {
  const lines = [
    `hamlet-rescore: ${s.messages} messages, score set ${s.scoreSet}, required_score ${s.threshold}, fp-cost ${s.fpCost}, l2 ${s.l2}`,
    `fitted ${s.rules.length} rules in ${s.fitSeconds.toFixed(2)} s (${s.iterations} iterations${s.converged ? '' : ', not converged'})`,
    '',
    `${''.padEnd(8)} ${pad('ham', 6)} ${pad('spam', 6)}   ${pad('FP', 5)} ${pad('FN', 5)} ${pad('cost', 6)}   ${pad('FP', 5)} ${pad('FN', 5)} ${pad('cost', 6)}`,
    `${''.padEnd(8)} ${''.padEnd(13)}   ${'before'.padEnd(18)}   after`,
    tallyLine('train', s.train.before, s.train.after, s.fpCost),
    tallyLine('holdout', s.holdout.before, s.holdout.after, s.fpCost),
    '',
    `${'rule'.padEnd(30)} ${pad('old', 8)} ${pad('new', 8)} ${pad('ham', 6)} ${pad('spam', 6)} ${pad('S/O', 6)}`,
  ];
  const sorted = [...s.rules].sort((a, b) => Math.abs(b.new - b.old) - Math.abs(a.new - a.old) || (a.name < b.name ? -1 : 1));
  for (const r of sorted) {
    lines.push(`${r.name.padEnd(30)} ${pad(r.old.toFixed(3), 8)} ${pad(r.new.toFixed(3), 8)} ${pad(r.hamHits, 6)} ${pad(r.spamHits, 6)} ${pad(Number.isNaN(r.so) ? '-' : r.so.toFixed(3), 6)}`);
  }
  return lines.join('\n') + '\n';
}
