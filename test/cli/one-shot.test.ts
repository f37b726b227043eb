/** fewMessages(): which hamlet command lines check few enough messages for quick regex compilation. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cacheDirOf, FEW_FILES, fewMessages } from '../../src/cli/one-shot';
import { HAMLET_BIN, rulesDir } from './fixture';

const dir = mkdtempSync(join(tmpdir(), 'hamlet-one-shot-'));
const file = join(dir, 'msg.eml');
writeFileSync(file, 'Subject: x\n\nbody\n');
const files = (n: number): string[] => Array.from({ length: n }, () => file);

const cases: ReadonlyArray<[string, readonly string[], boolean]> = [
  ['standard input', ['-t'], true],
  ['one file', ['-t', file], true],
  ['rules and site directories are option values, not mailboxes', ['-t', '-C', dir, '--siteconfigpath', dir, '-p', file, file], true],
  ['a --cf line', ['--cf', 'score X 1', file], true],
  ['--lint', ['--lint', '-C', dir], true],
  [`${FEW_FILES} files`, files(FEW_FILES), true],
  [`${FEW_FILES + 1} files`, files(FEW_FILES + 1), false],
  ['--mbox', ['--mbox', file], false],
  ['a directory (Maildir)', ['-t', dir], false],
  ['a glob', [join(dir, '*.eml')], false],
];

for (const [what, argv, few] of cases) {
  test(`${what}: ${few ? 'few' : 'many'}`, () => assert.equal(fewMessages(argv), few));
}

test('the code cache lives in the rule cache directory the command line names', () => {
  const env = { HAMLET_CACHE_DIR: '/env/cache' };
  assert.equal(cacheDirOf(['-t'], env), '/env/cache');
  assert.equal(cacheDirOf(['--rule-cache', '/x', '-t'], env), '/x');
  assert.equal(cacheDirOf(['--rule-cache=/y'], env), '/y');
  assert.equal(cacheDirOf(['--rule-cache', '/x', '--no-rule-cache'], env), undefined);
});

test('hamlet -t: the second run writes the modules\' code cache, the third uses it, output the same', (t) => {
  const cache = mkdtempSync(join(tmpdir(), 'hamlet-one-shot-cache-'));
  const rules = rulesDir();
  t.after(() => spawnSync('rm', ['-rf', cache, rules]));
  const msg = 'From: a@example.com\nSubject: you won\n\nYou are the winner of a prize.\n';
  const hamlet = (...args: string[]) => {
    const r = spawnSync(process.execPath, [HAMLET_BIN, '-L', '-t', '-C', rules, ...args], { input: msg, encoding: 'utf8', env: { ...process.env, HAMLET_CACHE_DIR: cache, HOME: cache } });
    assert.equal(r.status, 0, r.stderr);
    return r.stdout;
  };
  const code = join(cache, 'modules.bin');
  const fresh = hamlet('--no-rule-cache');
  assert.ok(!existsSync(code), '--no-rule-cache: no code cache either');
  assert.match(fresh, /SAMPLE_PRIZE/);
  // The first run compiles the rules (V8's flags change for that): its bytecode is not kept.
  assert.equal(hamlet(), fresh);
  assert.ok(!existsSync(code));
  assert.equal(hamlet(), fresh);
  assert.ok(existsSync(code));
  assert.equal(hamlet(), fresh);
});

test('hamlet --version makes no cache directory', (t) => {
  const top = mkdtempSync(join(tmpdir(), 'hamlet-one-shot-nodir-'));
  t.after(() => spawnSync('rm', ['-rf', top]));
  const cache = join(top, 'cache');
  const r = spawnSync(process.execPath, [HAMLET_BIN, '--version'], { encoding: 'utf8', env: { ...process.env, HAMLET_CACHE_DIR: cache, HOME: top } });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /hamlet version/);
  assert.ok(!existsSync(cache));
});
