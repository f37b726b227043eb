/** The watchdog that bounds guarded regexes: budgets per item and in total, the deadline, worker threads. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Worker } from 'node:worker_threads';
import { runGuarded } from '../../src/engine/regex-guard';

// Exponential in V8's backtracking engine (a backreference keeps it off the linear engine).
const EVIL = /(a+)+\1x/;
const EVIL_SUBJECT = 'a'.repeat(40) + '!';
const evil = (): number => (EVIL.test(EVIL_SUBJECT) ? 1 : 0);
const quick = (k: number): number => k + 1;
/** Busy for `ms` of wall time, then 1: a slow but finishing item. */
const busy = (ms: number) => (): number => {
  const end = performance.now() + ms;
  while (performance.now() < end);
  return 1;
};

test('items that finish give their results, in one watched call', () => {
  const out = runGuarded(5, quick, { perItemMs: 100, totalMs: 1000, deadline: 0 });
  assert.deepEqual([...out.results], [1, 2, 3, 4, 5]);
  assert.deepEqual(out.cut, []);
  assert.equal(out.deadlineHit, false);
});

test('a catastrophic regex is cut after two budgets; the items after it still run', () => {
  const items = [quick, evil, quick];
  const t0 = performance.now();
  const out = runGuarded(3, (k) => items[k]!(k), { perItemMs: 50, totalMs: 5000, deadline: 0 });
  const ms = performance.now() - t0;
  assert.deepEqual(out.cut, [1]);
  assert.equal(out.results[0], 1);
  assert.ok(Number.isNaN(out.results[1]!));
  assert.equal(out.results[2], 3);
  assert.equal(out.deadlineHit, false);
  assert.ok(ms >= 100 && ms < 2000, `took ${ms} ms`);
});

test('items that share a call are not cut for the time of those before them', () => {
  // Together over the budget, each well under it: all finish.
  const out = runGuarded(4, busy(30), { perItemMs: 50, totalMs: 5000, deadline: 0 });
  assert.deepEqual([...out.results], [1, 1, 1, 1]);
  assert.deepEqual(out.cut, []);
});

test('the total budget cuts what is left once spent', () => {
  const out = runGuarded(6, evil, { perItemMs: 40, totalMs: 200, deadline: 0 });
  assert.ok(out.cut.length === 6, `cut ${out.cut.join(',')}`);
  assert.equal(out.deadlineHit, false);
});

test('the deadline stops the run and says so', () => {
  const t0 = performance.now();
  const out = runGuarded(3, (k) => (k === 1 ? evil() : quick(k)), { perItemMs: 10_000, totalMs: 10_000, deadline: t0 + 150 });
  const ms = performance.now() - t0;
  assert.equal(out.deadlineHit, true);
  assert.equal(out.results[0], 1);
  assert.ok(Number.isNaN(out.results[1]!) && Number.isNaN(out.results[2]!));
  assert.ok(ms < 2000, `took ${ms} ms`);
});

test('other errors pass through', () => {
  assert.throws(
    () =>
      runGuarded(1, () => {
        throw new RangeError('boom');
      }, { perItemMs: 100, totalMs: 100, deadline: 0 }),
    /boom/,
  );
});

test('the watchdog works inside worker_threads (hamletd scans there)', async () => {
  const guard = require.resolve('../../src/engine/regex-guard');
  const code = `
    const { parentPort } = require('node:worker_threads');
    const { runGuarded } = require(${JSON.stringify(guard)});
    const re = /(a+)+\\1x/, s = 'a'.repeat(40) + '!';
    const out = runGuarded(2, (k) => (k === 0 ? (re.test(s) ? 1 : 0) : 7), { perItemMs: 50, totalMs: 1000, deadline: 0 });
    parentPort.postMessage({ cut: out.cut, last: out.results[1] });`;
  const w = new Worker(code, { eval: true });
  const msg = await new Promise<{ cut: number[]; last: number }>((resolve, reject) => {
    w.once('message', resolve);
    w.once('error', reject);
  });
  await w.terminate();
  assert.deepEqual(msg, { cut: [0], last: 7 });
});
