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
