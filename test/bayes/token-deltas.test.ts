/** TokenDeltas: the summed token changes of a learned batch, against a plain Map doing the same sums. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TokenDeltas } from '../../src/bayes/token-deltas';

/** A deterministic stream of 40-bit values with many repeats (xorshift). */
function hashes(n: number, distinct: number, seed: number): number[] {
  let x = seed;
  const pool: number[] = [];
  for (let i = 0; i < distinct; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    pool.push((x >>> 0) * 256 + (i & 0xff));
  }
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push(pool[(i * 7919) % distinct]!);
  return out;
}

test('sums per token match a Map, through several resizes, and come out in nearly ascending hash order', () => {
  const t = new TokenDeltas(4);
  const ref = new Map<number, { spam: number; ham: number; atime: number }>();
  const batches: Array<[number[], number, number, number]> = [
    [hashes(5000, 3000, 1), 1, 0, 100],
    [hashes(3000, 1500, 1), 0, 1, 300],
    [hashes(2000, 2000, 7), -1, 0, 0],
  ];
  for (const [hs, ds, dh, atime] of batches) {
    t.addAll(hs, ds, dh, atime);
    for (const h of hs) {
      const d = ref.get(h) ?? { spam: 0, ham: 0, atime: 0 };
      d.spam += ds;
      d.ham += dh;
      d.atime = Math.max(d.atime, atime);
      ref.set(h, d);
    }
  }
  assert.equal(t.size, ref.size);
  const seen: number[] = [];
  t.forEach((h, spam, ham, atime) => {
    seen.push(h);
    assert.deepEqual({ spam, ham, atime }, ref.get(h), `token ${h}`);
  });
  assert.deepEqual([...seen].sort((a, b) => a - b), [...ref.keys()].sort((a, b) => a - b));
  // Table order is ascending except where a probe run wraps around the end.
  let descents = 0;
  for (let i = 1; i < seen.length; i++) if (seen[i]! < seen[i - 1]!) descents++;
  assert.ok(descents < seen.length / 5, `${descents} descents in ${seen.length}`);
  assert.equal(t.get(hashes(1, 1, 99)[0]! + 0.5), undefined);
});

test('hash 0 and the largest 40-bit hash are tokens like any other', () => {
  const t = new TokenDeltas();
  t.add(0, 1, 0, 5);
  t.add(2 ** 40 - 1, 0, 1, 7);
  t.add(0, 1, 0, 3);
  assert.deepEqual(t.get(0), { spam: 2, ham: 0, atime: 5 });
  assert.deepEqual(t.get(2 ** 40 - 1), { spam: 0, ham: 1, atime: 7 });
  assert.equal(t.size, 2);
});

test('addAll over a Float64Array, between single adds, sums as add does one hash at a time', () => {
  const bulk = new TokenDeltas(2);
  const single = new TokenDeltas(2);
  const hs = Float64Array.from(hashes(4000, 2500, 3));
  bulk.add(hs[0]!, 0, 3, 50);
  single.add(hs[0]!, 0, 3, 50);
  bulk.addAll(hs, 1, 0, 40);
  for (const h of hs) single.add(h, 1, 0, 40);
  bulk.addAll(hs.subarray(100, 900), 0, -1, 60);
  for (const h of hs.subarray(100, 900)) single.add(h, 0, -1, 60);
  assert.equal(bulk.size, single.size);
  single.forEach((h, spam, ham, atime) => assert.deepEqual(bulk.get(h), { spam, ham, atime }, `token ${h}`));
});
