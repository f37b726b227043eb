/**
 * node:test counts a skipped `describe` as passed, so a suite that cannot run its component would
 * look green. Suites are skipped through test/helpers/visible-skip.ts instead; this fails on any
 * `describe` / `suite` given a `skip` (or `todo`) option, or `describe.skip`, in the test sources.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

const TEST_SRC = resolve(__dirname, '..', '..', 'test');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    return e.isDirectory() ? sources(p) : e.name.endsWith('.ts') ? [p] : [];
  });
}

/** `describe(`/`suite(` calls whose arguments before the body name skip or todo; and `.skip(` forms. */
export function hiddenSkips(text: string): string[] {
  const found: string[] = [];
  for (const m of text.matchAll(/\b(?:describe|suite)\s*(\.\s*(?:skip|todo)\s*)?\(/g)) {
    if (m[1]) {
      found.push(m[0]);
      continue;
    }
    // The arguments up to the suite body (an arrow or function), at most a few lines.
    const rest = text.slice(m.index + m[0].length, m.index + m[0].length + 600);
    const head = rest.slice(0, Math.max(0, rest.search(/=>|\bfunction\b/)));
    if (/\b(?:skip|todo)\s*:/.test(head)) found.push(`${m[0]}${head.trim()}`);
  }
  return found;
}

test('the checker finds a describe with a skip option, and describe.skip', () => {
  assert.equal(hiddenSkips("describe('x', { skip: missing }, () => {})").length, 1);
  assert.equal(hiddenSkips("describe(\n  'x',\n  { skip: 'why' },\n  async () => {})").length, 1);
  assert.equal(hiddenSkips("describe.skip('x', () => {})").length, 1);
  assert.equal(hiddenSkips("suite('x', { todo: true }, function () {})").length, 1);
  assert.equal(hiddenSkips("describe('x', () => { test('y', { skip: 'why' }, () => {}); })").length, 0);
});

test('no test source skips a whole describe (it would count as passed)', () => {
  const bad: string[] = [];
  for (const f of sources(TEST_SRC)) {
    if (f.endsWith('skips-visible.test.ts')) continue;
    for (const h of hiddenSkips(readFileSync(f, 'utf8'))) bad.push(`${relative(TEST_SRC, f)}: ${h.replace(/\s+/g, ' ')}`);
  }
  assert.deepEqual(bad, [], 'use suiteUnless(reason, name, body) from test/helpers/visible-skip.ts');
});
