/**
 * bench:rescore-fit — how long the score fit takes at a site's scale: 6,000 messages x 3,000
 * rules with sparse hits (about 40 per message, as the stock rules hit), synthetic and seeded.
 * The scan before it is bench:scan's business.
 *
 * Usage: npm run bench:rescore-fit [-- --messages N --rules M]
 */
import { fitScores, hitMatrix, rowScores, type FitProblem } from '../src/rescore/fit';
import { tally } from '../src/rescore/summary';

function arg(name: string, d: number): number {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : d;
}

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const N = arg('--messages', 6000);
const M = arg('--rules', 3000);
const PER_MESSAGE = 40;
const r = rng(42);
// Each rule: a hit rate and how much more often it hits spam than ham (or the reverse).
const rate = Float64Array.from({ length: M }, () => r() ** 3 * (PER_MESSAGE / M) * 4);
const lean = Float64Array.from({ length: M }, () => (r() < 0.8 ? 0.5 + r() * 0.5 : r() * 0.5));
const current = Float64Array.from(lean, (l) => (l >= 0.5 ? 0.1 + r() * 3 : -(0.1 + r() * 2)));
const rows: number[][] = [];
const spam = new Uint8Array(N);
for (let i = 0; i < N; i++) {
  spam[i] = i % 2;
  const row: number[] = [];
  for (let j = 0; j < M; j++) {
    const p = rate[j]! * 2 * (spam[i] ? lean[j]! : 1 - lean[j]!);
    if (r() < p) row.push(j);
  }
  rows.push(row);
}
const hits = hitMatrix(rows);
const p: FitProblem = {
  hits,
  spam,
  offset: new Float64Array(N),
  current,
  lower: Float64Array.from(current, (c) => (c > 0 ? 0 : -Infinity)),
  upper: Float64Array.from(current, (c) => (c < 0 ? 0 : Infinity)),
  threshold: 5,
  fpCost: 10,
  l2: 1,
};
const t0 = performance.now();
const f = fitScores(p);
const seconds = (performance.now() - t0) / 1000;
const before = tally(rowScores(hits, p.offset, current), spam, 5);
const after = tally(rowScores(hits, p.offset, f.scores), spam, 5);
console.log(`${N} messages x ${M} rules, ${hits.cols.length} hits; ${f.iterations} iterations, converged ${f.converged}`);
console.log(`FP/FN before ${before.fp}/${before.fn}, after ${after.fp}/${after.fn}`);
console.log(`RESULT rescore-fit messages=${N} rules=${M} hits=${hits.cols.length} fit_s=${seconds.toFixed(2)} iterations=${f.iterations} evaluations=${f.evaluations} converged=${f.converged ? 1 : 0}`);
