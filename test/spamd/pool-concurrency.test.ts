/**
 * Several jobs in flight per worker (--max-scans-per-worker): jobs that wait overlap, each
 * answer reaches its own job, the least-loaded worker gets the next one, a time-out does not
 * drop the other jobs its worker holds, a shutdown lets jobs in flight finish, and K=1 is
 * one job at a time as before; jobs that never wait (-L) go one at a time whatever K is. The worker is a stand-in whose jobs wait (async-worker.ts).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { SpamdError } from '../../src/spamd/codes';
import { WorkerPool } from '../../src/spamd/pool';
import type { ScanAnswer } from '../../src/spamd/worker';

const script = join(__dirname, 'async-worker.js');

function pool(size: number, k: number, extra: Partial<ConstructorParameters<typeof WorkerPool>[0]> = {}, logs: string[] = []): WorkerPool {
  return new WorkerPool({
    size,
    config: () => ({ load: { configPath: '/unused' }, allowUserRules: false, warm: false }),
    maxQueue: 100,
    jobTimeoutMs: 0,
    maxJobsPerWorker: 0,
    maxScansPerWorker: k,
    log: (_l, t) => logs.push(t),
    script,
    ...extra,
  });
}

/** A job whose message has `subject` and `body` (see async-worker.ts for what the body does). */
const run = (p: WorkerPool, subject: string, body: string) => p.run({ type: 'scan', need: 'verdict', raw: new Uint8Array(Buffer.from(`Subject: ${subject}\r\n\r\n${body}\r\n`)) });
const job = (p: WorkerPool, subject: string, body: string): Promise<ScanAnswer> => run(p, subject, body).promise;

/** [subject, worker thread id, most jobs that worker held at once] of an answer. */
const parts = (a: ScanAnswer): [string, string, number] => [a.tests[0]!, a.tests[1]!, Number(a.tests[2])];

async function withPool<T>(p: WorkerPool, f: (p: WorkerPool) => Promise<T>): Promise<T> {
  await p.start();
  try {
    return await f(p);
  } finally {
    await p.close(1000);
  }
}

async function until(ok: () => boolean, ms = 2000): Promise<void> {
  for (const end = Date.now() + ms; !ok(); ) {
    if (Date.now() > end) throw new Error('condition not reached');
    await new Promise((r) => setTimeout(r, 5));
  }
}

const isError = (status: number, code: string) => (e: SpamdError) => e.status === status && e.code === code;

describe('several jobs in flight per worker', () => {
  test('K jobs wait at once in one worker; a job past K waits in the queue; each answer reaches its own job', () =>
    withPool(pool(1, 4), async (p) => {
      const t0 = performance.now();
      // Different waits, so the answers come back in another order than the jobs went out.
      const jobs = [400, 300, 200, 100].map((ms, i) => job(p, `job${i}`, `WAIT=${ms}`));
      const fifth = job(p, 'job4', 'WAIT=100');
      // Each is sent once the jobs before it wait (the worker's idle notes).
      await until(() => p.inFlight === 4);
      assert.equal(p.queued, 1, 'the fifth waits for room');
      const answers = await Promise.all(jobs);
      const first = performance.now() - t0;
      assert.deepEqual(answers.map((a) => parts(a)[0]), ['job0', 'job1', 'job2', 'job3']);
      assert.equal(Math.max(...answers.map((a) => parts(a)[2])), 4, 'the worker held four at once');
      // Serially the waits would add up to 1,000 ms; overlapped, the longest is what counts.
      assert.ok(first < 900, `four waits took ${first.toFixed(0)} ms`);
      assert.equal(parts(await fifth)[0], 'job4');
    }));

  test('the least-loaded worker gets the next job', () =>
    withPool(pool(2, 4), async (p) => {
      const answers = await Promise.all(Array.from({ length: 6 }, (_x, i) => job(p, `j${i}`, 'WAIT=300')));
      const perWorker = new Map<string, number>();
      for (const a of answers) perWorker.set(parts(a)[1], (perWorker.get(parts(a)[1]) ?? 0) + 1);
      assert.equal(perWorker.size, 2, 'both workers took jobs');
      for (const n of perWorker.values()) assert.ok(n >= 2 && n <= 4, `split ${[...perWorker.values()].join('/')}`);
    }));

  test('jobs that never wait (-L) go one at a time to whichever worker is free, whatever K is', () =>
    withPool(pool(2, 8), async (p) => {
      const jobs = Array.from({ length: 6 }, (_x, i) => job(p, `b${i}`, 'BUSY=60'));
      assert.equal(p.inFlight, 2, 'one per worker');
      const answers = await Promise.all(jobs);
      assert.deepEqual(answers.map((a) => parts(a)[0]), ['b0', 'b1', 'b2', 'b3', 'b4', 'b5']);
      assert.equal(Math.max(...answers.map((a) => parts(a)[2])), 1, 'no worker held two');
      assert.equal(new Set(answers.map((a) => parts(a)[1])).size, 2);
    }));

  test('a worker computing one job takes no other until that one waits', () =>
    withPool(pool(1, 4), async (p) => {
      // Computes 200 ms, then waits 300 ms: the second job is sent only once the first waits.
      const first = job(p, 'c', 'BUSY=200 WAIT=300');
      const second = job(p, 'd', 'WAIT=10');
      assert.equal(p.queued, 1);
      await until(() => p.inFlight === 2);
      const [a, b] = await Promise.all([first, second]);
      assert.deepEqual([parts(a)[0], parts(b)[0]], ['c', 'd']);
      assert.equal(parts(b)[2], 2, 'held together while the first waited');
    }));

  test('K=1: one job at a time per worker, as before', () =>
    withPool(pool(1, 1), async (p) => {
      const t0 = performance.now();
      const jobs = [0, 1, 2].map((i) => job(p, `s${i}`, 'WAIT=150'));
      assert.equal(p.inFlight, 1);
      assert.equal(p.queued, 2);
      const answers = await Promise.all(jobs);
      assert.deepEqual(answers.map((a) => parts(a)[0]), ['s0', 's1', 's2']);
      assert.equal(Math.max(...answers.map((a) => parts(a)[2])), 1);
      assert.ok(performance.now() - t0 >= 440, 'the waits ran one after another');
    }));

  test('a job cancelled while queued is never sent', () =>
    withPool(pool(1, 1), async (p) => {
      const first = job(p, 'a', 'WAIT=200');
      const gone = run(p, 'b', 'WAIT=10000');
      gone.cancel();
      const third = job(p, 'c', '');
      assert.equal(parts(await first)[0], 'a');
      assert.equal(parts(await third)[0], 'c');
      assert.equal(p.inFlight, 0, 'the cancelled job holds no room in the worker');
    }));

  test('--max-conn-per-child with K: the worker is recycled after its jobs, none lost', () =>
    withPool(pool(1, 4, { maxJobsPerWorker: 3 }), async (p) => {
      const answers = await Promise.all(Array.from({ length: 7 }, (_x, i) => job(p, `r${i}`, 'WAIT=50')));
      assert.deepEqual(answers.map((a) => parts(a)[0]), Array.from({ length: 7 }, (_x, i) => `r${i}`));
      assert.ok(new Set(answers.map((a) => parts(a)[1])).size >= 3, 'three workers took turns');
    }));
});

describe('time-outs with other jobs in flight', () => {
  test('a job that never answers is answered 79; the jobs beside it still get their answers; the next job goes to a fresh worker', async () => {
    const logs: string[] = [];
    await withPool(pool(1, 3, { jobTimeoutMs: 600 }, logs), async (p) => {
      const hung = job(p, 'h', 'HANG');
      const o1 = job(p, 'o1', 'WAIT=100');
      await new Promise((r) => setTimeout(r, 300));
      // Sent later, it is still waiting when the hung job times out, and answers within its own time.
      const o2 = job(p, 'o2', 'WAIT=500');
      await assert.rejects(hung, isError(79, 'HAMLET_ERR_SPAMD_CHILD_TIMEOUT'));
      const others = [o1, o2];
      const [a1, a2] = await Promise.all(others);
      assert.deepEqual([parts(a1!)[0], parts(a2!)[0]], ['o1', 'o2']);
      assert.ok(logs.some((l) => /its worker is replaced once its 1 other scan is answered or time out/.test(l)), logs.join('\n'));
      const next = await job(p, 'n', '');
      assert.notEqual(parts(next)[1], parts(a1!)[1], 'a new worker');
      assert.equal(p.timeouts, 1);
    });
  });

  test('a worker stuck in its CPU: every job it holds is answered 79 at its own time-out, then it is replaced', async () => {
    await withPool(pool(1, 3, { jobTimeoutMs: 500 }), async (p) => {
      // The waiting job arrives first; the stall then blocks the worker's loop, so it can never answer.
      const waiting = job(p, 'w', 'WAIT=100');
      const stuck = job(p, 's', 'STALL');
      const t0 = performance.now();
      for (const j of [waiting, stuck]) await assert.rejects(j, isError(79, 'HAMLET_ERR_SPAMD_CHILD_TIMEOUT'));
      assert.ok(performance.now() - t0 < 1500, 'answered at their time-outs, not left hanging');
      assert.equal(parts(await job(p, 'n', ''))[0], 'n');
      assert.equal(p.timeouts, 2);
    });
  });
});

describe('shutdown with jobs in flight', () => {
  test('close() lets the jobs in flight and queued finish within its grace', async () => {
    const p = pool(1, 3);
    await p.start();
    const jobs = Array.from({ length: 5 }, (_x, i) => job(p, `c${i}`, 'WAIT=200'));
    await p.close(5000);
    const answers = await Promise.all(jobs);
    assert.deepEqual(answers.map((a) => parts(a)[0]), ['c0', 'c1', 'c2', 'c3', 'c4']);
    await assert.rejects(job(p, 'late', ''), isError(75, 'HAMLET_ERR_SPAMD_SHUTDOWN'));
  });

  test('close() past its grace answers every job a worker holds 75', async () => {
    const p = pool(1, 3);
    await p.start();
    const jobs = Promise.allSettled([job(p, 'a', 'HANG'), job(p, 'b', 'HANG'), job(p, 'c', 'WAIT=50')]);
    const t0 = performance.now();
    await p.close(300);
    assert.ok(performance.now() - t0 < 1500);
    const [a, b, c] = await jobs;
    for (const r of [a, b]) assert.ok(r!.status === 'rejected' && isError(75, 'HAMLET_ERR_SPAMD_SHUTDOWN')(r.reason as SpamdError));
    assert.equal(c!.status, 'fulfilled', 'the job that finished in time was answered');
  });
});
