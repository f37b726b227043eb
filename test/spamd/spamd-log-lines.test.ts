/**
 * hamletd's per-request log lines against real spamd 4.0.1's: both servers run on the stock
 * rules with the same site files (-L, Bayes off), log to a file (-s path), and get the same
 * requests from the real spamc; the lines each writes per request (`connection from`,
 * `checking` / `processing message`, `identified spam` / `clean message`, `result:`) must be
 * equal once the fields that differ by nature are masked (time, pid, ports, fd, uid, scan time).
 * Skipped, visibly, where spamd, spamc or the stock rules are not installed.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, STOCK_RULES, freePort, waitFor } from './helpers';

const SPAMD = '/usr/sbin/spamd';
const SPAMC = '/usr/bin/spamc';
const DATA = join(__dirname, '..', '..', '..', 'data');
const missing = !existsSync(SPAMD) || !existsSync(SPAMC) ? 'spamd/spamc not installed (apt-get install spamd spamc)' : !existsSync(STOCK_RULES) ? 'stock rules not installed' : undefined;

const MESSAGES: Record<string, Buffer> = {
  spam: existsSync(join(DATA, 'sample-spam.eml')) ? readFileSync(join(DATA, 'sample-spam.eml')) : Buffer.alloc(0),
  ham: existsSync(join(DATA, 'sample-ham.eml')) ? readFileSync(join(DATA, 'sample-ham.eml')) : Buffer.alloc(0),
  'no Message-ID': Buffer.from('Subject: x\n\nhi\n'),
  'odd Message-ID': Buffer.from('Subject: x\nMessage-ID: <a,b"c d>\n\nhi\n'),
  'folded non-ASCII Message-ID': Buffer.from('Subject: x\nMessage-ID:\n  <a\xc3\xa9b\tc@x>  \n\nhi\n', 'latin1'),
};
/** spamc's flags per request: CHECK, PROCESS for a named user, SYMBOLS, REPORT. */
const CALLS = [['-c'], ['-u', 'alice'], ['-y'], ['-R']];

/** A line with what differs by nature replaced, or undefined for lines that are not per-request. */
function masked(line: string): string | undefined {
  const m = /^\w{3} \w{3} [ \d]\d \d\d:\d\d:\d\d \d{4} \[\d+\] (\w+: spamd: (?:connection from|checking message|processing message|identified spam|clean message|result:) .*)$/.exec(line);
  if (!m) return undefined;
  return m[1]!
    .replace(/\]:\d+ to port \d+, fd \d+$/, ']:PORT to port PORT, fd FD')
    .replace(/ for ([^ ]+):\d+( |$)/, ' for $1:UID$2')
    .replace(/ in \d+\.\d seconds, /, ' in S seconds, ')
    .replace(/scantime=\d+\.\d,/, 'scantime=S,')
    .replace(/,uid=\d+,/, ',uid=UID,')
    .replace(/,rport=\d+,/, ',rport=PORT,');
}

const perRequest = (log: string): string[] => log.split('\n').flatMap((l) => masked(l) ?? []);

let dir = '';
let spamd: ChildProcess | undefined;
let hamletd: ChildProcess | undefined;
const ports = { spamd: 0, hamletd: 0 };

before(async () => {
  if (missing) return;
  dir = mkdtempSync(join(tmpdir(), 'hamletd-loglines-'));
  chmodSync(dir, 0o755); // spamd's child runs as nobody and reads the site files
  const site = join(dir, 'site');
  spawnSync('mkdir', [site]);
  if (existsSync('/etc/spamassassin')) for (const f of readdirSync('/etc/spamassassin')) if (f.endsWith('.pre')) copyFileSync(join('/etc/spamassassin', f), join(site, f));
  writeFileSync(join(site, 'local.cf'), 'use_bayes 0\nbayes_auto_learn 0\nuse_auto_whitelist 0\n');
  ports.spamd = await freePort();
  ports.hamletd = await freePort();
  const root = process.getuid?.() === 0;
  spamd = spawn(SPAMD, ['-L', '-x', '-m', '1', '-s', join(dir, 'spamd.log'), `--siteconfigpath=${site}`, '-i', '127.0.0.1', '-p', String(ports.spamd), ...(root ? ['-u', 'nobody'] : [])], { stdio: 'ignore' });
  hamletd = spawn(process.execPath, [BIN, '-L', '-x', '-m', '1', '-s', join(dir, 'hamletd.log'), '-C', STOCK_RULES, '--siteconfigpath', site, '-i', '127.0.0.1', '-p', String(ports.hamletd)], { stdio: 'ignore' });
  const started = (f: string, what: RegExp) => (): boolean => existsSync(join(dir, f)) && what.test(readFileSync(join(dir, f), 'latin1'));
  assert.ok(await waitFor(started('spamd.log', /spawned child process/), 120_000), 'spamd started');
  assert.ok(await waitFor(started('hamletd.log', /server started on/), 120_000), 'hamletd started');
});

after(() => {
  for (const p of [spamd, hamletd]) if (p?.pid && p.exitCode === null) process.kill(p.pid, 'SIGTERM');
});

for (const [name, msg] of Object.entries(MESSAGES)) {
  test(`the lines spamd and hamletd write for one message (${name})`, { skip: missing }, async () => {
    const before = { spamd: perRequest(readFileSync(join(dir, 'spamd.log'), 'latin1')).length, hamletd: perRequest(readFileSync(join(dir, 'hamletd.log'), 'latin1')).length };
    for (const args of CALLS) {
      for (const side of ['spamd', 'hamletd'] as const) {
        const r = spawnSync(SPAMC, ['-d', '127.0.0.1', '-p', String(ports[side]), ...args], { input: msg, timeout: 60_000 });
        assert.equal(r.error, undefined);
      }
    }
    // Four lines per request from each side.
    const want = before.spamd + 4 * CALLS.length;
    const lines = (side: 'spamd' | 'hamletd'): string[] => perRequest(readFileSync(join(dir, `${side}.log`), 'latin1'));
    assert.ok(await waitFor(() => lines('spamd').length >= want && lines('hamletd').length >= before.hamletd + 4 * CALLS.length, 10_000), 'all lines written');
    const theirs = lines('spamd').slice(before.spamd);
    const ours = lines('hamletd').slice(before.hamletd);
    assert.deepEqual(ours, theirs);
  });
}
