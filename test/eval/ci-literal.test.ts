import { test } from 'node:test';
import assert from 'node:assert/strict';
import { containsWord } from '../../src/eval/ci-literal';
import { userInSubject } from '../../src/eval/header-sender';
import { hasMimeEpilogue } from '../../src/eval/mime-epilogue';
import type { MimePart } from '../../src/message/types';
import { escapeRegex } from '../../src/util/escape-regex';

// The string forms replace regexes built from message text; each is checked against that regex.

/** Deterministic strings made of the given pieces (a small LCG, so failures reproduce). */
function* strings(pieces: readonly string[], count: number, maxPieces: number): Generator<string> {
  let seed = 12345;
  const next = (n: number): number => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed % n;
  };
  for (let i = 0; i < count; i++) {
    let s = '';
    for (let k = next(maxPieces + 1); k > 0; k--) s += pieces[next(pieces.length)];
    yield s;
  }
}

test('containsWord is /\\bNEEDLE\\b/i', () => {
  const pieces = ['bob', 'BoB', '@x.org', ' ', '_', '-', 'é', 'É', 'ı', 'ss', 'ß', '1'];
  for (const needle of ['bob', 'bob@x.org', 'é1', 'ss', '-bob', 'ß']) {
    const re = new RegExp(`\\b${escapeRegex(needle)}\\b`, 'i');
    for (const hay of strings(pieces, 3000, 6)) assert.equal(containsWord(hay, needle), re.test(hay), `${needle} in ${JSON.stringify(hay)}`);
  }
});

test('userInSubject is the local-part-in-Subject regexes', () => {
  const pieces = ['re:', 'Fw:', ' ', 'joe', 'JOE', 'hi ', ',', ':', '!', 'x', 'é', '\t'];
  let hits = 0;
  for (const user of ['joe', 'Joe', 'jo.e', 'é']) {
    const u = escapeRegex(user);
    const ci = new RegExp(`^(?:(?:re|fw):\\s*(?:\\w+\\s+)?${u}$|${u}$|,\\s*${u}[,:;!?-]$)`, 'i');
    const cs = new RegExp(`^${u}\\s*[,:;!?-](?:$|\\s)`);
    for (const subject of strings(pieces, 4000, 5)) {
      const want = ci.test(subject) || cs.test(subject);
      if (want) hits++;
      assert.equal(userInSubject(subject, user), want, `${user} in ${JSON.stringify(subject)}`);
    }
  }
  assert.ok(hits > 50, 'the table must exercise matches');
});

test('epilogue detection follows /^--B--[ \\t\\r\\f\\v]*(?:\\n|$)/m', () => {
  const pieces = ['--b--', '\n', '\r', ' ', 'x', '.', '--b', '\t', 'a\n--b--'];
  const child = { type: 'text/plain', children: [] } as unknown as MimePart;
  let epilogues = 0;
  for (const body of strings(pieces, 20000, 8)) {
    const close = /^--b--[ \t\r\f\v]*(?:\n|$)/m.exec(body);
    const want = close ? /[^ \t\n\r\f\v.]/.test(body.slice(close.index + close[0].length)) : false;
    if (want) epilogues++;
    const part = { type: 'multipart/mixed', typeParams: { boundary: 'b' }, rawBody: Buffer.from(body, 'latin1'), children: [child] } as unknown as MimePart;
    assert.equal(hasMimeEpilogue(part), want, JSON.stringify(body));
  }
  assert.ok(epilogues > 100);
});
