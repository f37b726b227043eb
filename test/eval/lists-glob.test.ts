import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileGlobs, globListMatches, globSource } from '../../src/eval/lists-glob';

test('glob lists match as one regex of their globs would, `*tail` entries included', () => {
  const globs = ['*@bank.example', '**@Bank.CO.uk', 'joe@*.example', 'exact@x.org', '?ob@y.org', '*', '*@a(b.org'];
  const cases = ['x@bank.example', 'X@BANK.EXAMPLE', '@bank.example', 'a\n@bank.example', 'bank.example', 'x@bank.co.uk', 'joe@m.example', 'exact@x.org', 'bob@y.org', 'x@a_b.org', 'x@a(b.org', 'nobody@else.org'];
  for (const pick of [[0], [1], [0, 1, 3], [2, 4], [5], [6], [0, 2, 6]]) {
    const chosen = pick.map((i) => globs[i]!);
    const list = compileGlobs(chosen);
    const re = new RegExp(chosen.map((g) => `(?:^${globSource(g)}$)`).join('|'));
    for (const c of cases) assert.equal(globListMatches(list, c), re.test(c.toLowerCase()), `${chosen.join(' ')} vs ${JSON.stringify(c)}`);
  }
  assert.deepEqual(compileGlobs(['*@bank.example', 'joe@*']).suffixes, ['@bank.example']);
});
