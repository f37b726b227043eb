/**
 * hamletd end to end with our own raw client: a real server process on 127.0.0.1
 * port 0, started here and stopped by its PID. Protocol versions, zlib, and
 * robustness: malformed requests, slow and vanishing clients, load, size, a rule
 * that backtracks catastrophically, SIGHUP under load, SIGTERM.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { deflateSync } from 'node:zlib';
import { raw, request, smallRules, startHamletd, unprivileged, type Running } from './helpers';

const SPAM = 'Subject: Test spam mail (GTUBE)\r\nFrom: a@example.net\r\n\r\nXJS*C4JDBQADN1.NSBN3*2IDNEN*GTUBE-STANDARD-ANTI-UBE-TEST-EMAIL*C.34X\r\n';
const HAM = 'Subject: hello there\r\nFrom: b@example.net\r\n\r\nJust a note.\r\n';
const s = (b: Buffer): string => b.toString('latin1');

/** Split a reply into status, headers and body; checks Content-length when present. */
function parse(reply: Buffer): { status: string; headers: Map<string, string>; body: string } {
  const text = s(reply);
  const end = text.indexOf('\r\n\r\n');
  const head = end < 0 ? text : text.slice(0, end);
  const [status, ...lines] = head.split('\r\n');
  const headers = new Map(lines.map((l) => l.split(': ') as [string, string]));
  const body = end < 0 ? '' : text.slice(end + 4);
  const len = headers.get('Content-length');
  if (len !== undefined) assert.equal(Buffer.byteLength(body, 'latin1'), Number(len), 'Content-length is exact');
  return { status: status!, headers, body };
}

describe('hamletd over TCP', () => {
  let d: Running;
  before(async () => {
    d = await startHamletd(['-C', smallRules(), '-l', '-m', '2', '--timeout-tcp', '2', '--timeout-child', '3', '--max-size', '100000']);
  });
  after(async () => {
    assert.equal(await d.stop(), 0, 'SIGTERM: clean exit');
  });

  test('PING, at 1.5 (header block) and below (one line)', async () => {
    assert.equal(s(await raw(d.port, 'PING SPAMC/1.5\r\n\r\n')), 'SPAMD/1.5 0 PONG\r\n');
    assert.equal(s(await raw(d.port, 'PING SPAMC/1.2\r\n', { halfClose: false })), 'SPAMD/1.5 0 PONG\r\n');
  });

  test('SKIP closes without a reply', async () => {
    assert.equal(s(await raw(d.port, 'SKIP SPAMC/1.5\r\n\r\n')), '');
  });

  test('CHECK: spam and ham, no Content-length', async () => {
    assert.equal(s(await raw(d.port, request('CHECK', SPAM))), 'SPAMD/1.1 0 EX_OK\r\nSpam: True ; 1000.0 / 5.0\r\n\r\n');
    assert.equal(s(await raw(d.port, request('CHECK', HAM))), 'SPAMD/1.1 0 EX_OK\r\nSpam: False ; 1.5 / 5.0\r\n\r\n');
  });

  test('answers once Content-length bytes are in, without a half-close (amavis, Perl, npm)', async () => {
    const r = await raw(d.port, Buffer.concat([request('SYMBOLS', HAM, {}, '1.3'), Buffer.from('\r\n')]), { halfClose: false });
    assert.equal(s(r), 'SPAMD/1.1 0 EX_OK\r\nContent-length: 10\r\nSpam: False ; 1.5 / 5.0\r\n\r\nSUBJ_HELLO');
  });

  test('reads to EOF without Content-length (Haraka)', async () => {
    const r = parse(await raw(d.port, `HEADERS SPAMC/1.4\r\nUser: default\r\n\r\n${HAM}`));
    assert.equal(r.headers.get('Spam'), 'False ; 1.5 / 5.0');
    assert.match(r.body, /^X-Spam-Checker-Version: .*\r\nX-Spam-Level: \*\r\nX-Spam-Status: No, score=1\.5 required=5\.0 tests=SUBJ_HELLO/);
    assert.ok(r.body.endsWith('\r\n\r\n') && !r.body.includes('Just a note'));
  });

  test('SYMBOLS by version: 1.5 no CRLF, 1.2 no Content-length and CRLF', async () => {
    assert.equal(s(await raw(d.port, request('SYMBOLS', SPAM))), 'SPAMD/1.1 0 EX_OK\r\nContent-length: 5\r\nSpam: True ; 1000.0 / 5.0\r\n\r\nGTUBE');
    assert.equal(s(await raw(d.port, request('SYMBOLS', SPAM, {}, '1.2'))), 'SPAMD/1.1 0 EX_OK\r\nSpam: True ; 1000.0 / 5.0\r\n\r\nGTUBE\r\n');
  });

  test('PROCESS by version: 1.5 both headers, 1.2 Content-length only, 1.1 bare', async () => {
    const p15 = parse(await raw(d.port, request('PROCESS', HAM)));
    assert.equal(p15.status, 'SPAMD/1.1 0 EX_OK');
    assert.deepEqual([...p15.headers.keys()], ['Content-length', 'Spam']);
    assert.match(p15.body, /X-Spam-Status: No, score=1\.5.*\r\n\r\nJust a note\.\r\n$/s);
    const p12 = parse(await raw(d.port, request('PROCESS', HAM, {}, '1.2')));
    assert.deepEqual([...p12.headers.keys()], ['Content-length']);
    const p11 = s(await raw(d.port, request('PROCESS', HAM, {}, '1.1')));
    assert.match(p11, /^SPAMD\/1\.0 0 EX_OK\r\nX-Spam-Checker-Version: /);
  });

  test('REPORT and REPORT_IFSPAM', async () => {
    const rep = parse(await raw(d.port, request('REPORT', SPAM)));
    assert.match(rep.body, /^Spam detection software, running on the system/);
    assert.match(rep.body, /1000 GTUBE {18}BODY: Generic Test for Unsolicited Bulk Email\n/);
    assert.equal(s(await raw(d.port, request('REPORT_IFSPAM', HAM))), 'SPAMD/1.1 0 EX_OK\r\nContent-length: 0\r\nSpam: No ; 1.5 / 5.0\r\n\r\n');
  });

  test('SPAMC/1.0: no request headers, the message follows the request line', async () => {
    assert.equal(s(await raw(d.port, `CHECK SPAMC/1.0\r\n${SPAM}`)), 'SPAMD/1.1 0 EX_OK\r\nSpam: True ; 1000.0 / 5.0\r\n\r\n');
  });

  test('Compress: zlib (our own client; Debian spamc has no -z)', async () => {
    const z = deflateSync(Buffer.from(SPAM), { level: 3 });
    const req = Buffer.concat([Buffer.from(`SYMBOLS SPAMC/1.5\r\nUser: bob\r\nCompress: zlib\r\nContent-length: ${z.length}\r\n\r\n`), z]);
    assert.equal(s(await raw(d.port, req)), 'SPAMD/1.1 0 EX_OK\r\nContent-length: 5\r\nSpam: True ; 1000.0 / 5.0\r\n\r\nGTUBE');
  });

  test('TELL with --allow-tell and no learner: answered as spamd does when nothing was learned', async () => {
    const r = await raw(d.port, request('TELL', SPAM, { 'Message-class': 'spam', Set: 'local' }));
    assert.equal(s(r), 'SPAMD/1.1 0 EX_OK\r\n\r\n\r\n');
  });

  test('each malformed request gets spamd\'s error line and the server keeps serving', async () => {
    const cases: [string, string][] = [
      ['FOO SPAMC/1.5\r\n\r\n', 'SPAMD/1.0 76 Bad header line: FOO SPAMC/1.5\r\n'],
      ['CHECK\r\n\r\n', 'SPAMD/1.0 76 Bad header line: CHECK\r\n'],
      [`CHECK SPAMC/1.5\r\nContent-length: 10\r\n\r\nhello`, 'SPAMD/1.0 76 Bad header line: (Content-Length mismatch: Expected 10 bytes, got 5 bytes)\r\n'],
      ['CHECK SPAMC/1.5\r\nno colon here\r\n\r\n', "SPAMD/1.0 76 Bad header line: (header not in 'Name: value' format)\r\n"],
      ['CHECK SPAMC/1.5\r\nContent-length: x\r\n\r\n', 'SPAMD/1.0 76 Bad header line: (Content-Length contains non-numeric bytes)\r\n'],
      ['CHECK SPAMC/1.5\r\nCompress: zlib\r\n\r\n', 'SPAMD/1.0 69 Service Unavailable: Compress requires Content-length header\r\n'],
      ['', 'SPAMD/1.0 76 Bad header line: (closed before headers)\r\n'],
      ['TELL SPAMC/1.5\r\nSet: local\r\nRemove: local\r\nContent-length: 0\r\n\r\n', 'SPAMD/1.0 76 Bad header line: Unable to set local and remove local in the same operation.\r\n'],
    ];
    for (const [req, want] of cases) {
      assert.equal(s(await raw(d.port, req)), want, JSON.stringify(req));
      assert.equal(s(await raw(d.port, 'PING SPAMC/1.5\r\n\r\n')), 'SPAMD/1.5 0 PONG\r\n');
    }
  });

  test('a client sending its headers one byte at a time is cut off at --timeout-tcp', async () => {
    const t0 = Date.now();
    const r = await raw(d.port, 'CHECK SPAMC/1.5\r\nUser: someone-slow\r\nContent-length: 5\r\n\r\nhello', { pieces: { size: 1, delayMs: 250 }, halfClose: false });
    const secs = (Date.now() - t0) / 1000;
    assert.equal(s(r), 'SPAMD/1.0 79 Timeout: (2 second socket timeout reading input from client)\r\n');
    assert.ok(secs >= 1.9 && secs < 4, `cut off after ${secs} s`);
  });

  test('a client that stalls mid-body is cut off; one that disconnects mid-body costs nothing', async () => {
    const stalled = await raw(d.port, 'CHECK SPAMC/1.5\r\nContent-length: 1000\r\n\r\nabc', { halfClose: false });
    assert.equal(s(stalled), 'SPAMD/1.0 79 Timeout: (2 second socket timeout reading input from client)\r\n');
    await new Promise<void>((resolve) => {
      const c = connect({ host: '127.0.0.1', port: d.port }, () => {
        c.write('CHECK SPAMC/1.5\r\nContent-length: 1000\r\n\r\n' + 'a'.repeat(100));
        setTimeout(() => {
          c.destroy();
          resolve();
        }, 50);
      });
    });
    assert.equal(s(await raw(d.port, request('CHECK', SPAM))), 'SPAMD/1.1 0 EX_OK\r\nSpam: True ; 1000.0 / 5.0\r\n\r\n');
  });

  test('a message over the size limit is refused, by header or by bytes', async () => {
    assert.equal(s(await raw(d.port, 'CHECK SPAMC/1.5\r\nContent-length: 200000\r\n\r\n', { halfClose: false })), 'SPAMD/1.0 65 Message too big: larger than 100000 bytes\r\n');
    const big = `CHECK SPAMC/1.5\r\n\r\nSubject: x\r\n\r\n${'y'.repeat(150_000)}`;
    assert.equal(s(await raw(d.port, big)), 'SPAMD/1.0 65 Message too big: larger than 100000 bytes\r\n');
  });

  test('200 concurrent connections are all answered', async () => {
    const replies = await Promise.all(Array.from({ length: 200 }, (_, i) => raw(d.port, request('CHECK', i % 2 ? SPAM : HAM), { timeoutMs: 60_000 })));
    replies.forEach((r, i) => assert.equal(s(r), i % 2 ? 'SPAMD/1.1 0 EX_OK\r\nSpam: True ; 1000.0 / 5.0\r\n\r\n' : 'SPAMD/1.1 0 EX_OK\r\nSpam: False ; 1.5 / 5.0\r\n\r\n'));
  });

  test('a catastrophic-backtracking rule is cut by its budget: a normal answer saying so, long before --timeout-child', async () => {
    const evil = `Subject: x\r\n\r\n${'x'.repeat(40)}!\r\n`;
    const t0 = Date.now();
    const r = await raw(d.port, request('SYMBOLS', evil), { timeoutMs: 20_000 });
    const secs = (Date.now() - t0) / 1000;
    assert.equal(s(r), 'SPAMD/1.1 0 EX_OK\r\nContent-length: 19\r\nSpam: False ; 0.0 / 5.0\r\n\r\nTIME_LIMIT_EXCEEDED');
    assert.ok(secs < 2, `answered after ${secs} s`);
    assert.doesNotMatch(d.log(), /its worker is replaced/);
    for (let i = 0; i < 2; i++) assert.equal(s(await raw(d.port, request('CHECK', SPAM))), 'SPAMD/1.1 0 EX_OK\r\nSpam: True ; 1000.0 / 5.0\r\n\r\n');
  });

  test('SIGHUP under load: configuration reloaded, no request lost', async () => {
    const n = 120;
    let sent = 0;
    const all: Promise<Buffer>[] = [];
    const hup = setTimeout(() => process.kill(d.pid, 'SIGHUP'), 100);
    // Keep about 10 requests in flight while the workers are swapped.
    const lanes = Array.from({ length: 10 }, async () => {
      while (sent < n) {
        sent++;
        const p = raw(d.port, request('CHECK', SPAM), { timeoutMs: 60_000 });
        all.push(p);
        await p;
      }
    });
    await Promise.all(lanes);
    clearTimeout(hup);
    const replies = await Promise.all(all);
    assert.equal(replies.length, n);
    for (const r of replies) assert.equal(s(r), 'SPAMD/1.1 0 EX_OK\r\nSpam: True ; 1000.0 / 5.0\r\n\r\n');
    for (let i = 0; i < 100 && !/configuration reloaded/.test(d.log()); i++) await new Promise((r) => setTimeout(r, 100));
    assert.match(d.log(), /configuration reloaded/);
  });
});

describe('hamletd access and sockets', () => {
  test('a connection from outside --allowed-ips is closed unanswered', async () => {
    const d = await startHamletd(['-C', smallRules(), '-m', '1', '-A', '10.1.2.0/24']);
    try {
      assert.equal(s(await raw(d.port, 'PING SPAMC/1.5\r\n\r\n')), '');
      assert.match(d.log(), /unauthorized connection from \[127\.0\.0\.1\]/);
    } finally {
      await d.stop();
    }
  });

  test('unix socket, pidfile, and SIGTERM that lets an answer finish', async () => {
    const { mkdtempSync, existsSync, readFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(join(tmpdir(), 'hamletd-sock-'));
    const sock = join(dir, 'spamd.sock');
    const pidfile = join(dir, 'hamletd.pid');
    const d = await startHamletd(['-C', smallRules(), '-m', '1', '--socketpath', sock, '-r', pidfile], { listenDefault: false });
    assert.deepEqual(d.addresses, [sock]);
    assert.equal(readFileSync(pidfile, 'utf8').trim(), String(d.pid));
    assert.equal(s(await raw(sock, 'PING SPAMC/1.5\r\n\r\n')), 'SPAMD/1.5 0 PONG\r\n');
    const inflight = raw(sock, request('CHECK', SPAM));
    await new Promise((r) => setTimeout(r, 5));
    const code = d.stop();
    assert.equal(s(await inflight), 'SPAMD/1.1 0 EX_OK\r\nSpam: True ; 1000.0 / 5.0\r\n\r\n');
    assert.equal(await code, 0);
    assert.ok(!existsSync(pidfile), 'pidfile removed');
    assert.ok(!existsSync(sock), 'socket removed');
  });
});

describe('hamletd TLS and privileges', () => {
  test('--ssl: real spamc -S checks a message over TLS', async (t) => {
    const { mkdtempSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const { spawnSync } = await import('node:child_process');
    const dir = mkdtempSync(join(tmpdir(), 'hamletd-tls-'));
    const key = join(dir, 'key.pem');
    const cert = join(dir, 'cert.pem');
    const gen = spawnSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=127.0.0.1']);
    if (gen.status !== 0) return t.skip('skipped: openssl not available');
    const d = await startHamletd(['-C', smallRules(), '-m', '1', '--ssl', '--server-key', key, '--server-cert', cert]);
    try {
      const r = spawnSync('/usr/bin/spamc', ['-S', '-d', '127.0.0.1', '-p', String(d.port), '-c'], { input: SPAM });
      if (r.error) return t.skip('skipped: spamc not installed');
      assert.deepEqual([r.stdout.toString(), r.status], ['1000.0/5.0\n', 1]);
      // A plain-text client gets nothing useful from a TLS port.
      assert.notEqual(s(await raw(d.port, 'PING SPAMC/1.5\r\n\r\n', { timeoutMs: 5000 })), 'SPAMD/1.5 0 PONG\r\n');
    } finally {
      await d.stop();
    }
  });

  test('-u: started as root, the server runs as the named user', async (t) => {
    if (process.getuid?.() !== 0) return t.skip('skipped: not running as root');
    const { chmodSync, readdirSync, readFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const rules = smallRules();
    chmodSync(rules, 0o755);
    for (const f of readdirSync(rules)) chmodSync(join(rules, f), 0o644);
    const d = await startHamletd(['-C', rules, '-m', '1', '-u', 'nobody']);
    try {
      const uid = /^Uid:\s+(\d+)\s+(\d+)/m.exec(readFileSync(`/proc/${d.pid}/status`, 'utf8'));
      assert.ok(uid && uid[1] !== '0' && uid[2] !== '0', `still root: ${uid?.[0]}`);
      assert.equal(s(await raw(d.port, request('CHECK', SPAM))), 'SPAMD/1.1 0 EX_OK\r\nSpam: True ; 1000.0 / 5.0\r\n\r\n');
    } finally {
      await d.stop();
    }
  });
});

describe('hamletd with Bayes, and IPv6', () => {
  test('TELL learns into and forgets from the Bayes database, answered as spamd answers; scans then use it', async () => {
    const { mkdtempSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(join(tmpdir(), 'hamletd-bayes-'));
    const bayes = [
      "body BAYES_LOW eval:check_bayes('0.00', '0.50')",
      "body BAYES_HIGH eval:check_bayes('0.50', '1.00')",
      'add_header all Bayes _BAYES_',
      `bayes_path ${join(dir, 'bayes')}`,
      'bayes_min_spam_num 1',
      'bayes_min_ham_num 1',
      'bayes_auto_learn 0',
    ].join('\n');
    const d = await startHamletd(['-C', smallRules(bayes), '-m', '2', '-l', '-x']);
    const tellOf = async (h: Record<string, string>, msg = SPAM): Promise<string> => s(await raw(d.port, request('TELL', msg, h)));
    const OK = 'SPAMD/1.1 0 EX_OK\r\n';
    try {
      // No database yet: no Bayes tag value, no Bayes rule.
      assert.doesNotMatch(s(await raw(d.port, request('SYMBOLS', SPAM))), /BAYES_/);
      assert.equal(await tellOf({ 'Message-class': 'spam', Set: 'local' }), `${OK}DidSet: local\r\n\r\n\r\n`);
      assert.equal(await tellOf({ 'Message-class': 'spam', Set: 'local' }), `${OK}\r\n\r\n`, 'already learned: no DidSet');
      assert.equal(await tellOf({ 'Message-class': 'ham', Set: 'local' }, HAM), `${OK}DidSet: local\r\n\r\n\r\n`);
      // Both workers see what either learned: the spam scores high on Bayes, the ham low.
      for (let i = 0; i < 2; i++) {
        assert.match(s(await raw(d.port, request('SYMBOLS', SPAM))), /BAYES_HIGH/);
        assert.match(s(await raw(d.port, request('SYMBOLS', HAM))), /BAYES_LOW/);
      }
      assert.match(s(await raw(d.port, request('HEADERS', SPAM))), /X-Spam-Bayes: (?:0\.9\d+|1\.0000)\r\n/);
      // spamc -C report: local is learned, remote is never done (no reporting methods), as spamd under -L.
      assert.equal(await tellOf({ 'Message-class': 'spam', Set: 'local, remote' }), `${OK}\r\n\r\n`);
      assert.equal(await tellOf({ Remove: 'local' }), `${OK}DidRemove: local\r\n\r\n\r\n`);
      assert.equal(await tellOf({ Remove: 'local' }), `${OK}\r\n\r\n`, 'already forgotten: no DidRemove');
      // No spam left in the database: Bayes stays quiet again (bayes_min_spam_num 1).
      assert.doesNotMatch(s(await raw(d.port, request('SYMBOLS', SPAM))), /BAYES_/);
      // Any class but "spam" learns ham, as in spamd.
      assert.equal(await tellOf({ Set: 'local' }), `${OK}DidSet: local\r\n\r\n\r\n`);
      assert.equal(await tellOf({ 'Message-class': 'ham', Set: 'local' }), `${OK}\r\n\r\n`);
    } finally {
      await d.stop();
    }
  });

  test('per-user databases: a virtual user learns into <dir>/.hamlet/bayes.sqlite, another user is untouched', async () => {
    const { existsSync, mkdirSync, mkdtempSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const users = mkdtempSync(join(tmpdir(), 'hamletd-vusers-'));
    mkdirSync(join(users, 'bob'));
    mkdirSync(join(users, 'ann'));
    const rules = smallRules(["body BAYES_ANY eval:check_bayes('0.00', '1.00')", 'bayes_min_spam_num 1', 'bayes_min_ham_num 1'].join('\n'));
    const d = await startHamletd(['-C', rules, '-m', '1', '-l', '--virtual-config-dir', join(users, '%u'), ...unprivileged(rules, [users])]);
    try {
      const r = s(await raw(d.port, request('TELL', SPAM, { 'Message-class': 'spam', Set: 'local', User: 'bob' })));
      assert.equal(r, 'SPAMD/1.1 0 EX_OK\r\nDidSet: local\r\n\r\n\r\n');
      assert.ok(existsSync(join(users, 'bob', '.hamlet', 'bayes.sqlite')), "bob's own database");
      assert.ok(!existsSync(join(users, 'ann', '.hamlet')), "ann's directory untouched");
      // ann has learned nothing: the same message is new to her store.
      const a = s(await raw(d.port, request('TELL', SPAM, { 'Message-class': 'spam', Set: 'local', User: 'ann' })));
      assert.equal(a, 'SPAMD/1.1 0 EX_OK\r\nDidSet: local\r\n\r\n\r\n');
      assert.ok(existsSync(join(users, 'ann', '.hamlet', 'bayes.sqlite')));
    } finally {
      await d.stop();
    }
  });

  test('TELL without --allow-tell is refused with spamd\'s line', async () => {
    const d = await startHamletd(['-C', smallRules(), '-m', '1']);
    try {
      assert.equal(s(await raw(d.port, request('TELL', SPAM, { 'Message-class': 'spam', Set: 'local' }))), 'SPAMD/1.0 69 Service Unavailable: TELL commands are not enabled, set the --allow-tell switch.\r\n');
    } finally {
      await d.stop();
    }
  });

  test('listens on [::1] (spamc -d localhost tries ::1 first)', async (t) => {
    const d = await startHamletd(['-C', smallRules(), '-m', '1', '-i', '[::1]', '-p', '0'], { listenDefault: false }).catch(() => undefined);
    if (!d) return t.skip('skipped: no IPv6 loopback here');
    try {
      assert.match(d.addresses[0]!, /^\[::1\]:\d+$/);
      const port = Number(/:(\d+)$/.exec(d.addresses[0]!)![1]);
      const reply = await new Promise<string>((resolve, reject) => {
        const c = connect({ host: '::1', port }, () => c.end('PING SPAMC/1.5\r\n\r\n'));
        let o = '';
        c.on('data', (b: Buffer) => (o += b.toString()));
        c.on('close', () => resolve(o));
        c.on('error', reject);
      });
      assert.equal(reply, 'SPAMD/1.5 0 PONG\r\n');
    } finally {
      await d.stop();
    }
  });
});
