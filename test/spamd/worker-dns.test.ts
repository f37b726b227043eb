/**
 * Real scan workers whose scans wait for DNS (a test zone that answers after 400 ms): with
 * --max-scans-per-worker K one worker overlaps the waits of K scans, each scan still gets its
 * own answers; with K=1 the waits add up; with -L nothing is asked. The network eval is the
 * tests' own (net-eval-worker.ts), against a TestDnsServer on 127.0.0.1.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WorkerPool } from '../../src/spamd/pool';
import { TestDnsServer } from '../helpers/dns-server';

const WAIT_MS = 400;
let server: TestDnsServer;
let rulesDir: string;

before(async () => {
  server = await TestDnsServer.start();
  for (const n of ['a', 'b', 'c', 'e', 'f', 'g']) server.add(`${n}.wait.test`, 'A', '127.0.0.2');
  server.behave('wait.test', { delayMs: WAIT_MS }); // 'd' and 'h' are not listed: NXDOMAIN, as late
  rulesDir = mkdtempSync(join(tmpdir(), 'hamletd-dns-'));
  writeFileSync(
    join(rulesDir, 'rules.cf'),
    [
      'clear_dns_servers',
      `dns_server ${server.spec}`,
      'rbl_timeout 5 5',
      'required_score 5',
      'header SUBJ_LISTED eval:check_test_wait_listed()',
      'score SUBJ_LISTED 3',
      'header SUBJ_X Subject =~ /^[aceg]$/',
      'score SUBJ_X 0.5',
      'meta BOTH SUBJ_LISTED && SUBJ_X',
      'score BOTH 2',
    ].join('\n') + '\n',
  );
});

after(async () => {
  await server.stop();
  rmSync(rulesDir, { recursive: true, force: true });
});

function pool(k: number, local = false): WorkerPool {
  return new WorkerPool({
    size: 1,
    config: () => ({ load: { configPath: rulesDir }, allowUserRules: false, warm: false, local }),
    maxQueue: 100,
    jobTimeoutMs: 0,
    maxJobsPerWorker: 0,
    maxScansPerWorker: k,
    log: () => {},
    script: join(__dirname, 'net-eval-worker.js'),
  });
}

const scan = (p: WorkerPool, subject: string) => p.run({ type: 'scan', need: 'verdict', raw: new Uint8Array(Buffer.from(`From: x@example.com\r\nSubject: ${subject}\r\nX-Wait-Name: ${subject}\r\n\r\nbody\r\n`)) }).promise;

/** Scan `subjects` at once; the tests each hit and how long all took. */
async function scanAll(p: WorkerPool, subjects: readonly string[]): Promise<{ tests: string[]; ms: number }> {
  await p.start();
  try {
    const t0 = performance.now();
    const answers = await Promise.all(subjects.map((s) => scan(p, s)));
    return { tests: answers.map((a) => a.tests.join(',')), ms: performance.now() - t0 };
  } finally {
    await p.close();
  }
}

test('K=4: one worker overlaps four scans\' DNS waits, and each scan gets its own answers', async () => {
  const { tests, ms } = await scanAll(pool(4), ['a', 'b', 'c', 'd']);
  assert.deepEqual(tests, ['BOTH,SUBJ_LISTED,SUBJ_X', 'SUBJ_LISTED', 'BOTH,SUBJ_LISTED,SUBJ_X', '']);
  // One after another the waits alone would take 1,600 ms.
  assert.ok(ms < 2.5 * WAIT_MS, `four scans took ${ms.toFixed(0)} ms`);
});

test('K=1: the waits add up, as before', async () => {
  const { tests, ms } = await scanAll(pool(1), ['e', 'f', 'g', 'h']);
  assert.deepEqual(tests, ['BOTH,SUBJ_LISTED,SUBJ_X', 'SUBJ_LISTED', 'BOTH,SUBJ_LISTED,SUBJ_X', '']);
  assert.ok(ms >= 4 * WAIT_MS - 50, `four scans took ${ms.toFixed(0)} ms`);
});

test('-L: the worker asks nothing and the network rule does not hit', async () => {
  const before = server.received.length;
  const { tests } = await scanAll(pool(4, true), ['a', 'c']);
  assert.deepEqual(tests, ['SUBJ_X', 'SUBJ_X']);
  assert.equal(server.received.length, before);
});
