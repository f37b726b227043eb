/** The worker pool on its own: bounded queue, recycling, reload, a stuck job. */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
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
    p = pool(1, { maxQueue: 3, maxJobsPerWorker: 2, jobTimeoutMs: 2000 });
    await p.start();
  });
  after(async () => {
    await p.close();
  });

  test('past --max-queue a job is refused at once with 75', async () => {
    const results = await Promise.allSettled(Array.from({ length: 8 }, () => scan(p)));
    const refused = results.filter((r) => r.status === 'rejected').map((r) => (r as PromiseRejectedResult).reason as SpamdError);
    assert.ok(refused.length >= 4, `${refused.length} refused`);
    for (const e of refused) assert.deepEqual([e.code, e.status], ['HAMLET_ERR_SPAMD_BUSY', 75]);
    assert.ok(results.some((r) => r.status === 'fulfilled' && r.value.score === 1000));
  });

  test('--max-conn-per-child: workers are recycled and no job is lost', async () => {
    const all = await Promise.all(Array.from({ length: 3 }, () => scan(p)));
    const more = await Promise.all(Array.from({ length: 3 }, () => scan(p)));
    for (const a of [...all, ...more]) assert.equal(a.score, 1000);
  });

  test('a stuck job times out with 79 and the next job runs on a fresh worker', async () => {
    await assert.rejects(scan(p, EVIL), (e: SpamdError) => e.status === 79 && e.code === 'HAMLET_ERR_SPAMD_CHILD_TIMEOUT');
    assert.equal((await scan(p)).score, 1000);
  });

  test('reload swaps workers while jobs run', async () => {
    const [inFlight] = await Promise.all([Promise.all(Array.from({ length: 3 }, () => scan(p))), p.reload()]);
    const afterReload = await Promise.all(Array.from({ length: 3 }, () => scan(p)));
    for (const a of [...inFlight, ...afterReload]) assert.equal(a.score, 1000);
  });
});

test('a configuration that cannot load fails start()', async () => {
  const bad = new WorkerPool({
    size: 1,
    config: () => ({ load: { configPath: '/nonexistent' }, allowUserRules: false, warm: false }),
    maxQueue: 1,
    jobTimeoutMs: 0,
    maxJobsPerWorker: 0,
    log: () => {},
    script,
  });
  await assert.rejects(bad.start(), /could not load the configuration/);
  await bad.close();
});
