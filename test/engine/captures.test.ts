/**
 * SpamAssassin 4's rule captures: named groups set tags, `%{NAME}` in another rule's pattern
 * matches their values literally. Expected results observed from SpamAssassin 4.0.1 on these
 * rules and messages (`spamassassin -L -D rules`: its `tagrun` lines and hits).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkMessage } from '../../src/check/index';
import { existsSync } from 'node:fs';
import { loadConfig } from '../../src/config/load';
import { decodeRuleSet, encodeRuleSet } from '../../src/config/rule-cache-codec';
import { captureNames, escapeTagValue, fillTemplate, templateTags } from '../../src/regex/capture-tags';
import { rulesFrom } from '../helpers/net-check';

const CF = [
  'header __CAP_TO To:addr =~ /(?<TOADDR>.*)/',
  'uri URI_TO m|^https?://.{4,64}\\#%{TOADDR}|i',
  'body __CAP_HELLO /\\bHello,? (?<HNAME>\\w+)/',
  'header HELLO_FROM From =~ /%{HNAME}/i',
  'header NEVER_CAP Subject =~ /%{NOSUCHTAG}/',
  'body __CAP_MULTI /\\bcode (?<CODE>\\d+)/',
  'tflags __CAP_MULTI multiple',
  'header CODE_SUBJ Subject =~ /\\b%{CODE}\\b/',
  'add_header all Capt to=_TOADDR_ h=_HNAME_ c=_CODE_ n=_NOSUCHTAG_',
  ...['URI_TO', 'HELLO_FROM', 'NEVER_CAP', 'CODE_SUBJ'].map((r) => `score ${r} 1`),
].join('\n');
const RULES = rulesFrom(CF);
const STOCK = '/usr/share/spamassassin';
const SITE = '/etc/spamassassin';

function mail(headers: string[], html: string): Buffer {
  return Buffer.from([...headers, 'From: Bob Smith <bob@example.org>', 'Message-ID: <1@x>', 'Content-Type: text/html', '', `<html><body>${html}</body></html>`, ''].join('\n'));
}

function capt(headers: string): string {
  return /^X-Spam-Capt: (.*)$/m.exec(headers)?.[1] ?? '';
}

test('a header capture feeds a uri rule; the value matches literally, case-blind under /i', () => {
  const link = (frag: string) => `<a href="http://evil.example/page.html#${frag}">x</a>`;
  const to = 'To: a.b+c@victim.example';
  assert.deepEqual(checkMessage(mail([to, 'Subject: hi'], link('a.b+c@victim.example')), RULES).result.tests, ['URI_TO']);
  assert.deepEqual(checkMessage(mail([to, 'Subject: hi'], link('A.B+C@VICTIM.example')), RULES).result.tests, ['URI_TO']);
  // `.` and `+` of the value are literal: aXb+c and a.bbc do not match
  assert.deepEqual(checkMessage(mail([to, 'Subject: hi'], link('aXb+c@victim.example') + link('a.bbc@victim.example')), RULES).result.tests, []);
});

test('an empty capture sets the tag without a value: no match, and the report shows it empty', () => {
  const out = checkMessage(mail(['Subject: hi'], '<a href="http://evil.example/page.html#">x</a>'), RULES);
  assert.deepEqual(out.result.tests, []);
  assert.equal(out.result.counts.get('__CAP_TO'), 1);
  assert.match(capt(out.headers), /^to= h=_HNAME_ c=_CODE_ n=_NOSUCHTAG_$/);
});

test('a body capture feeds a header rule; a tag never captured means no match', () => {
  const out = checkMessage(mail(['To: x@y.example', 'Subject: hi'], 'Hello Bob, how are you'), RULES);
  assert.deepEqual(out.result.tests, ['HELLO_FROM']);
  assert.match(capt(out.headers), /h=Bob /);
});

test('tflags multiple captures every match, each value once in order, and each value is tried', () => {
  const out = checkMessage(mail(['To: x@y.example', 'Subject: code 5 code 12 code 5 code 30 code 9'], 'hi'), RULES);
  assert.deepEqual(out.result.tests, ['CODE_SUBJ']);
  assert.deepEqual(out.result.captures?.get('CODE'), ['5', '12', '30', '9']);
  assert.match(capt(out.headers), / c=5 12 30 9 /);
  // the Subject heads the body: the second value (12) is what the body adds; 77 matches the Subject
  const two = checkMessage(mail(['To: x@y.example', 'Subject: your code 77'], 'code 12'), RULES);
  assert.deepEqual(two.result.captures?.get('CODE'), ['77', '12']);
  assert.deepEqual(two.result.tests, ['CODE_SUBJ']);
});

test('rules that capture run first (priority -10000), and run even when nothing reads their hits', () => {
  const by = new Map(RULES.compiled.rules.map((r) => [r.name, r]));
  assert.equal(by.get('__CAP_TO')?.priority, -10000);
  assert.deepEqual(by.get('__CAP_TO')?.captures, ['TOADDR']);
  assert.deepEqual(by.get('URI_TO')?.template?.tags, ['TOADDR']);
  assert.ok(RULES.compiled.rules.findIndex((r) => r.name === '__CAP_TO') < RULES.compiled.rules.findIndex((r) => r.name === 'URI_TO'));
});

test('lint names a %{TAG} no rule captures, with file:line', () => {
  const hits = RULES.lint.filter((l) => /captures tag/.test(l.text));
  assert.equal(hits.length, 1);
  assert.match(hits[0]!.text, /NEVER_CAP: no rule captures tag %\{NOSUCHTAG\}/);
  assert.equal(hits[0]!.at?.line, 5);
});

test('captures and templates survive the rule-set cache', () => {
  const back = decodeRuleSet(encodeRuleSet(RULES));
  assert.ok(typeof back !== 'string', String(back));
  const m = mail(['To: a.b+c@victim.example', 'Subject: hi'], '<a href="http://evil.example/page.html#a.b+c@victim.example">x</a>');
  assert.deepEqual(checkMessage(m, back).result.tests, ['URI_TO']);
});

test('a long captured value stays a literal: the filled pattern runs in bounded time', () => {
  const long = 'a'.repeat(20000) + '@x.example';
  const html = `<a href="http://evil.example/${'a'.repeat(5000)}#${'a'.repeat(4000)}">x</a>`;
  const t0 = performance.now();
  assert.deepEqual(checkMessage(mail([`To: ${long}`, 'Subject: hi'], html), RULES).result.tests, []);
  assert.ok(performance.now() - t0 < 2000);
});

test('pattern helpers: names, placeholders, escaping', () => {
  assert.deepEqual(captureNames('(?<A>x)(?P<B>y)(?\'C\'z)(?<=w)(?<!v)\\(?<D>'), ['A', 'B', 'C']);
  assert.deepEqual(templateTags('%{A}x\\%{B}%{A}'), ['A']);
  assert.equal(escapeTagValue('a.b+c@x_1'), 'a\\x2eb\\x2bc\\x40x_1');
  assert.equal(fillTemplate('#%{T}$', (t) => (t === 'T' ? ['a|b', 'c'] : undefined)), '#(?:a\\x7cb|c)$');
  assert.equal(fillTemplate('#%{T}$', () => []), undefined);
  // an escaped placeholder is not filled
  assert.equal(fillTemplate('\\%{T}', () => ['x']), '\\%{T}');
});

test('stock rules: a link carrying the recipient\'s address hits GB_CUSTOM_HTM_URI, as in SpamAssassin 4.0.1', { skip: !existsSync(STOCK) && `${STOCK} not installed` }, () => {
  const rs = loadConfig({ configPath: STOCK, siteConfigPath: existsSync(SITE) ? SITE : undefined, extraText: 'use_bayes 0\nskip_rbl_checks 1\ndns_available no' });
  const m = (href: string): Buffer => mail(['To: Pat Victim <pat.victim@example.com>', 'Subject: your mailbox'], `Sign in <a href="${href}">here</a>`);
  const hit = checkMessage(m('https://files.example.net/secure/login.html#pat.victim@example.com'), rs).result;
  assert.ok(hit.tests.includes('GB_CUSTOM_HTM_URI'), hit.tests.join(','));
  const miss = checkMessage(m('https://files.example.net/secure/login.html#someone.else@example.com'), rs).result;
  assert.ok(!miss.tests.includes('GB_CUSTOM_HTM_URI'), miss.tests.join(','));
});
