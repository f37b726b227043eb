/** The ASCII form of a regex: same answers on ASCII lines, smaller pattern. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { asciiForm } from '../../src/engine/ascii-form';
import { asciiOfTest } from '../../src/engine/ascii-form-memo';
import { decodeRuleSet, encodeRuleSet } from '../../src/config/rule-cache-codec';
import { scan } from '../../src/engine/scanner';
import { parseMessage } from '../../src/message/parse';
import { translatePerlRegex } from '../../src/regex/perl-regex';
import { rulesFrom } from '../helpers/net-check';

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

test('header and mimeheader rules run their ASCII form on ASCII values, with the same answers as the whole regex', () => {
  // A look-alike rule: each letter a class of ASCII and UTF-8 look-alikes (as the FUZZY_ rules).
  const cf = [
    'header FZ_SUBJ Subject =~ /\\bch(?:[e3]|\\xc3\\xa9|\\xd0\\xb5)ap\\b/i',
    'header FZ_SUBJ_NOT Subject !~ /\\bch(?:[e3]|\\xc3\\xa9)ap\\b/i',
    'mimeheader FZ_MIME Content-Type =~ /n(?:[a@]|\\xc3\\xa0)me=/',
    ...['FZ_SUBJ', 'FZ_SUBJ_NOT', 'FZ_MIME'].map((r) => `score ${r} 1`),
  ].join('\n');
  const rs = rulesFrom(cf);
  const cached = decodeRuleSet(encodeRuleSet(rs));
  assert.notEqual(typeof cached, 'string');
  for (const name of ['FZ_SUBJ', 'FZ_SUBJ_NOT', 'FZ_MIME']) {
    const t = rs.compiled.rules.find((r) => r.name === name)!.test as { re: RegExp };
    assert.ok(asciiOfTest(t), `${name} has an ASCII form`);
  }
  const mail = (subject: string, type: string): Buffer =>
    Buffer.from(`From: a@example.org\nTo: b@example.org\nSubject: ${subject}\nMessage-ID: <1@x>\nContent-Type: ${type}\n\nhi\n`, 'latin1');
  const cases: [string, string, string[]][] = [
    ['cheap pills', 'text/plain; name=a', ['FZ_MIME', 'FZ_SUBJ']],
    ['CH3AP pills', 'text/plain', ['FZ_SUBJ']],
    ['chxap pills', 'text/plain', ['FZ_SUBJ_NOT']],
    ['cheaper', 'text/plain', ['FZ_SUBJ_NOT']],
    // Non-ASCII values: the whole regex runs (UTF-8 look-alikes, as bytes).
    ['ch\xc3\xa9ap pills', 'text/plain; n\xc3\xa0me=x', ['FZ_MIME', 'FZ_SUBJ']],
    ['ch\xd0\xb5ap \xc3\xa9t\xc3\xa9', 'text/plain', ['FZ_SUBJ', 'FZ_SUBJ_NOT']],
    ['ch\xc3\xa8ap', 'text/plain; n\xc3\xa8me=x', ['FZ_SUBJ_NOT']],
  ];
  for (const [subject, type, want] of cases) {
    for (const r of [rs, cached as typeof rs]) assert.deepEqual(scan(parseMessage(mail(subject, type)), r.compiled).tests, want, `${subject} / ${type}`);
  }
});
