/**
 * Mail written to make rule regexes backtrack: the real `hamlet` command answers quickly and
 * with SpamAssassin's results, and `--lint` names a user's pattern that runs under a time budget.
 * Timeouts are generous (a shared, loaded machine): before the fix these runs took minutes.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HAMLET_BIN } from './fixture';
import { haveSpamAssassin } from './sa-output';

const STOCK = '/usr/share/spamassassin';
const SITE = '/etc/spamassassin';
const OWN_RULES = join(__dirname, '..', '..', '..', 'rules');
const LOCAL = ['use_bayes 0', 'bayes_auto_learn 0'];

/** A short message whose To: is `<` and 60 `!`: stock TO_MALFORMED backtracked for minutes on it. */
const HOSTILE_TO = Buffer.from(
  [
    'From: Sender <sender@example.com>',
    `To: <${'!'.repeat(60)}`,
    'Subject: hello',
    'Date: Sun, 06 Dec 2026 10:00:00 +0000',
    'Message-ID: <20261206100000.1@example.com>',
    '',
    'hello there',
    '',
  ].join('\n'),
);

/** Score and tests from the X-Spam-Status header of a -t run. */
function status(out: string): { score: string; tests: string[] } {
  const head = out.slice(0, out.search(/\r?\n\r?\n/)).replace(/\r?\n[ \t]+/g, ' ');
  // Folded after commas: `tests=A,B,\n\tC autolearn=...`.
  const m = /^X-Spam-Status: \w+, score=(-?[\d.]+) required=[\d.]+ tests=(.*?)(?: autolearn=| version=|$)/m.exec(head);
  assert.ok(m, `no X-Spam-Status in:\n${out.slice(0, 2000)}`);
  const tests = m[2]!.replace(/\s+/g, '');
  return { score: m[1]!, tests: tests === 'none' || tests === '' ? [] : tests.split(',').sort() };
}

function hamlet(args: string[], input: Buffer, home: string): { code: number | null; out: string; err: string; ms: number } {
  const t = performance.now();
  const r = spawnSync(process.execPath, [HAMLET_BIN, ...args, ...LOCAL.flatMap((l) => ['--cf', l])], {
    input,
    timeout: 60_000,
    env: { ...process.env, HOME: home },
  });
  return { code: r.status, out: r.stdout.toString('latin1'), err: r.stderr.toString(), ms: performance.now() - t };
}

test('To: <!!!...: stock TO_MALFORMED answers quickly, as SpamAssassin does', { skip: !existsSync(STOCK) && 'stock rules not installed' }, () => {
  const home = mkdtempSync(join(tmpdir(), 'hamlet-hostile-'));
  const r = hamlet(['-C', STOCK, '--siteconfigpath', SITE, '-L', '-t'], HOSTILE_TO, home);
  assert.equal(r.code, 0, `hamlet did not finish (${r.ms.toFixed(0)} ms): ${r.err}`);
  const ours = status(r.out);
  if (haveSpamAssassin()) {
    const sa = spawnSync('spamassassin', ['-L', '-t', ...LOCAL.map((l) => `--cf=${l}`)], { input: HOSTILE_TO, env: { ...process.env, HOME: home }, timeout: 120_000 });
    assert.equal(sa.status, 0, sa.stderr?.toString());
    const theirs = status(sa.stdout.toString('latin1'));
    assert.deepEqual(ours, theirs);
  }
  assert.ok(ours.tests.includes('TO_MALFORMED'), ours.tests.join(','));
});

test("an admin's (a+)+$ body rule is answered quickly, and the other rules' results do not change", () => {
  const home = mkdtempSync(join(tmpdir(), 'hamlet-hostile-'));
  const site = mkdtempSync(join(tmpdir(), 'hamlet-site-'));
  const plain = mkdtempSync(join(tmpdir(), 'hamlet-site-'));
  writeFileSync(join(site, 'local.cf'), 'body ADMIN_BACKTRACK /(a+)+$/\nscore ADMIN_BACKTRACK 0.5\n');
  const attack = Buffer.from(`From: a@example.com\nTo: b@example.com\nSubject: hi\n\n${'a'.repeat(48)}!\n`);
  const withRule = hamlet(['-C', OWN_RULES, '--siteconfigpath', site, '-t'], attack, home);
  assert.equal(withRule.code, 0, `hamlet did not finish (${withRule.ms.toFixed(0)} ms): ${withRule.err}`);
  const without = hamlet(['-C', OWN_RULES, '--siteconfigpath', plain, '-t'], attack, home);
  assert.deepEqual(status(withRule.out), status(without.out));
});

test("--lint warns about a user's pattern that can backtrack super-linearly, with file:line", () => {
  const home = mkdtempSync(join(tmpdir(), 'hamlet-hostile-'));
  const site = mkdtempSync(join(tmpdir(), 'hamlet-site-'));
  writeFileSync(join(site, 'local.cf'), '# mine\nbody ADMIN_LOOKBEHIND /^(a+)+(?<!x)$/\nbody ADMIN_FINE /(a+)+$/\n');
  const r = spawnSync(process.execPath, [HAMLET_BIN, '--lint', '-C', OWN_RULES, '--siteconfigpath', site], { env: { ...process.env, HOME: home }, timeout: 120_000 });
  const err = r.stderr.toString();
  assert.equal(r.status, 0, err);
  assert.match(err, new RegExp(`warn: ${join(site, 'local.cf')}:2: rule ADMIN_LOOKBEHIND: pattern can backtrack super-linearly \\(recheck: exponential\\), runs under a time budget`));
  // (a+)+$ is taken by V8's linear engine once translated: bounded, no warning.
  assert.doesNotMatch(err, /ADMIN_FINE/);
});
