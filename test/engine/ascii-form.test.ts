/** The ASCII form of a regex: same answers on ASCII lines, smaller pattern. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { asciiForm } from '../../src/engine/ascii-form';
import { translatePerlRegex } from '../../src/regex/perl-regex';

function re(perl: string, flags = ''): RegExp {
  const t = translatePerlRegex(perl, flags);
  if ('error' in t) throw new Error(t.error);
  return t.re;
}

test('byte-only alternatives and class members go; ASCII answers stay the same', () => {
  const cases: [string, string[]][] = [
    ['(?:[pP\\xd1\\xf1]|[\\xce][\\xa1])(?:[hH]|[\\xd2][\\xba])one', ['phone', 'PHONE', 'p hone', 'xphonex', 'hone']],
    ['(?:^|\\s)(?:[a@\\xe0-\\xe5]|\\xc3[\\xa0-\\xa5])ct(?![\\x80-\\xff])', ['act now', '@ct now', 'react', 'ct', ' act']],
    ['caf(?:e|\\xc3\\xa9)\\b', ['cafe', 'cafes', 'caf']],
  ];
  for (const [perl, subjects] of cases) {
    const orig = re(perl);
    const a = asciiForm(orig);
    assert.ok(a, `no ASCII form for ${perl}`);
    assert.ok(a.source.length < orig.source.length, perl);
    for (const s of subjects) assert.equal(a.test(s), orig.test(s), `${perl} on ${s}`);
  }
});

test('no ASCII form when nothing would change or a backreference could be renumbered', () => {
  assert.equal(asciiForm(re('plain (text)+')), undefined);
  assert.equal(asciiForm(re('(\\xe9)x\\1')), undefined);
  assert.equal(asciiForm(re('[^\\xe9]x')), undefined); // a negated class matches ASCII as it is
});

test('a required byte-only part makes the whole pattern impossible on ASCII lines', () => {
  const a = asciiForm(re('ab\\xe9c'));
  assert.ok(a);
  for (const s of ['abc', 'ab c', 'abxc']) assert.equal(a.test(s), false);
});
