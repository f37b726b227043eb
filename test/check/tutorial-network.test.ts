/**
 * The tutorial's check that DNS lookups work, with the stock rules and network tests on against
 * a test zone: a spam whose relay and URI domain are listed shows `RCVD_IN_*` and `URIBL_*` rows
 * in `hamlet -t`, and real `spamc` against `hamletd` shows them in X-Spam-Status. Skipped when the
 * stock rules or spamc are missing. (The DNS server runs in this process: the commands are run
 * asynchronously so it can answer them.)
 */
import { suiteUnless } from '../helpers/visible-skip';
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TestDnsServer } from '../helpers/dns-server';
import { startHamletd, STOCK_RULES, type Running } from '../spamd/helpers';

const HAMLET = join(__dirname, '..', '..', '..', 'bin', 'hamlet.js');
const SITE = '/etc/spamassassin';
const SPAMC = '/usr/bin/spamc';
const noStock = !existsSync(STOCK_RULES) && 'stock rules not installed';

/** A spam relayed by 45.67.89.10 (listed in zen: SBL and XBL codes) with a URI whose domain is in two URI lists. */
const SPAM = [
  'Received: from mail.spammy-example.com (unknown [45.67.89.10])',
  '\tby mx.example.org (Postfix) with ESMTP id 4AB12;',
  '\tMon, 2 Mar 2026 10:00:00 +0000 (UTC)',
  'From: "Deals" <deals@spammy-example.com>',
  'To: carol@example.org',
  'Subject: your order',
  'Date: Mon, 2 Mar 2026 09:59:00 +0000',
  'Message-ID: <20260302095900.1@spammy-example.com>',
  '',
  'See http://www.spammy-example.com/offer for the offer.',
  '',
].join('\r\n');

let server: TestDnsServer;
let home: string;

function cfArgs(): string[] {
  return ['--cf', 'clear_dns_servers', '--cf', `dns_server ${server.spec}`, '--cf', 'rbl_timeout 5 2', '--cf', 'use_bayes 0', '--cf', 'use_auto_welcomelist 0'];
}

/** Run a command without blocking this process's DNS server. */
function run(cmd: string, args: string[], input: string): Promise<{ out: string; err: string; code: number }> {
  return new Promise((resolve) => {
    const child = execFile(cmd, args, { encoding: 'latin1', env: { ...process.env, HOME: home }, timeout: 120_000 }, (err, out, errOut) => {
      resolve({ out, err: errOut, code: err ? (typeof err.code === 'number' ? err.code : -1) : 0 });
    });
    child.stdin!.end(input, 'latin1');
  });
}

before(async () => {
  server = await TestDnsServer.start();
  home = mkdtempSync(join(tmpdir(), 'hamlet-tutorial-net-'));
  server.add('10.89.67.45.zen.spamhaus.org', 'A', '127.0.0.2');
  server.add('10.89.67.45.zen.spamhaus.org', 'A', '127.0.0.4');
  server.add('spammy-example.com.multi.uribl.com', 'A', '127.0.0.2');
  server.add('www.spammy-example.com.dbl.spamhaus.org', 'A', '127.0.1.2'); // a notrim list: the full host
});

after(async () => {
  await server.stop();
  rmSync(home, { recursive: true, force: true });
});

test('hamlet -t: the report shows RCVD_IN_* and URIBL_* rows', { skip: noStock }, async () => {
  const r = await run(process.execPath, [HAMLET, '-C', STOCK_RULES, '--siteconfigpath', SITE, ...cfArgs(), '-t'], SPAM);
  assert.equal(r.code, 0, r.err);
  const report = r.out.slice(r.out.indexOf('Content analysis details'));
  assert.match(report, /^ *-?\d+\.\d+ RCVD_IN_SBL +/m);
  assert.match(report, /^ *-?\d+\.\d+ RCVD_IN_XBL +/m);
  assert.match(report, /^ *-?\d+\.\d+ URIBL_BLACK +/m);
  assert.match(report, /^ *-?\d+\.\d+ URIBL_DBL_SPAM +/m);
  assert.ok(server.count('10.89.67.45.zen.spamhaus.org', 'A') >= 1, 'hamlet asked the zone');
});

test('hamlet -L -t: no lookups, no network rows', { skip: noStock }, async () => {
  const before = server.received.length;
  const r = await run(process.execPath, [HAMLET, '-C', STOCK_RULES, '--siteconfigpath', SITE, ...cfArgs(), '-L', '-t'], SPAM);
  assert.equal(r.code, 0, r.err);
  assert.doesNotMatch(r.out, /RCVD_IN_SBL|URIBL_BLACK/);
  assert.equal(server.received.length, before);
});

suiteUnless(noStock || (!existsSync(SPAMC) && 'spamc not installed'), 'spamc against hamletd (network tests on)', () => {
  let d: Running;
  before(async () => {
    d = await startHamletd(['-C', STOCK_RULES, '--siteconfigpath', SITE, ...cfArgs(), '-m', '1'], { timeoutMs: 120_000, env: { ...process.env, HOME: home } });
  });
  after(async () => {
    await d?.stop();
  });

  test('X-Spam-Status lists the RCVD_IN_* and URIBL_* hits', async () => {
    const r = await run(SPAMC, ['-d', '127.0.0.1', '-p', String(d.port)], SPAM);
    assert.equal(r.code, 0, r.err);
    const status = /^X-Spam-Status: ([^]*?)\n(?![ \t])/m.exec(r.out)?.[1]?.replace(/\s+/g, ' ') ?? '';
    for (const rule of ['RCVD_IN_SBL', 'RCVD_IN_XBL', 'URIBL_BLACK', 'URIBL_DBL_SPAM']) assert.match(status, new RegExp(`\\b${rule}\\b`), status);
  });
});
