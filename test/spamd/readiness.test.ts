/**
 * A scan worker takes jobs only once it says it is ready: jobs that arrive while the
 * workers load wait in the queue, the log says when they are ready and how long it took,
 * and during a reload the old workers answer until the new ones are ready.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WORKER_HEAP, WorkerPool } from '../../src/spamd/pool';
import { smallRules } from './helpers';

const dir = mkdtempSync(join(tmpdir(), 'hamletd-ready-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/**
 * A stand-in worker whose `configPath` is `<name>:<ms>`: it is ready after <ms> ms and
 * answers every job with `tests: [name, whether it was ready, its heap limits]`.
 */
const slowWorker = join(dir, 'slow-worker.js');
writeFileSync(
  slowWorker,
  `const { parentPort, workerData, resourceLimits } = require('node:worker_threads');
const [name, ms] = workerData.load.configPath.split(':');
let ready = false;
parentPort.on('message', (job) => parentPort.postMessage({ id: job.id, ok: true, score: 0, required: 5, isSpam: false, tests: [name, String(ready), JSON.stringify(resourceLimits)], ms: 0, timedOut: false }));
setTimeout(() => {
  ready = true;
  parentPort.postMessage({ type: 'ready', compileMs: 1200, warmMs: 3400, heapMb: 95 });
}, Number(ms));
`,
);

function pool(configPath: () => string, lines: string[], script = slowWorker): WorkerPool {
  return new WorkerPool({
    size: 2,
    config: () => ({ load: { configPath: configPath() }, allowUserRules: false, warm: false }),
    maxQueue: 100,
    jobTimeoutMs: 0,
    maxJobsPerWorker: 0,
    log: (_l, t) => lines.push(t),
    script,
  });
}

const job = (p: WorkerPool) => p.run({ type: 'scan', need: 'verdict', raw: new Uint8Array(Buffer.from('Subject: x\r\n\r\nx\r\n')) }).promise;

test('jobs that arrive while the workers load wait for them; the log says when they are ready and how long loading took', async () => {
  const lines: string[] = [];
  const p = pool(() => 'A:400', lines);
  try {
    const started = p.start();
    const early = Array.from({ length: 5 }, () => job(p));
    assert.equal(p.queued, 5, 'nothing sent to a loading worker');
    for (const a of await Promise.all(early)) assert.deepEqual(a.tests.slice(0, 2), ['A', 'true']);
    await started;
    assert.match(lines[0]!, /^loading the rules into 2 scan workers; scans wait until they are ready$/);
    assert.match(lines[1]!, /^2 scan workers ready in \d+\.\d s \(rules loaded 1\.2 s, regexes compiled 3\.4 s, heap 95 MB per worker\)$/);
  } finally {
    await p.close();
  }
});

test('during a reload the old workers answer until all new ones are ready', async () => {
  const lines: string[] = [];
  let config = 'A:0';
  const p = pool(() => config, lines);
  try {
    await p.start();
    config = 'B:600';
    const reload = p.reload();
    const during = await Promise.all(Array.from({ length: 4 }, () => job(p)));
    for (const a of during) assert.equal(a.tests[0], 'A');
    await reload;
    for (const a of await Promise.all(Array.from({ length: 4 }, () => job(p)))) assert.deepEqual(a.tests.slice(0, 2), ['B', 'true']);
    assert.ok(lines.some((l) => /^generation 2: 2 scan workers ready in \d+\.\d s/.test(l)), lines.join('\n'));
  } finally {
    await p.close();
  }
});

test('scan workers run under the heap bounds of WORKER_HEAP', async () => {
  const p = pool(() => 'A:0', []);
  try {
    await p.start();
    const limits = JSON.parse((await job(p)).tests[2]!) as Record<string, number>;
    assert.equal(limits.maxYoungGenerationSizeMb, WORKER_HEAP.maxYoungGenerationSizeMb);
    assert.equal(limits.maxOldGenerationSizeMb, WORKER_HEAP.maxOldGenerationSizeMb);
  } finally {
    await p.close();
  }
});

test('the real worker reports its loading steps', async () => {
  const lines: string[] = [];
  const rules = smallRules();
  const p = pool(() => rules, lines, join(__dirname, '..', '..', 'src', 'spamd', 'worker.js'));
  try {
    await p.start();
    assert.match(lines[1]!, /^2 scan workers ready in \d+\.\d s \(rules loaded \d+\.\d s, regexes compiled 0\.0 s, heap \d+ MB per worker\)$/);
  } finally {
    await p.close();
  }
});
