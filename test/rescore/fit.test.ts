import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { fitScores, hitMatrix, rowScores, type FitProblem } from '../../src/rescore/fit';
import { tally } from '../../src/rescore/summary';

/** A small seeded generator, so the synthetic mail is the same on every run. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

interface RuleSpec {
  readonly pHam: number;
  readonly pSpam: number;
  readonly current: number;
  readonly nice?: boolean;
}

/** Messages hitting each rule with its own probability per class. */
function problem(rules: readonly RuleSpec[], nHam: number, nSpam: number, over: Partial<FitProblem> = {}, seed = 7): FitProblem {
  const r = rng(seed);
  const rows: number[][] = [];
  const spam: number[] = [];
  for (let i = 0; i < nHam + nSpam; i++) {
    const isSpam = i >= nHam;
    rows.push(rules.flatMap((rule, j) => (r() < (isSpam ? rule.pSpam : rule.pHam) ? [j] : [])));
    spam.push(isSpam ? 1 : 0);
  }
  const current = Float64Array.from(rules, (x) => x.current);
  return {
    hits: hitMatrix(rows),
    spam: Uint8Array.from(spam),
    offset: new Float64Array(rows.length),
    current,
    lower: Float64Array.from(rules, (x) => (x.current > 0 && !x.nice ? 0 : -Infinity)),
    upper: Float64Array.from(rules, (x) => (x.current < 0 || x.nice ? 0 : Infinity)),
    threshold: 5,
    fpCost: 10,
    l2: 1,
    ...over,
  };
}

const RULES: RuleSpec[] = [
  { pHam: 0.01, pSpam: 0.6, current: 1 }, // strong spam sign
  { pHam: 0.1, pSpam: 0.5, current: 2 }, // spam sign
  { pHam: 0.3, pSpam: 0.35, current: 3 }, // weak
  { pHam: 0.5, pSpam: 0.05, current: -1 }, // ham sign
  { pHam: 0.6, pSpam: 0.05, current: 1.5 }, // written as spam sign, but hits ham: must stay >= 0
  { pHam: 0.02, pSpam: 0.4, current: -0.5 }, // written as ham sign, but hits spam: must stay <= 0
  { pHam: 0.05, pSpam: 0.3, current: 0.5, nice: true }, // nice: <= 0 whatever its current sign
  { pHam: 0.05, pSpam: 0.7, current: 2.5 },
];

describe('fitScores', () => {
  test('sign constraints hold: spam-sign rules stay >= 0, ham-sign and nice rules <= 0', () => {
    const p = problem(RULES, 400, 400, { l2: 0.01 });
    const f = fitScores(p);
    assert.ok(f.converged, `converged in ${f.iterations} iterations`);
    f.scores.forEach((s, j) => {
      assert.ok(s >= p.lower[j]! - 1e-12 && s <= p.upper[j]! + 1e-12, `rule ${j}: ${s} within [${p.lower[j]}, ${p.upper[j]}]`);
    });
    // The data pull against the signs, so the bounds are active there.
    assert.ok(f.scores[4]! < 1e-6, `rule 4 (spam sign, hits ham) pinned at 0: ${f.scores[4]}`);
    assert.ok(f.scores[5]! > -1e-6, `rule 5 (ham sign, hits spam) pinned at 0: ${f.scores[5]}`);
    assert.ok(f.scores[6]! <= 0, 'nice rule <= 0');
    assert.ok(f.scores[0]! > 1 && f.scores[3]! < 0, `strong rules keep their signs: ${Array.from(f.scores).map((s) => s.toFixed(2)).join(' ')}`);
  });

  test('a larger FP cost gives fewer false positives and more false negatives', () => {
    const cheap = problem(RULES, 500, 500, { fpCost: 1 });
    const dear = problem(RULES, 500, 500, { fpCost: 50 });
    const a = tally(rowScores(cheap.hits, cheap.offset, fitScores(cheap).scores), cheap.spam, 5);
    const b = tally(rowScores(dear.hits, dear.offset, fitScores(dear).scores), dear.spam, 5);
    assert.ok(b.fp < a.fp, `FP ${b.fp} (cost 50) < ${a.fp} (cost 1)`);
    assert.ok(b.fn > a.fn, `FN ${b.fn} (cost 50) > ${a.fn} (cost 1)`);
  });

  test('the boundary lands on the required score: doubling it doubles every score and keeps the verdicts', () => {
    const p5 = problem(RULES, 300, 300, { l2: 0 });
    const p10 = { ...p5, threshold: 10 };
    const f5 = fitScores(p5);
    const f10 = fitScores(p10);
    f5.scores.forEach((s, j) => assert.ok(Math.abs(f10.scores[j]! - 2 * s) < 1e-3 * Math.max(1, Math.abs(s)), `rule ${j}: ${f10.scores[j]} = 2 x ${s}`));
    const v5 = tally(rowScores(p5.hits, p5.offset, f5.scores), p5.spam, 5);
    const v10 = tally(rowScores(p10.hits, p10.offset, f10.scores), p10.spam, 10);
    assert.deepEqual(v10, v5);
    // At the boundary the model says one half: messages at or over the threshold are those with a positive logit.
    const scores = rowScores(p5.hits, p5.offset, f5.scores);
    for (const s of scores) assert.equal(f5.scale * (s - 5) >= -1e-9, s >= 5 - 1e-9);
  });

  test('offsets (points from rules not fitted) count toward the verdict', () => {
    // Every spam gets 4 fixed points; one rule hitting half the spam and no ham should then need only ~1 point... but at least enough to pass 5 with the offset.
    const rows: number[][] = [];
    const spam: number[] = [];
    const offset: number[] = [];
    for (let i = 0; i < 200; i++) {
      const s = i >= 100;
      rows.push(s && i % 2 === 0 ? [0] : []);
      spam.push(s ? 1 : 0);
      offset.push(s ? 4 : 0);
    }
    const f = fitScores({
      hits: hitMatrix(rows),
      spam: Uint8Array.from(spam),
      offset: Float64Array.from(offset),
      current: Float64Array.of(0.5),
      lower: Float64Array.of(0),
      upper: Float64Array.of(Infinity),
      threshold: 5,
      fpCost: 10,
      l2: 0.1,
    });
    assert.ok(f.scores[0]! >= 1, `the rule lifts its spam over 5 with the 4 fixed points: ${f.scores[0]}`);
  });

  test('the penalty pulls a rule with little evidence toward its current score', () => {
    const p = problem([{ pHam: 0.002, pSpam: 0.004, current: 2 }, ...RULES], 400, 400, { l2: 5 });
    const f = fitScores(p);
    assert.ok(Math.abs(f.scores[0]! - 2) < 1, `rare rule stays near 2: ${f.scores[0]}`);
  });
});
