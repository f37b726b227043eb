/** Every configuration snippet of the tutorial is one a test writes into a running set-up. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { snippets, substitute, TUTORIAL } from './doc-snippets';

const TEST_SRC = resolve(__dirname, '..', '..', '..', 'test');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.test.ts') ? [join(dir, e.name)] : []));
}

test('snippets are read from the fenced block after each marker', () => {
  const md = 'text\n<!-- snippet: a.cf -->\n```\nline 1\nline 2\n```\n\n<!-- snippet: b -->\n```sh\nrun\n```\n```\nnot one\n```\n';
  assert.deepEqual([...snippets(md)], [['a.cf', 'line 1\nline 2\n'], ['b', 'run\n']]);
  assert.throws(() => substitute('x 783', [['784', '1']]), /no longer contains "784"/);
});

test('every snippet of the tutorial is used by a test that runs it', () => {
  const names = [...snippets(readFileSync(TUTORIAL, 'utf8')).keys()];
  assert.ok(names.length >= 10, `only ${names.length} snippets found`);
  const tests = sources(TEST_SRC).map((f) => readFileSync(f, 'utf8')).join('\n');
  // Named directly (snippet('main.cf')) or through a template (snippet(`.forward+${kind}`)).
  const unused = names.filter((n) => !tests.includes(`snippet('${n}')`) && !(n.startsWith('.forward+') && tests.includes('snippet(`.forward+${kind}`)')));
  assert.deepEqual(unused, []);
});
