/**
 * hamlet decodes well-formed encoded words itself (libmime loads only for odder values):
 * the result must be libmime's decodeWords() for every input, so both run on generated values.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import libmime from 'libmime';
import { normalizeCharset } from 'libmime/lib/charset';
import { decodeHeaderValue, decodeWords } from '../../src/message/encoded-words';

/** A small LCG, so a failure can be reproduced. */
function lcg(seed: number): (n: number) => number {
  return (n) => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed % n;
  };
}

const pick = <T>(next: (n: number) => number, xs: readonly T[]): T => xs[next(xs.length)]!;

const CHARSETS = ['utf-8', 'UTF-8', 'utf8', 'iso-8859-1', 'ISO-8859-1', 'us-ascii', 'windows-1252', 'latin1', 'koi8-r', 'iso-8859-2', 'gb2312', 'big5', 'iso-2022-jp', 'x-unknown', 'utf-7'];
/** Shapes only libmime reads (the value goes to it): picked now and then. */
const ODD_CHARSETS = ['utf-8*en', 'iso 8859-1', '=', ''];
const B_TEXTS = ['', 'YQ', 'YQ==', 'w6k=', 'w6lsw6h2ZQ==', '8NLJ18XU', 'YWJj', 'Y', 'YQ=YQ==', '4pyT', '6Kqe', '-_', 'G1skQiQ1JEckOSEjGyhC', 'sMXAzQ==', 'ü'];
const Q_TEXTS = ['', 'a', 'caf=E9', '=C3=A9', 'a_b', '=', '=4', '=E', 'x= 41', '=\t3D', 'ab=cd', '=e9=', '_=5F_', 'é', '\u00a0', '=1B$B'];
const SEPARATORS = ['', ' ', '  ', '\t', ' x ', 'x', '\u00a0', '\u3000', ' = ', '=', ' ? '];
const ODD_SEPARATORS = ['?', ' =? ', '\0', '\u0000JOIN\u0000', ' ?B?x?= ', '?q?'];

/** A value made of encoded words (some malformed) and the text between them. */
function generatedValue(next: (n: number) => number): string {
  let v = next(3) === 0 ? pick(next, ['Re: ', 'a', ' ', '']) : '';
  for (let n = next(5) + 1; n > 0; n--) {
    const b = next(2) === 0;
    const enc = b ? pick(next, ['B', 'b']) : pick(next, ['Q', 'q']);
    const text = pick(next, b ? B_TEXTS : Q_TEXTS);
    let word = `=?${pick(next, next(30) === 0 ? ODD_CHARSETS : CHARSETS)}?${enc}?${text}?=`;
    if (next(30) === 0) word = word.slice(0, next(word.length)); // cut short
    v += word + pick(next, next(30) === 0 ? ODD_SEPARATORS : SEPARATORS);
  }
  return v;
}

test('decodeWords gives what libmime gives', () => {
  const cases = [
    '=?iso-8859-1?Q?caf=E9?=',
    '=?utf-8?B?w6k=?= =?utf-8?B?w6k=?=',
    '=?utf-8?B?4pyT?=?utf-8?B?4pyT?= =?utf-8?B?YQ==?=',
    '=?utf-8?Q?a?=  =?UTF8?Q?b?= x =?iso-8859-1?B?6Q==?=',
    '=?utf-8*en?Q?a?=',
    '=?=?utf-8?Q?a?=',
    'a =? b',
    '=?utf-8?B?w6k=?=\u00a0=?utf-8?Q?=C3=A9?=',
    '=?utf-8?Q?a=?= x ?Q?b?= =?utf-8?Q?c?=',
    '=?utf-8?B?YQ=?= x ?B?Yg?= =?utf-8?B?Yw?=',
    '=?utf-8?B?YQ=?= x ?B?Yg =?utf-8?B?Yw?=',
  ];
  for (const v of cases) assert.equal(decodeWords(v), libmime.decodeWords(v), JSON.stringify(v));
  const next = lcg(4242);
  for (let i = 0; i < 30000; i++) {
    const v = generatedValue(next);
    assert.equal(decodeWords(v), libmime.decodeWords(v), JSON.stringify(v));
  }
});

test('decodeWords on random pieces gives what libmime gives', () => {
  const pieces = ['=?', '?=', '?', '=', 'utf-8', 'koi8-r', 'iso-8859-1', '?B?', '?Q?', '?q?', 'YQ', '==', 'w6k', '=E9', '_', ' ', '\t', 'a', '*'];
  const next = lcg(777);
  for (let i = 0; i < 30000; i++) {
    let v = '';
    for (let n = next(14); n > 0; n--) v += pick(next, pieces);
    assert.equal(decodeWords(v), libmime.decodeWords(v), JSON.stringify(v));
  }
});

test('the charset names decoded without libmime are the ones libmime gives those names', () => {
  for (const n of ['utf-8', 'UTF-8', 'utf8', 'Utf8']) assert.equal(normalizeCharset(n), 'UTF-8');
  for (const n of ['iso-8859-1', 'ISO-8859-1', 'us-ascii', 'US-ASCII', 'windows-1252', 'Windows-1252']) assert.equal(normalizeCharset(n), 'windows-1252');
});

test('encoded words in rarer charsets still decode (libmime loaded on demand)', () => {
  assert.equal(decodeHeaderValue('=?iso-2022-jp?B?GyRCRnxLXDhsGyhC?=', 'subject'), '日本語');
  assert.equal(decodeHeaderValue('=?shift_jis?B?k/qWe4zq?=', 'subject'), '日本語');
  assert.equal(decodeHeaderValue('=?koi8-r?B?8NLJ18XU?= =?koi8-r?B?8NLJ18XU?=', 'subject'), 'ПриветПривет');
});
