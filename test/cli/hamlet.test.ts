/**
 * The `hamlet` command: options, exit codes (as SpamAssassin's) and bad input.
 * Most cases run `main` in-process with a fixture rules directory; standard
 * input cases run the real command. A few seconds in all.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config/load';
import { loadOptionsFor, main, type CliIo } from '../../src/cli/hamlet';
import { FIXTURE_RULES, HAMLET_BIN, rulesDir } from './fixture';
import { EVAL_REGISTRY } from '../../src/eval/index';
import type { EvalDef } from '../../src/eval/registry';

const DATA = join(__dirname, '..', '..', '..', 'data');
const SPAM = join(DATA, 'sample-spam.eml');
const HAM = join(DATA, 'sample-ham.eml');
const rules = rulesDir();
const emptyPrefs = join(rules, 'user_prefs');
writeFileSync(emptyPrefs, '# nothing\n');
const base = ['-C', rules, '--siteconfigpath', rules, '-p', emptyPrefs];

async function run(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIo = { out: (b) => (out += Buffer.isBuffer(b) ? b.toString('latin1') : b), err: (s) => (err += s) };
  const code = await main(argv, io);
  return { code, out, err };
}

function runBin(argv: string[], input: Buffer | string): { code: number; out: string; err: string } {
  const r = spawnSync(process.execPath, [HAMLET_BIN, ...argv], { input });
  return { code: r.status ?? -1, out: r.stdout.toString('latin1'), err: r.stderr.toString() };
}

test('spam is marked and wrapped; -t appends the report; exit 0', async () => {
  const r = await run([...base, '-t', SPAM]);
  assert.equal(r.code, 0);
  assert.match(r.out, /^Received: from localhost by /);
  assert.match(r.out, /\nX-Spam-Flag: YES\nX-Spam-Level: \*{5}\nX-Spam-Status: Yes, score=5\.\d required=5\.0 tests=SAMPLE_CAPS_SUBJ,SAMPLE_PRIZE,\n\tSAMPLE_THE autolearn=no autolearn_force=no version=\d/);
  assert.match(r.out, /\nSubject: \*\*\*\*\*SPAM\*\*\*\*\* CONGRATULATIONS/);
  assert.match(r.out, /--\n\nSpam detection software, running on the system "[^"]+",\nhas identified this incoming email as possible spam\./);
  assert.match(r.out, /\n 3\.5 SAMPLE_PRIZE {11}BODY: Talks about prizes\n/);
  assert.equal(r.err, '');
});

test('ham gets headers only; the body is unchanged', async () => {
  const raw = readFileSync(HAM, 'latin1');
  const r = await run([...base, HAM]);
  assert.equal(r.code, 0);
  assert.ok(r.out.startsWith('Return-Path: <alice@example.org>\nX-Spam-Checker-Version: hamlet '));
  assert.ok(r.out.endsWith(raw.slice(raw.indexOf('\n\n'))));
  assert.match(r.out, /\nX-Spam-Status: No, score=0\.1 required=5\.0 tests=SAMPLE_THE autolearn=no\n\tautolearn_force=no version=/);
});

test('-e exits 5 on spam (or the code given), 0 on ham; -e does not swallow a file name', async () => {
  assert.equal((await run([...base, '-e', SPAM])).code, 5);
  assert.equal((await run([...base, '-e', '9', SPAM])).code, 9);
  assert.equal((await run([...base, '--exit-code=7', SPAM])).code, 7);
  assert.equal((await run([...base, '-e', HAM])).code, 0);
  assert.equal((await run([...base, '-e', HAM, SPAM])).code, 5);
});

test('--mbox prints one verdict per message', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'hamlet-mbox-'));
  const mbox = join(dir, 'box');
  const from = 'From someone@example.org  Sat Nov 28 01:00:00 2026\n';
  writeFileSync(mbox, from + readFileSync(HAM, 'latin1') + '\n' + from + readFileSync(SPAM, 'latin1'));
  const r = await run([...base, '--mbox', '-e', mbox]);
  assert.equal(r.code, 5);
  const lines = r.out.trimEnd().split('\n');
  assert.equal(lines.length, 2);
  assert.match(lines[0]!, /#1: No, score=0\.1 required=5\.0 tests=SAMPLE_THE$/);
  assert.match(lines[1]!, /#2: Yes, score=5\.6 required=5\.0 tests=SAMPLE_CAPS_SUBJ,SAMPLE_PRIZE,SAMPLE_THE$/);
});

test('-V, -h exit 0; an unknown option exits 64', async () => {
  const v = await run(['-V']);
  assert.equal(v.code, 0);
  assert.match(v.out, /^hamlet version \d+\.\d+\.\d+\n {2}running on Node\.js v/);
  const h = await run(['-h']);
  assert.equal(h.code, 0);
  assert.match(h.out, /-t, --test-mode/);
  assert.match(h.out, /--mbox/);
  const bad = await run(['--bogus']);
  assert.equal(bad.code, 64);
  assert.match(bad.err, /unknown option '--bogus'/);
});

test('bad input: a missing file, a directory without messages, and a folder of messages', async () => {
  const missing = await run([...base, '/nonexistent/message.eml']);
  assert.equal(missing.code, 1);
  assert.equal(missing.err, 'hamlet: /nonexistent/message.eml: cannot read: no such file or directory\n');
  // The other arguments are still checked; the exit code stays the first non-zero one.
  const mixed = await run([...base, '--mbox', '-e', '/nonexistent/message.eml', SPAM]);
  assert.equal(mixed.code, 1);
  assert.match(mixed.out, /sample-spam\.eml#1: Yes/);
  const empty = mkdtempSync(join(tmpdir(), 'hamlet-empty-'));
  const e = await run([...base, empty]);
  assert.equal(e.code, 1);
  assert.equal(e.err, `hamlet: ${empty}: is a directory with no messages in it\n`);
  assert.ok(!/\n\s+at /.test(e.err), 'no stack trace');
  // A folder of messages is read as SpamAssassin reads one: every file in it.
  const folder = mkdtempSync(join(tmpdir(), 'hamlet-folder-'));
  writeFileSync(join(folder, '1'), readFileSync(HAM));
  writeFileSync(join(folder, '2'), readFileSync(SPAM));
  const f = await run([...base, '--mbox', folder]);
  assert.equal(f.code, 0);
  assert.equal(f.out.trimEnd().split('\n').length, 2);
});

test('bad input: a binary file is checked with a warning', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'hamlet-bin-'));
  const file = join(dir, 'blob.bin');
  writeFileSync(file, Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 1, 2, 3, 0xff, 0xfe, 0x0a, 0x00]));
  const r = await run([...base, file]);
  assert.equal(r.code, 0); // SpamAssassin checks it too
  assert.equal(r.err, `hamlet: warning: ${file} looks binary (NUL bytes), not like a mail message; checking it anyway\n`);
  assert.match(r.out, /X-Spam-Status: No/);
});

test('bad input: empty standard input is checked with a warning (through the command)', async () => {
  const r = runBin([...base], '');
  assert.equal(r.code, 0); // SpamAssassin checks an empty message too
  assert.equal(r.err, 'hamlet: warning: standard input is empty; checking it anyway\n');
  assert.match(r.out, /^X-Spam-Checker-Version: hamlet /);
});

test('bad config: no rules found exits 2; an unreadable file and a broken regex are reported with file:line', async () => {
  const none = await run(['-C', '/nonexistent/rules', HAM]);
  assert.equal(none.code, 2);
  assert.equal(none.err, 'hamlet: config: no rules were found in /nonexistent/rules (give a rules directory with -C)\n');

  const dir = rulesDir();
  symlinkSync('/nonexistent/target.cf', join(dir, '60_gone.cf'));
  const unreadable = await run(['-C', dir, '--siteconfigpath', mkdtempSync(join(tmpdir(), 'hamlet-site-')), HAM]);
  assert.equal(unreadable.code, 0); // SpamAssassin goes on without the file
  assert.match(unreadable.err, /^hamlet: config: cannot read .*60_gone\.cf\n$/);

  const broken = rulesDir('body BROKEN_RE /foo(/\nscore BROKEN_RE 1\n');
  const b = await run(['-C', broken, '--siteconfigpath', broken, HAM]);
  assert.equal(b.code, 0);
  assert.match(b.err, /^hamlet: .*50_rules\.cf:1: rule BROKEN_RE disabled: .*regex.*\n$/);
  const lint = await run(['-C', broken, '--siteconfigpath', broken, '--lint']);
  assert.equal(lint.code, 1); // as spamassassin --lint
  assert.match(lint.err, /disabled: BROKEN_RE \(.*50_rules\.cf:1\)/);
  assert.equal((await run([...base, '--lint'])).code, 0);
});

test('-D rules logs an eval that threw: rule, eval and message; the rule is not hit', async (t) => {
  // An eval that throws, added to the real registry for this test only.
  const active = EVAL_REGISTRY.active as Map<string, EvalDef>;
  active.set('check_test_throws', { name: 'check_test_throws', areas: ['header'], fn: () => { throw new Error('test failure'); } });
  t.after(() => active.delete('check_test_throws'));
  const dir = rulesDir(`${FIXTURE_RULES}\nheader THROWS eval:check_test_throws()\nscore THROWS 1\n`);
  const r = await run(['-C', dir, '--siteconfigpath', dir, '-p', emptyPrefs, '--no-rule-cache', '-D', 'rules', '-t', SPAM]);
  assert.equal(r.code, 0);
  assert.match(r.err, /^dbg: rules: .*: rule THROWS: eval check_test_throws failed, rule not hit: test failure$/m);
  assert.equal(r.err.match(/eval check_test_throws failed/g)?.length, 1);
  assert.doesNotMatch(r.out, /THROWS/);
});

test('--lint: Shortcircuit is not implemented, so its ifplugin blocks stay off and its directives are reported inactive', async () => {
  const dir = rulesDir(`${FIXTURE_RULES}
loadplugin Mail::SpamAssassin::Plugin::Shortcircuit
ifplugin Mail::SpamAssassin::Plugin::Shortcircuit
body SC_INSIDE /the/
shortcircuit SC_INSIDE on
else
body SC_ELSE /the/
endif
shortcircuit SAMPLE_PRIZE spam
shortcircuit_spam_score 100
`);
  const lint = await run(['-C', dir, '--siteconfigpath', dir, '-p', emptyPrefs, '--lint']);
  const lines = FIXTURE_RULES.split('\n').length;
  assert.match(lint.err, new RegExp(`50_rules\\.cf:${lines + 1}: config: plugin Mail::SpamAssassin::Plugin::Shortcircuit is not implemented by hamlet`));
  assert.match(lint.err, new RegExp(`warn: .*50_rules\\.cf:${lines + 8}: config: shortcircuit is inactive: the Shortcircuit plugin is not implemented by hamlet`));
  assert.match(lint.err, new RegExp(`warn: .*50_rules\\.cf:${lines + 9}: config: shortcircuit_spam_score is inactive`));
  // The line inside the off block is not read at all, as in SpamAssassin without the plugin.
  assert.doesNotMatch(lint.err, new RegExp(`50_rules\\.cf:${lines + 4}:`));
  const rs = loadConfig({ configPath: dir, siteConfigPath: dir });
  const names = rs.compiled.rules.map((r) => r.name);
  assert.ok(names.includes('SC_ELSE') && !names.includes('SC_INSIDE'), names.join(','));
  // Nothing is short-circuited: rules after a `shortcircuit ... spam` rule that hit still run.
  const r = await run(['-C', dir, '--siteconfigpath', dir, '-p', emptyPrefs, '-t', SPAM]);
  assert.match(r.out, /SAMPLE_PRIZE/);
  assert.match(r.out, /SC_ELSE/);
});

test('user_prefs (-p): the command reads it with full rights, as spamassassin does', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'hamlet-prefs-'));
  const prefs = join(dir, 'user_prefs');
  writeFileSync(prefs, 'required_score 0.5\nbody USER_RULE /Alice/\nscore USER_RULE 0.7\n');
  const r = await run(['-C', rules, '--siteconfigpath', rules, '-p', prefs, '--mbox', HAM]);
  assert.match(r.out, /: Yes, score=0\.8 required=0\.5 tests=SAMPLE_THE,USER_RULE\n$/);
});

test('user_prefs read for a server user: no rules without allow_user_rules, never admin settings', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'hamlet-prefs-'));
  const prefs = join(dir, 'user_prefs');
  writeFileSync(prefs, 'required_score 3\nbody USER_RULE /x/\nbayes_path /tmp/evil\nrewrite_header Subject [S]\n');
  const rs = loadConfig({ configPath: rules, userPrefs: prefs, restrictUserPrefs: true });
  assert.equal(rs.options['required_score'], '3');
  assert.ok(!rs.compiled.rules.some((r) => r.name === 'USER_RULE'));
  assert.equal(rs.options['bayes_path'], undefined);
  assert.ok(rs.lint.some((m) => /bayes_path is not allowed in user preferences/.test(m.text)));
  const allowed = loadConfig({ configPath: rules, userPrefs: prefs, restrictUserPrefs: true, extraText: undefined });
  assert.ok(!allowed.compiled.rules.some((r) => r.name === 'USER_RULE'));
  const site = rulesDir('allow_user_rules 1\n');
  const withRules = loadConfig({ configPath: rules, siteConfigPath: site, userPrefs: prefs, restrictUserPrefs: true });
  assert.ok(withRules.compiled.rules.some((r) => r.name === 'USER_RULE'));
});

test('configuration search: /etc/hamlet when present, ~/.hamlet/user_prefs when present, -C replaces the rules', async () => {
  const home = mkdtempSync(join(tmpdir(), 'hamlet-home-'));
  const none = loadOptionsFor({ cf: [] }, home);
  assert.equal(none.userPrefs, undefined);
  assert.match(none.configPath!, /rules$/);
  mkdirSync(join(home, '.hamlet'));
  writeFileSync(join(home, '.hamlet', 'user_prefs'), 'required_score 4\n');
  const found = loadOptionsFor({ cf: ['a 1', 'b 2'], configpath: '/x' }, home);
  assert.equal(found.userPrefs, join(home, '.hamlet', 'user_prefs'));
  assert.equal(found.configPath, '/x');
  assert.equal(found.extraText, 'a 1\nb 2');
  assert.equal(loadOptionsFor({ cf: [], siteconfigpath: '/s' }, home).siteConfigPath, '/s');
});

test("~/.spamassassin/user_prefs is read when ~/.hamlet/user_prefs is absent, and loses to it when both exist", async () => {
  const home = mkdtempSync(join(tmpdir(), 'hamlet-home-'));
  mkdirSync(join(home, '.spamassassin'));
  writeFileSync(join(home, '.spamassassin', 'user_prefs'), 'required_score 3\n');
  assert.equal(loadOptionsFor({ cf: [] }, home).userPrefs, join(home, '.spamassassin', 'user_prefs'));
  mkdirSync(join(home, '.hamlet'));
  writeFileSync(join(home, '.hamlet', 'user_prefs'), 'required_score 4\n');
  assert.equal(loadOptionsFor({ cf: [] }, home).userPrefs, join(home, '.hamlet', 'user_prefs'));
  // An explicit -p that does not exist is not replaced by a default.
  assert.equal(loadOptionsFor({ cf: [], prefspath: join(home, 'nope') }, home).userPrefs, undefined);
});

test('-D prints debug lines on stderr for the areas asked', async () => {
  const r = await run([...base, '-D', 'rules,check', '--mbox', SPAM]);
  assert.match(r.err, /^dbg: check: .*sample-spam\.eml#1: score=5\.600 required=5 spam/m);
  assert.match(r.err, /^dbg: rules: hit SAMPLE_PRIZE \(body\) score=3\.5$/m);
  assert.ok(!/dbg: config:/.test(r.err));
});

test('--lint: the AWL rule is active when the auto-welcomelist applies it after the scan, disabled when use_auto_welcomelist is 0', async () => {
  const dir = rulesDir('header AWL eval:check_from_in_auto_welcomelist()\nscore AWL 0\n');
  const on = await run(['-C', dir, '--siteconfigpath', dir, '--lint']);
  assert.equal(on.code, 0);
  assert.match(on.err, /awl: AWL \(.*50_rules\.cf:1\): applied after the scan/);
  assert.doesNotMatch(on.err, /disabled: AWL/);
  const off = await run(['-C', dir, '--siteconfigpath', dir, '--cf', 'use_auto_welcomelist 0', '--lint']);
  assert.match(off.err, /disabled: AWL \(.*50_rules\.cf:1\): eval check_from_in_auto_welcomelist needs awl/);
});
