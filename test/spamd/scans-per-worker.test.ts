/**
 * A live hamletd with --max-scans-per-worker: clients whose scans wait are served at once by
 * one worker, a SIGTERM lets the scans in flight finish, and a bad value is a usage error.
 * The worker is the stand-in whose jobs wait (async-worker.ts), through HAMLET_WORKER_SCRIPT.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { BIN, raw, request, smallRules, startHamletd } from './helpers';

const env = { ...process.env, HAMLET_WORKER_SCRIPT: join(__dirname, 'async-worker.js') };
const s = (b: Buffer): string => b.toString('latin1');
const waiting = (subject: string, ms: number): Buffer => request('SYMBOLS', `Subject: ${subject}\r\n\r\nWAIT=${ms}\r\n`);

describe('hamletd --max-scans-per-worker', () => {
  test('one worker serves four waiting scans at once, each client getting its own answer', async () => {
    const d = await startHamletd(['-C', smallRules(), '-m', '1', '--max-scans-per-worker', '4'], { env });
    try {
      assert.match(d.log(), /1 scan workers, up to 4 scans each at once/);
      const t0 = performance.now();
      const replies = await Promise.all(['a', 'b', 'c', 'd'].map((x) => raw(d.port, waiting(x, 600))));
      const ms = performance.now() - t0;
      // The stand-in lists [subject, thread id, most jobs held at once] as its tests.
      for (const [i, x] of ['a', 'b', 'c', 'd'].entries()) assert.match(s(replies[i]!), new RegExp(`^SPAMD/1\\.1 0 EX_OK\\r\\n[^]*\\r\\n\\r\\n${x},\\d+,\\d$`));
      assert.ok(replies.some((r) => /,4$/.test(s(r))), 'the worker held all four at once');
      assert.ok(ms < 2000, `four 600 ms waits took ${ms.toFixed(0)} ms`);
    } finally {
      await d.stop();
    }
  });

  test('SIGTERM with scans in flight: each is answered, then hamletd exits 0', async () => {
    const d = await startHamletd(['-C', smallRules(), '-m', '1', '--max-scans-per-worker', '3', '--shutdown-timeout', '10'], { env });
    const replies = Promise.all(['x', 'y', 'z'].map((x) => raw(d.port, waiting(x, 800))));
    await new Promise((r) => setTimeout(r, 300)); // all three are in the worker
    assert.equal(await d.stop(), 0);
    for (const r of await replies) assert.match(s(r), /^SPAMD\/1\.1 0 EX_OK\r\n/);
  });

  test('0 is refused with a usage error', () => {
    const r = spawnSync(process.execPath, [BIN, '-C', smallRules(), '-s', 'stderr', '-i', '127.0.0.1', '-p', '0', '--max-scans-per-worker', '0'], { encoding: 'utf8', timeout: 30_000 });
    assert.equal(r.status, 64);
    assert.match(r.stderr, /^hamletd: --max-scans-per-worker must be a whole number >= 1, not "0"$/m);
  });
});
