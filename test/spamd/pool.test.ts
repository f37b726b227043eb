/** The worker pool on its own: bounded queue, recycling, reload, a stuck job. */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SpamdError } from '../../src/spamd/codes';
import { WorkerPool } from '../../src/spamd/pool';
import { smallRules } from './helpers';

const SPAM = Buffer.from('Subject: x\r\n\r\nXJS*C4JDBQADN1.NSBN3*2IDNEN*GTUBE-STANDARD-ANTI-UBE-TEST-EMAIL*C.34X\r\n');
const EVIL = Buffer.from(`Subject: x\r\n\r\n${'x'.repeat(40)}!\r\n`);
const script = join(__dirname, '..', '..', 'src', 'spamd', 'worker.js');
const logs: string[] = [];

function pool(size: number, extra: Partial<ConstructorParameters<typeof WorkerPool>[0]> = {}): WorkerPool {
  const rules = smallRules();
  return new WorkerPool({
    size,
    config: () => ({ load: { configPath: rules }, allowUserRules: false, warm: false }),
    maxQueue: 100,
    jobTimeoutMs: 0,
    maxJobsPerWorker: 0,
    log: (_l, t) => logs.push(t),
    script,
    ...extra,
  });
}

const scan = (p: WorkerPool, raw = SPAM) => p.run({ type: 'scan', need: 'verdict', raw: new Uint8Array(raw) }).promise;

describe('worker pool', () => {
  let p: WorkerPool;
  before(async () => {
    p = pool(1, { maxQueue: 3, maxJobsPerWorker: 2, jobTimeoutMs: 2000, maxScansPerWorker: 2 });
    await p.start();
  });
  after(async () => {
    await p.close();
  });

  test('past --max-queue a job is refused at once with 75', async () => {
    // One in the worker (computing, so it takes no second though K is 2), three queued: the other six are refused.
    const results = await Promise.allSettled(Array.from({ length: 10 }, () => scan(p)));
    const refused = results.filter((r) => r.status === 'rejected').map((r) => (r as PromiseRejectedResult).reason as SpamdError);
    assert.equal(refused.length, 6, `${refused.length} refused`);
    for (const e of refused) assert.deepEqual([e.code, e.status], ['HAMLET_ERR_SPAMD_BUSY', 75]);
    assert.ok(results.some((r) => r.status === 'fulfilled' && r.value.score === 1000));
  });

  test('--max-conn-per-child: workers are recycled and no job is lost', async () => {
    const all = await Promise.all(Array.from({ length: 3 }, () => scan(p)));
    const more = await Promise.all(Array.from({ length: 3 }, () => scan(p)));
    for (const a of [...all, ...more]) assert.equal(a.score, 1000);
  });

  test('a runaway rule regex is cut by its budget: a normal answer, not the job timeout', async () => {
    const a = await scan(p, EVIL);
    assert.ok(a.tests.includes('TIME_LIMIT_EXCEEDED'), a.tests.join(','));
    assert.equal((await scan(p)).score, 1000);
  });

  test('reload swaps workers while jobs run', async () => {
    const [inFlight] = await Promise.all([Promise.all(Array.from({ length: 3 }, () => scan(p))), p.reload()]);
    const afterReload = await Promise.all(Array.from({ length: 3 }, () => scan(p)));
    for (const a of [...inFlight, ...afterReload]) assert.equal(a.score, 1000);
  });
});

test('the last resort: a job that never ends is answered 79 at the job timeout, on a fresh worker next', async () => {
  const p = pool(1, { jobTimeoutMs: 500, script: join(__dirname, 'stall-worker.js') });
  await p.start();
  try {
    await assert.rejects(scan(p, Buffer.from('Subject: x\r\n\r\nSTALL\r\n')), (e: SpamdError) => e.status === 79 && e.code === 'HAMLET_ERR_SPAMD_CHILD_TIMEOUT');
    assert.equal((await scan(p)).score, 1000);
    assert.ok(logs.some((l) => /its worker is replaced/.test(l)), logs.join('\n'));
  } finally {
    await p.close();
  }
});

test('jobs sent together to one real worker are each answered with their own message\'s result', async () => {
  const p = pool(1, { maxScansPerWorker: 6 });
  await p.start();
  try {
    const msgs = [SPAM, Buffer.from('Subject: hello\r\n\r\nplain\r\n'), Buffer.from('Subject: x\r\n\r\ncheap\r\n'), SPAM, Buffer.from('Subject: hello\r\n\r\ncheap\r\n'), Buffer.from('Subject: x\r\n\r\nnothing\r\n')];
    const answers = await Promise.all(msgs.map((m) => scan(p, m)));
    assert.deepEqual(
      answers.map((a) => a.tests.join(',')),
      ['GTUBE', 'SUBJ_HELLO', 'BODY_CHEAP', 'GTUBE', 'BODY_CHEAP,SUBJ_HELLO', ''],
    );
  } finally {
    await p.close();
  }
});

test('a worker that cannot load its configuration fails start()', async () => {
  // A stand-in worker that reports what worker.ts reports when loading throws.
  const failing = join(mkdtempSync(join(tmpdir(), 'hamletd-pool-')), 'failing-worker.js');
  writeFileSync(failing, "require('node:worker_threads').parentPort.postMessage({ type: 'failed', error: 'rules.cf: broken' });\n");
  const bad = new WorkerPool({
    size: 1,
    config: () => ({ load: { configPath: '/nonexistent' }, allowUserRules: false, warm: false }),
    maxQueue: 1,
    jobTimeoutMs: 0,
    maxJobsPerWorker: 0,
    log: () => {},
    script: failing,
  });
  await assert.rejects(bad.start(), /could not load the configuration: rules\.cf: broken/);
  await bad.close();
});

test('a message that owns its buffer moves to the worker; a slice of a shared buffer is copied and left intact', async () => {
  const p = pool(1);
  await p.start();
  try {
    const owned = new Uint8Array(SPAM);
    const a = p.run({ type: 'scan', need: 'verdict', raw: owned }).promise;
    assert.equal(owned.byteLength, 0, 'transferred (detached here), not copied');
    assert.equal((await a).score, 1000);
    const shared = Buffer.from(`${SPAM.toString('latin1')}`, 'latin1'); // small: a slice of Node's Buffer pool
    assert.ok(shared.byteOffset > 0 || shared.byteLength < shared.buffer.byteLength);
    assert.equal((await p.run({ type: 'scan', need: 'verdict', raw: shared }).promise).score, 1000);
    assert.equal(shared.toString('latin1'), SPAM.toString('latin1'), 'the shared buffer still holds its bytes');
  } finally {
    await p.close();
  }
});

describe('reloads', () => {
  // The configuration the next load reads: tests switch it between reloads.
  let configPath = smallRules();
  const lines: string[] = [];
  // A stand-in worker that fails to load for one path and is the real worker otherwise.
  const wrapper = join(mkdtempSync(join(tmpdir(), 'hamletd-pool-')), 'maybe-failing-worker.js');
  writeFileSync(
    wrapper,
    `const { workerData, parentPort } = require('node:worker_threads');
if (workerData.load.configPath === '/broken') parentPort.postMessage({ type: 'failed', error: 'rules.cf: broken' });
else require(${JSON.stringify(script)});
`,
  );
  const p = new WorkerPool({
    size: 2,
    config: () => ({ load: { configPath }, allowUserRules: false, warm: false }),
    maxQueue: 100,
    jobTimeoutMs: 0,
    maxJobsPerWorker: 0,
    log: (_l, t) => lines.push(t),
    script: wrapper,
  });
  before(() => p.start());
  after(() => p.close());

  test('five reloads at once: one generation loads at a time, and the configuration read last is live', async () => {
    const before = { ...p.loads };
    const first = p.reload();
    configPath = smallRules('score GTUBE 500'); // changed while the first load runs
    const rest = Array.from({ length: 4 }, () => p.reload());
    await Promise.all([first, ...rest]);
    assert.equal(p.loads.peak, 1, 'never two generations loading');
    assert.equal(p.loads.started - before.started, 2, 'the four later asks share one follow-up load');
    assert.equal((await scan(p)).score, 500, 'the newest configuration won');
    assert.ok(lines.some((l) => /reload asked for while generation \d+ loads/.test(l)));
  });

  test('a failed reload keeps the running workers and says why', async () => {
    const good = configPath;
    configPath = '/broken';
    await assert.rejects(p.reload(), /could not load the configuration: rules\.cf: broken/);
    assert.match(lines.at(-1)!, /^reload failed, keeping generation \d+: scan worker could not load the configuration: rules\.cf: broken$/);
    assert.equal((await scan(p)).score, 500, 'still the last good configuration');
    configPath = good;
  });

  test('close() past its grace answers a stuck scan with 75 and stops its worker', async () => {
    const stuck = new WorkerPool({
      size: 1,
      config: () => ({ load: { configPath: smallRules() }, allowUserRules: false, warm: false }),
      maxQueue: 10,
      jobTimeoutMs: 0,
      maxJobsPerWorker: 0,
      log: () => {},
      script: join(__dirname, 'stall-worker.js'),
    });
    await stuck.start();
    const jobs = Promise.allSettled([scan(stuck, Buffer.from('Subject: STALL\r\n\r\nx\r\n')), scan(stuck)]); // the stuck one and one queued behind it
    await new Promise((r) => setTimeout(r, 300));
    const t0 = Date.now();
    await stuck.close(500);
    assert.ok(Date.now() - t0 < 2000, `closed after ${Date.now() - t0} ms`);
    for (const j of await jobs) {
      assert.equal(j.status, 'rejected');
      const e = (j as PromiseRejectedResult).reason as SpamdError;
      assert.deepEqual([e.status, e.code], [75, 'HAMLET_ERR_SPAMD_SHUTDOWN']);
    }
  });
});
