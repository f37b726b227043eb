/**
 * The hand-written fast paths of the message model against the regex forms they replace:
 * the results must be the same for every input, so both are run on generated strings.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isIP } from 'node:net';
import { isIpHost } from '../../src/message/domain';
import { unfold } from '../../src/message/encoded-words';
import { renderHtml, resolveUri } from '../../src/message/html';

/** Deterministic strings built from `pieces` (a small LCG, so a failure can be reproduced). */
function* generated(pieces: readonly string[], count: number, maxLen: number): Generator<string> {
  let seed = 12345;
  const next = (n: number) => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed % n;
  };
  for (let i = 0; i < count; i++) {
    let s = '';
    for (let j = next(maxLen + 1); j > 0; j--) s += pieces[next(pieces.length)];
    yield s;
  }
}

test('unfold matches the two-regex unfolding', () => {
  const cases: [string, string][] = [
    ['a\r\n b', 'a b'],
    ['a\n\tb', 'a b'],
    ['a\nb', 'ab'],
    ['a\r\nb', 'ab'],
    ['a\r\r\n b', 'a\r b'],
    ['a\n \r\nb', 'a b'],
  ];
  for (const [input, want] of cases) assert.equal(unfold(input), want, JSON.stringify(input));
  for (const s of generated(['\r', '\n', ' ', '\t', 'a', '\r\n', '\n '], 20000, 8)) {
    assert.equal(unfold(s), s.replace(/\r?\n[ \t]+/g, ' ').replace(/\r?\n/g, ''), JSON.stringify(s));
  }
});

test('resolveUri without a base keeps references without dot segments, resolves the rest', () => {
  assert.equal(resolveUri('', 'http://x.com/a/b.html?q=1#f'), 'http://x.com/a/b.html?q=1#f');
  assert.equal(resolveUri('', 'http://x.com/a/../b'), 'http://x.com/b');
  assert.equal(resolveUri('', 'a:./x'), 'a:/x');
  assert.equal(resolveUri('', '//www.x.com/p'), 'http://www.x.com/p');
  assert.equal(resolveUri('', '../x'), '/x');
});

test('HTML whitespace collapses to single spaces, lone spaces kept', () => {
  const r = renderHtml('<p>a \t b\u00a0\u00a0c  d e</p>');
  assert.equal(r.text.trim(), 'a b c d e');
});

test('the visible/invisible split of rendered HTML', () => {
  const r = renderHtml('<body>seen <font color="#ffffff">hidden</font> seen too</body>');
  assert.equal(r.text.replace(/\s+/g, ' ').trim(), 'seen hidden seen too');
  assert.equal(r.invisibleText, 'hidden');
  assert.equal(r.visibleText.replace(/\s+/g, ' ').trim(), 'seen seen too');
});

test('isIpHost (node:net only for hosts of IPv6 characters) matches a plain isIP check', () => {
  const pieces = ['1', 'a', 'f', 'g', ':', '::', '.', '%', 'eth0', '[', ']', 'ffff', '127.0.0.1', 'x', '-'];
  for (const s of generated(pieces, 50000, 9)) {
    const h = s.startsWith('[') || s.endsWith(']') ? s.replace(/^\[|\]$/g, '') : s;
    assert.equal(isIpHost(s), /^\d{1,3}(?:\.\d{1,3}){3}$/.test(h) || isIP(h) !== 0, JSON.stringify(s));
  }
});
