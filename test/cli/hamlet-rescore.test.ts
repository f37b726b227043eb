/**
 * hamlet-rescore end to end: fitted on a TRAIN slice of the 2002 corpus with hamlet's own
 * rules, the scores do at least as well on a TEST slice as the hand scores; the mass-check
 * lines; cross-validated Bayes; bad command lines.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadConfig, scan } from '../../src/index';
import { corpusFiles } from '../helpers/corpus';
import { cost, tally } from '../../src/rescore/summary';

const ROOT = resolve(__dirname, '..', '..', '..');
const CLI = join(ROOT, 'bin', 'hamlet-rescore.js');
const OWN_RULES = join(ROOT, 'rules');
/** No site files, no user preferences: the rules under test alone. */
const ISOLATED = (dir: string): string[] => ['-C', OWN_RULES, '--siteconfigpath', dir, '-p', join(dir, 'no-prefs')];

function tempDir(t: { after(fn: () => void): void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'hamlet-rescore-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function run(args: string[]) {
  return spawnSync('node', [CLI, ...args], { encoding: 'utf8', maxBuffer: 1 << 26 });
}

/** Every `step`-th file of a corpus group, up to n: a slice spread over the group. */
function slice(group: Parameters<typeof corpusFiles>[0], n: number): string[] {
  const all = corpusFiles(group);
  const step = Math.max(1, Math.floor(all.length / n));
  return all.filter((_, i) => i % step === 0).slice(0, n);
}

test('scores fitted on TRAIN do at least as well on TEST as the hand scores (own rules, FP weighted by --fp-cost)', (t) => {
  const dir = tempDir(t);
  const fpCost = 10;
  const out = join(dir, 'fitted.cf');
  const r = run([...ISOLATED(dir), '--ham', ...slice('easy-ham-1', 300), '--spam', ...slice('spam-1', 300), '--holdout', '0.2', '--fp-cost', String(fpCost), '-o', out]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /score set 0/);
  assert.match(r.stdout, /^train +\d+ +\d+ /m);
  assert.match(r.stdout, /^holdout +\d+ +\d+ /m);
  const cf = readFileSync(out, 'utf8');
  const lines = cf.split('\n').filter((l) => l.startsWith('score '));
  assert.ok(lines.length >= 10, `${lines.length} score lines`);
  for (const l of lines) assert.match(l, /^score [A-Z0-9_]+ -?\d+(?:\.\d+)?(?: -?\d+(?:\.\d+)?){0,3}$/);

  const test = [...slice('easy-ham-2', 150).map((f) => [f, 0] as const), ...slice('hard-ham-1', 100).map((f) => [f, 0] as const), ...slice('spam-2', 250).map((f) => [f, 1] as const)];
  const site = join(dir, 'site');
  mkdirSync(site);
  const hand = loadConfig({ configPath: OWN_RULES, siteConfigPath: site });
  writeFileSync(join(site, 'rescored.cf'), cf);
  const fitted = loadConfig({ configPath: OWN_RULES, siteConfigPath: site });
  const labels = test.map(([, s]) => s);
  const score = (rs: typeof hand): number[] => test.map(([f]) => scan(readFileSync(f), rs, { scoreSet: 0 }).score);
  const before = tally(score(hand), labels, 5);
  const after = tally(score(fitted), labels, 5);
  t.diagnostic(`TEST ${before.ham} ham / ${before.spam} spam: hand FP ${before.fp} FN ${before.fn}; fitted FP ${after.fp} FN ${after.fn}`);
  assert.ok(cost(after, fpCost) <= cost(before, fpCost), `fitted cost ${cost(after, fpCost)} <= hand cost ${cost(before, fpCost)}`);
});

test('--mass-check writes ham.log and spam.log lines in mass-check format', (t) => {
  const dir = tempDir(t);
  const logs = join(dir, 'logs');
  mkdirSync(logs);
  const ham = slice('easy-ham-1', 15);
  const spam = slice('spam-1', 15);
  const r = run([...ISOLATED(dir), '--ham', ...ham, '--spam', ...spam, '--mass-check', logs]);
  assert.equal(r.status, 0, r.stderr);
  for (const [name, files] of [['ham.log', ham], ['spam.log', spam]] as const) {
    const text = readFileSync(join(logs, name), 'utf8');
    assert.match(text, /^# mass-check results from /);
    const lines = text.split('\n').filter((l) => l && !l.startsWith('#'));
    assert.equal(lines.length, files.length, name);
    for (const l of lines) {
      // Y or ., the score as a whole number (width 2), the path, sorted rules, the extras.
      const m = /^([Y.]) ([ -]?\d+|-\d\d+) (\S+) (\S*) (?:time=\d+,)?scantime=\d+,format=[fm],reuse=no$/.exec(l);
      assert.ok(m, `${name}: ${l}`);
      assert.ok(files.includes(m[3]!.replace(/#\d+$/, '')), m[3]);
      const tests = m[4]!.split(',').filter((x) => x);
      assert.deepEqual(tests, [...tests].sort());
      // The whole-number score is truncated: a spam verdict shows at least 4, a ham one at most 5.
      assert.ok(m[1] === 'Y' ? Number(m[2]) >= 4 : Number(m[2]) <= 5, l);
    }
  }
  // A file: both classes in one log.
  const one = join(dir, 'all.log');
  assert.equal(run([...ISOLATED(dir), '--ham', ...ham, '--spam', ...spam, '--mass-check', one]).status, 0);
  assert.equal(readFileSync(one, 'utf8').split('\n').filter((l) => /^[Y.] /.test(l)).length, 30);
});

test('--cross-validate classifies with fold databases (score set 2, bayes= in the mass-check lines)', (t) => {
  const dir = tempDir(t);
  const log = join(dir, 'all.log');
  const out = join(dir, 'fitted.cf');
  const r = run([
    '-o', out,
    ...ISOLATED(dir),
    '--cf', 'bayes_min_spam_num 10',
    '--cf', 'bayes_min_ham_num 10',
    // The own rules may have no Bayes rules of their own: two for this test, scored only with Bayes.
    '--cf', 'body T_RESCORE_BAYES_LOW eval:check_bayes(0, 0.2)',
    '--cf', 'score T_RESCORE_BAYES_LOW 0 0 -1 -1',
    '--cf', 'body T_RESCORE_BAYES_HIGH eval:check_bayes(0.8, 1.0001)',
    '--cf', 'score T_RESCORE_BAYES_HIGH 0 0 2 2',
    '--ham', ...slice('easy-ham-1', 40),
    '--spam', ...slice('spam-1', 40),
    '--cross-validate', '3',
    '--mass-check', log,
  ]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /score set 2/);
  const lines = readFileSync(log, 'utf8').split('\n').filter((l) => /^[Y.] /.test(l));
  assert.equal(lines.length, 80);
  const withBayes = lines.filter((l) => /,bayes=[\d.e-]+,/.test(l) || / bayes=/.test(l)).length;
  assert.ok(withBayes >= 70, `${withBayes} of 80 lines carry a Bayes probability`);
  // Both Bayes rules were fitted, and only their set-2 column changed.
  const fitted = readFileSync(out, 'utf8');
  assert.match(fitted, /^score T_RESCORE_BAYES_HIGH 0 0 [\d.]+ 2$/m);
  assert.match(fitted, /^score T_RESCORE_BAYES_LOW 0 0 -[\d.]+ -1$/m);
  assert.match(r.stdout, /^T_RESCORE_BAYES_HIGH +2\.000 /m);
});

test('inputs that do not look like mail (a binary index, an empty file) are left out with a warning', (t) => {
  const dir = tempDir(t);
  for (const [name, group] of [['ham', 'easy-ham-1'], ['spam', 'spam-1']] as const) {
    mkdirSync(join(dir, name));
    slice(group, 4).forEach((f, i) => writeFileSync(join(dir, name, `${i}.eml`), readFileSync(f)));
  }
  writeFileSync(join(dir, 'ham', 'index.db'), Buffer.from([0x53, 0x51, 0, 1, 2, 0]));
  writeFileSync(join(dir, 'spam', 'empty'), '');
  const r = run([...ISOLATED(dir), '--ham', join(dir, 'ham'), '--spam', join(dir, 'spam'), '--holdout', '0']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /index\.db looks binary \(NUL bytes\), not like a mail message; left out/);
  assert.match(r.stderr, /empty is empty; left out/);
  assert.match(r.stdout, /^hamlet-rescore: 8 messages/);
});

test('bad command lines and inputs are one-line errors', (t) => {
  const dir = tempDir(t);
  const cases: [string[], number, RegExp][] = [
    [['--ham', dir], 64, /give both --ham and --spam/],
    [['--ham', join(dir, 'nope'), '--spam', join(dir, 'nope2')], 1, /nope: no such file/],
    [['--ham', dir, '--spam', dir, '--fp-cost', 'x'], 64, /--fp-cost: bad value 'x'/],
    [['--ham', dir, '--spam', dir, '--dbpath', 'x', '--cross-validate', '3'], 64, /exclude each other/],
    [['-C', join(dir, 'norules'), '--ham', dir, '--spam', dir], 2, /no rules were found/],
  ];
  for (const [args, code, err] of cases) {
    const r = run(args);
    assert.equal(r.status, code, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, err);
    assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
  }
});
