/**
 * `hamlet` bounds a runaway rule: an administrator's catastrophic `body` rule is answered within
 * time_limit + 1 s with the other rules' results and TIME_LIMIT_EXCEEDED; and the 20,000-`To:`
 * message that makes the stock backreference rules quadratic is scanned in bounded time.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { GUARDED_SCAN_MS } from '../../src/engine/guarded-rules';
import { loadConfig, scan } from '../../src/index';
import { HAMLET_BIN, rulesDir } from './fixture';

const GTUBE = 'XJS*C4JDBQADN1.NSBN3*2IDNEN*GTUBE-STANDARD-ANTI-UBE-TEST-EMAIL*C.34X';
const MSG = `From: a@example.com\nTo: b@example.com\nSubject: you won a prize\n\nthe prize\n${'a'.repeat(40)}!\n${GTUBE}\n`;
const STOCK = '/usr/share/spamassassin';

function timed(extra: string[]): { secs: number; out: string; code: number | null } {
  const rules = rulesDir();
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [HAMLET_BIN, '-C', rules, '--siteconfigpath', rules, '-p', '/dev/null', '-t', '--cf', 'time_limit 2', ...extra], { input: MSG, timeout: 60_000 });
  return { secs: (performance.now() - t0) / 1000, out: r.stdout.toString('latin1'), code: r.status };
}

test('hamlet: body X /(a+)+$/ and a backreference twin are answered within time_limit + 1 s, saying so', () => {
  const plain = timed([]);
  const slow = timed(['--cf', 'body X /(a+)+$/', '--cf', 'body Y /(a+)+\\1x/', '--cf', 'score Y 3']);
  assert.equal(slow.code, 0);
  // The same command without the runaway rules measures start-up and the rest of the scan.
  assert.ok(slow.secs < plain.secs + 3, `took ${slow.secs} s (${plain.secs} s without the rules)`);
  assert.match(slow.out, /\nX-Spam-Status: No, score=3\.6 required=5\.0 tests=SAMPLE_PRIZE,SAMPLE_THE,\n\tTIME_LIMIT_EXCEEDED autolearn=unavailable /);
  assert.match(slow.out, /\n 0\.0 TIME_LIMIT_EXCEEDED {4}Exceeded time limit \/ deadline\n/);
  assert.doesNotMatch(slow.out, /tests=[^\n]*\bY\b/);
});

test('the 20,000-To message: the quadratic stock rules are cut, the scan is bounded', { skip: existsSync(STOCK) ? undefined : 'stock rules not installed' }, () => {
  const rs = loadConfig({ configPath: STOCK, siteConfigPath: existsSync('/etc/spamassassin') ? '/etc/spamassassin' : undefined });
  const lines = ['From: Alice <alice@example.com>', 'Subject: hello', 'Message-ID: <m1@example.com>'];
  for (let i = 0; i < 20_000; i++) lines.push(`To: a${i}@b.c`);
  const msg = Buffer.from([...lines, '', 'Hello there.', ''].join('\n'));
  const cpu0 = process.cpuUsage();
  const r = scan(msg, rs);
  const cpu = process.cpuUsage(cpu0);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  // Unguarded, these rules take 12-65 s each on this message. CPU time, not wall: a loaded host stretches the latter.
  assert.ok(r.cut!.includes('__TO_EQ_FROM_2') && r.cut!.includes('__SUBJ_HAS_TO_1'), `cut: ${r.cut!.join(',')}`);
  assert.ok(r.tests.includes('TIME_LIMIT_EXCEEDED'));
  assert.ok(cpuMs < GUARDED_SCAN_MS + 3000, `scan took ${cpuMs} ms of CPU (${r.ms} ms)`);
});
