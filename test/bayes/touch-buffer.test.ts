/** When held-back atime stamps are due, and how they are handed over. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TOUCH_FLUSH_MS, TOUCH_FLUSH_TOKENS, TouchBuffer } from '../../src/bayes/touch-buffer';

test('a write is due after TOUCH_FLUSH_TOKENS distinct tokens or TOUCH_FLUSH_MS, whichever comes first', () => {
  let now = 0;
  const b = new TouchBuffer(() => now);
  assert.equal(b.add([1, 2, 3], 100), false);
  assert.equal(b.add([1, 2, 3], 200), false, 'repeats add no tokens');
  assert.equal(b.size, 3);
  assert.equal(b.add(Array.from({ length: TOUCH_FLUSH_TOKENS - 4 }, (_, i) => 10 + i), 100), false);
  assert.equal(b.add([5], 100), true);
  b.drain(() => undefined);
  assert.equal(b.size, 0);
  now = 1000;
  assert.equal(b.add([1], 100), false);
  now += TOUCH_FLUSH_MS - 1;
  assert.equal(b.add([2], 100), false);
  now += 1;
  assert.equal(b.add([3], 100), true);
});

test('drain groups tokens by their highest atime and empties the buffer even when the write fails', () => {
  const b = new TouchBuffer(() => 0);
  b.add([1, 2], 50);
  b.add([2, 3], 70);
  b.add([1], 40); // lower: keeps 50
  let got: Array<[number, number[]]> = [];
  b.drain((m) => (got = [...m].map(([a, hs]) => [a, [...hs].sort()])));
  assert.deepEqual(got.sort((x, y) => x[0] - y[0]), [
    [50, [1]],
    [70, [2, 3]],
  ]);
  b.add([9], 1);
  assert.throws(() =>
    b.drain(() => {
      throw new Error('busy');
    }),
  );
  assert.equal(b.size, 0);
  let called = false;
  b.drain(() => (called = true));
  assert.equal(called, false, 'nothing pending: no write');
});
