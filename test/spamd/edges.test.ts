/**
 * hamletd against mail and clients written to hurt (issue 16): a real server
 * process on 127.0.0.1 port 0, raw SPAMC and the real spamc, signals sent by PID.
 * Trickled bodies, a connection flood from a few addresses, SIGHUP storms,
 * SIGTERM with a stuck scan, control characters in the log.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { raw, request, smallRules, startHamletd, waitFor } from './helpers';

const SPAM = 'Subject: Test spam mail (GTUBE)\r\nFrom: a@example.net\r\n\r\nXJS*C4JDBQADN1.NSBN3*2IDNEN*GTUBE-STANDARD-ANTI-UBE-TEST-EMAIL*C.34X\r\n';
const HAM = 'Subject: hello there\r\nFrom: b@example.net\r\n\r\nJust a note.\r\n';
const SPAM_REPLY = 'SPAMD/1.1 0 EX_OK\r\nSpam: True ; 1000.0 / 5.0\r\n\r\n';
const s = (b: Buffer): string => b.toString('latin1');
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** A client that sends its headers, then one body byte every `everyMs`, never finishing. */
function trickler(port: number, localAddress: string, everyMs: number): { sock: Socket; reply: () => string; connected: Promise<void> } {
  const sock = connect({ host: '127.0.0.1', port, localAddress });
  let got = '';
  sock.on('data', (d: Buffer) => (got += s(d)));
  sock.on('error', () => {});
  let timer: NodeJS.Timeout | undefined;
  sock.on('close', () => clearInterval(timer));
  const connected = new Promise<void>((resolve) =>
    sock.once('connect', () => {
      sock.write('CHECK SPAMC/1.5\r\nContent-length: 100000\r\n\r\n');
      timer = setInterval(() => sock.writable && sock.write('x'), everyMs);
      resolve();
    }),
  );
  return { sock, reply: () => got, connected };
}

describe('hamletd request deadlines', () => {
  test('a body trickled within the per-pause timeout is cut off at the whole-request deadline', async () => {
    const d = await startHamletd(['-C', smallRules(), '-m', '1', '--timeout-tcp', '2', '--timeout-request', '3']);
    try {
      const t0 = Date.now();
      const slow = trickler(d.port, '127.0.0.1', 500); // each pause (0.5 s) well within --timeout-tcp
      await new Promise((r) => slow.sock.once('close', r));
      const secs = (Date.now() - t0) / 1000;
      assert.equal(slow.reply(), 'SPAMD/1.0 79 Timeout: (3 second timeout reading the whole request from client)\r\n');
      assert.ok(secs >= 2.9 && secs < 5, `cut off after ${secs} s`);
      assert.match(d.log(), /warn: hamletd: \[127\.0\.0\.1\]:\d+: Timeout: \(3 second timeout reading the whole request/);
      assert.equal(s(await raw(d.port, request('CHECK', SPAM))), SPAM_REPLY, 'a prompt client is still answered');
    } finally {
      await d.stop();
    }
  });
});

describe('hamletd under a connection flood', () => {
  test('520 trickling connections from a few addresses: spamc and a raw client still get their answers', async (t) => {
    // Default caps (512 in all, 256 per address); the whole loopback /8 may connect.
    const d = await startHamletd(['-C', smallRules(), '-m', '1', '-A', '127.0.0.0/8']);
    const flood: ReturnType<typeof trickler>[] = [];
    try {
      for (let i = 0; i < 520; i++) flood.push(trickler(d.port, i % 2 ? '127.0.0.2' : '127.0.0.3', 1000));
      await Promise.all(flood.map((f) => f.connected));
      await sleep(500);
      // A client from a third address, at the global cap: the most idle trickler makes room.
      if (existsSync('/usr/bin/spamc')) {
        const r = spawnSync('/usr/bin/spamc', ['-d', '127.0.0.1', '-p', String(d.port), '-c', '-x'], { input: SPAM, timeout: 30_000 });
        assert.deepEqual([r.stdout?.toString(), r.status], ['1000.0/5.0\n', 1], r.stderr?.toString());
      } else t.diagnostic('spamc not installed: the raw clients below stand in');
      assert.equal(s(await raw(d.port, request('CHECK', SPAM), { timeoutMs: 30_000 })), SPAM_REPLY);
      // A client from an address at its own cap: one of that address's tricklers makes room.
      const sameAddress = await new Promise<string>((resolve, reject) => {
        const c = connect({ host: '127.0.0.1', port: d.port, localAddress: '127.0.0.2' }, () => c.end(request('CHECK', SPAM)));
        let got = '';
        c.on('data', (b: Buffer) => (got += s(b)));
        c.on('close', () => resolve(got));
        c.on('error', reject);
      });
      assert.equal(sameAddress, SPAM_REPLY);
      // 4 + 4 dropped at their address's cap while the flood connected, then one for each client above
      // (unless a finished connection was still there to go first).
      const dropped = () => flood.filter((f) => f.reply().startsWith('SPAMD/1.0 75 Service Unavailable: too many connections'));
      await waitFor(() => dropped().length >= 11, 2000);
      assert.ok(dropped().length >= 8, `${dropped().length} tricklers dropped`);
      // 40 more from an address at its cap: 40 more drops.
      const late = Array.from({ length: 40 }, () => trickler(d.port, '127.0.0.2', 1000));
      flood.push(...late);
      await Promise.all(late.map((f) => f.connected));
      assert.ok(await waitFor(() => dropped().length >= 48, 5000), `${dropped().length} tricklers dropped`);
      // Every drop is logged, but at most 10 lines per kind and window: the flood cannot flood the log.
      const lines = d.log().match(/dropped this idle request/g) ?? [];
      assert.ok(lines.length >= 1 && lines.length <= 10, `${lines.length} drop lines for ${dropped().length} drops`);
    } catch (e) {
      (e as Error).message += `\nhamletd's log:\n${d.log().slice(-4000)}`;
      throw e;
    } finally {
      for (const f of flood) f.sock.destroy();
      assert.equal(await d.stop(), 0, d.log().slice(-4000));
    }
  });
});

describe('hamletd signals', () => {
  /** Log lines that tell the reload history: which generations loaded, in what order. */
  const history = (log: string): string[] => [...log.matchAll(/(loading generation \d+|generation \d+ is live|reload failed)/g)].map((m) => m[1]!);

  test('two SIGHUPs with a configuration change between: the newest configuration ends live', async () => {
    const rules = smallRules();
    const d = await startHamletd(['-C', rules, '-m', '2']);
    try {
      const setRequired = (n: number): void => writeFileSync(join(rules, '60_required.cf'), `required_score ${n}\n`);
      setRequired(6);
      process.kill(d.pid, 'SIGHUP');
      await sleep(300);
      setRequired(9);
      process.kill(d.pid, 'SIGHUP');
      assert.ok(await waitFor(() => (d.log().match(/is live/g) ?? []).length >= 2 || /reload failed/.test(d.log()), 60_000), d.log());
      assert.doesNotMatch(d.log(), /reload failed/);
      assert.equal(s(await raw(d.port, request('CHECK', HAM))), 'SPAMD/1.1 0 EX_OK\r\nSpam: False ; 1.5 / 9.0\r\n\r\n');
    } finally {
      await d.stop();
    }
  });

  test('five SIGHUPs in quick succession: never more than one generation loading, threads bounded', async () => {
    const d = await startHamletd(['-C', smallRules(), '-m', '2']);
    const threads = (): number => readdirSync(`/proc/${d.pid}/task`).length;
    try {
      assert.equal(s(await raw(d.port, request('CHECK', SPAM))), SPAM_REPLY);
      const base = threads(); // the main thread, Node's helpers and 2 workers
      let peak = base;
      const sampler = setInterval(() => (peak = Math.max(peak, threads())), 20);
      for (let i = 0; i < 5; i++) {
        process.kill(d.pid, 'SIGHUP');
        await sleep(100);
      }
      // Settled: the last load has its outcome, and none follows it (a queued load starts right after one ends).
      const idle = (): boolean => /(is live|reload failed)$/.test(history(d.log()).at(-1) ?? '');
      const settled = (await waitFor(idle, 60_000)) && (await sleep(500), await waitFor(idle, 60_000));
      clearInterval(sampler);
      assert.ok(settled, d.log());
      const h = history(d.log());
      // Loads strictly alternate with their outcomes: a load starts only after the previous one ended.
      h.forEach((line, i) => assert.equal(line.startsWith('loading'), i % 2 === 0, h.join(' | ')));
      assert.ok(h.length / 2 < 5, `${h.length / 2} loads for 5 SIGHUPs: later ones were coalesced`);
      assert.match(d.log(), /reload asked for while generation \d+ loads/);
      // One loading generation adds 2 worker threads (libuv may add up to 4 helpers); five at once would add 10.
      assert.ok(peak - base <= 6, `threads ${base} -> ${peak}`);
      assert.equal(s(await raw(d.port, request('CHECK', SPAM))), SPAM_REPLY);
    } finally {
      await d.stop();
    }
  });

  test('SIGTERM with a stuck scan exits within the grace period; the client is told 75', async () => {
    // No rule regex can stall a real worker (engine/regex-guard.ts): a stand-in worker spins instead.
    const env = { ...process.env, HAMLET_WORKER_SCRIPT: join(__dirname, 'stall-worker.js') };
    const d = await startHamletd(['-C', smallRules(), '-m', '1', '--timeout-child', '300', '--shutdown-timeout', '2'], { env });
    const reply = raw(d.port, request('CHECK', 'Subject: STALL\r\n\r\nx\r\n'), { timeoutMs: 30_000 });
    await sleep(500); // the scan is running (and would forever)
    const t0 = Date.now();
    const code = await d.stop();
    const secs = (Date.now() - t0) / 1000;
    assert.equal(code, 0);
    assert.ok(secs >= 1.9 && secs < 3.5, `exited after ${secs} s`);
    assert.equal(s(await reply), 'SPAMD/1.0 75 Service Unavailable: server shutting down\r\n');
    assert.match(d.log(), /1 requests still open after the 2 s grace period; stopping them/);
  });

  test('SIGTERM lets a request that is being read finish within the grace period', async () => {
    const d = await startHamletd(['-C', smallRules(), '-m', '1', '--shutdown-timeout', '5']);
    const msg = request('CHECK', SPAM);
    const reply = raw(d.port, msg, { pieces: { size: Math.ceil(msg.length / 4), delayMs: 300 }, timeoutMs: 30_000 });
    await sleep(100);
    const code = d.stop();
    assert.equal(s(await reply), SPAM_REPLY);
    assert.equal(await code, 0);
  });
});

describe('hamletd log lines', () => {
  test('client text with control characters is logged escaped, on one line', async () => {
    const d = await startHamletd(['-C', smallRules(), '-m', '1', '-x']);
    try {
      // NUL/CR in User: refused as spamd refuses it; the log line names the value, escaped.
      const refused = await raw(d.port, request('CHECK', SPAM, { User: 'ev\x00il\rINFO forged' }));
      assert.equal(s(refused), 'SPAMD/1.0 76 Bad header line: (User header contains control chars)\r\n');
      // DEL and C1 bytes in User, ESC and NUL in the message id: accepted, logged escaped.
      const mid = '<a\x00b\x1b[31mc\u2028@x>';
      const msg = Buffer.from(`Message-Id: ${mid}\r\n${SPAM}`, 'utf8');
      assert.equal(s(await raw(d.port, request('CHECK', msg, { User: 'del\x7fc1\x85' }))), SPAM_REPLY);
      await waitFor(() => /result: Y/.test(d.log()), 5000);
      const log = d.log();
      assert.match(log, /: Bad header line: \(User header contains control chars\) \[User: ev\\x00il\\x0dINFO forged\]\n/);
      const result = log.split('\n').find((l) => l.includes('result: Y'))!;
      assert.match(result, /,user=del\\x7fc1\\x85,/);
      // As spamd shows a message id: every byte outside printable ASCII is a `?` (U+2028 is three bytes).
      assert.match(result, /,mid=<a\?b\?\[31mc\?\?\?@x>/);
      assert.doesNotMatch(log, /[\x00\r\x1b\x7f\x85]/);
    } finally {
      await d.stop();
    }
  });
});
