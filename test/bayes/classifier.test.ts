/** Robinson f(w) and chi-square combining with SpamAssassin 4.0.1's constants. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { classifyCounts, classifyLookup, combine, MIN_PROB_STRENGTH, N_SIGNIFICANT_TOKENS, tokenProbability } from '../../src/bayes/classifier';

test('f(w): unseen tokens and empty classes give nothing; counts move the probability', () => {
  assert.equal(tokenProbability(0, 0, 10, 10), undefined);
  assert.equal(tokenProbability(1, 0, 0, 10), undefined);
  // s=0.030 x=0.538: one spam-only sighting -> (0.01614 + 1) / 1.03
  assert.ok(Math.abs(tokenProbability(1, 0, 10, 10)! - (0.03 * 0.538 + 1) / 1.03) < 1e-12);
  assert.ok(tokenProbability(0, 5, 10, 10)! < 0.01);
  assert.ok(Math.abs(tokenProbability(3, 3, 10, 10)! - 0.5) < 0.01);
});

test('chi-square combining: strong spam tokens near 1, strong ham near 0, a balanced set at 0.5', () => {
  assert.ok(combine(100, 100, Array(20).fill(0.99))! > 0.999);
  assert.ok(combine(100, 100, Array(20).fill(0.01))! < 0.001);
  const mixed = combine(100, 100, [...Array(20).fill(0.99), ...Array(20).fill(0.01)])!;
  assert.ok(Math.abs(mixed - 0.5) < 0.01);
  assert.equal(combine(100, 100, []), undefined);
});

test('very many tokens do not underflow', () => {
  const p = combine(1000, 1000, Array(150).fill(0.9999));
  assert.ok(p !== undefined && p > 0.99 && p <= 1);
});

test('only the 150 strongest tokens at least 0.346 from 0.5 are used', () => {
  const found = new Map<number, { spam: number; ham: number }>();
  for (let i = 0; i < 300; i++) found.set(i, { spam: 50, ham: 0 });
  for (let i = 300; i < 400; i++) found.set(i, { spam: 5, ham: 5 }); // neutral
  const v = classifyCounts(100, 100, 400, found)!;
  assert.equal(v.used.length, N_SIGNIFICANT_TOKENS);
  assert.ok(v.used.every((t) => Math.abs(t.prob - 0.5) >= MIN_PROB_STRENGTH));
  assert.equal(v.learned, 400);
  const neutral = new Map([[1, { spam: 5, ham: 5 }]]);
  assert.equal(classifyCounts(100, 100, 1, neutral), undefined);
});

test('the verdict does not depend on the order a store returns tokens in: ties go by ascending hash', () => {
  // 200 tokens of equal strength (the same counts), 150 kept: which ones and in what order is the tie-break.
  const hashes: number[] = [];
  const spam: number[] = [];
  const ham: number[] = [];
  for (let i = 0; i < 200; i++) {
    hashes.push(1000 + i);
    spam.push(40);
    ham.push(1);
  }
  const ref = classifyLookup({ nspam: 100, nham: 100, hashes, spam, ham }, 200)!;
  assert.deepEqual(
    ref.used.map((t) => t.hash),
    hashes.slice(0, N_SIGNIFICANT_TOKENS),
  );
  // Reversed and rotated orders give the same tokens, in the same order, and the same probability.
  for (const order of [[...hashes.keys()].reverse(), [...hashes.keys()].map((i) => (i * 7) % 200)]) {
    const v = classifyLookup({ nspam: 100, nham: 100, hashes: order.map((i) => hashes[i]!), spam: order.map((i) => spam[i]!), ham: order.map((i) => ham[i]!) }, 200)!;
    assert.deepEqual(v, ref);
  }
  // classifyCounts (a Map) ranks the same way.
  const map = new Map(hashes.map((h, i) => [h, { spam: spam[i]!, ham: ham[i]! }] as const).reverse());
  assert.deepEqual(classifyCounts(100, 100, 200, map), ref);
});
