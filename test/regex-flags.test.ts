/** The V8 flags every entry point sets: a pattern the linear engine takes cannot run away. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const FLAGS_MODULE = join(__dirname, '..', 'src', 'regex-flags.js');

/** Run `code` in a fresh Node after the flags module; its stdout, or null when it ran out of time. */
function run(code: string): string | null {
  const r = spawnSync(process.execPath, ['-e', `require(${JSON.stringify(FLAGS_MODULE)});${code}`], { timeout: 20_000 });
  return r.status === 0 ? r.stdout.toString().trim() : null;
}

// 2^48 backtracking steps without the fallback: the child would run out of time.
const EVIL = `console.log(new RegExp('(a+)+$').test('a'.repeat(48) + '!'), new RegExp('(a+)+$').test('aaaa'),
  /(?:^|[^\\S"])(?:<\\S+(?:!\\S+){1,}>|^\\s*$)/.test('<' + '!'.repeat(200) + '\\n'))`;

test('with the flags module, backtracking regexes V8 linear engine takes fall back to it', () => {
  assert.equal(run(EVIL), 'false true false');
});

test('switching to quick regex compilation after regexes ran keeps them working (no V8 crash), same answers', () => {
  // The bin shim sets compile-from-first-run, may then run Node's own regexes, then picks quick compilation.
  const code = `const f = require(${JSON.stringify(FLAGS_MODULE)}); f.compileRegexesFromFirstRun();
    const early = /(\\w+)@(\\w+)\\.com/; const a = early.exec('mail joe@example.com now')[2];
    f.compileRegexesQuickly();
    const late = new RegExp('[Vv][Ii1][Aa@][Gg][Rr][Aa@]'.repeat(20), 'i');
    const b = early.exec('to ann@test.com')[1];
    for (let i = 0; i < 3; i++) globalThis.gc?.();
    console.log(a, b, late.test('viagra'.repeat(20)), late.test('viagra'), early.test('none'))`;
  const r = spawnSync(process.execPath, ['--expose-gc', '-e', code], { timeout: 20_000 });
  assert.equal(r.status, 0, r.stderr.toString());
  assert.equal(r.stdout.toString().trim(), 'example ann true false false');
});
