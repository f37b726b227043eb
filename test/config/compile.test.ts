/** A small rule set, end to end: text -> RuleSet -> scan -> hits and score. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileDraft } from '../../src/config/compile';
import { newDraft } from '../../src/config/draft';
import { parseConfigText } from '../../src/config/parser';
import { scan } from '../../src/index';

function rules(text: string) {
  const d = newDraft();
  parseConfigText(d, text, 'test.cf', { user: false, resolve: (_f, t) => t, readInclude: () => undefined });
  return compileDraft(d);
}

const MSG = Buffer.from(
  [
    'From: "Prize Desk" <winner@lottery.example>',
    'To: you@example.org',
    'Subject: You have WON a prize',
    'Message-ID: <abc@lottery.example>',
    'Content-Type: text/html; charset=utf-8',
    '',
    '<html><body><p>Claim your prize now at <a href="http://claim.example.net/x">here</a>.</p>',
    '<p>prize prize prize</p></body></html>',
    '',
  ].join('\r\n'),
);

test('each rule type hits what it should, and scores add up', () => {
  const rs = rules(`
required_score 4
header   SUBJ_WON    Subject =~ /\\bwon\\b/i
describe SUBJ_WON    Subject says won
score    SUBJ_WON    1.5
header   FROM_NAME   From:name =~ /^Prize Desk$/
header   FROM_ADDR   From:addr =~ /\\@lottery\\.example$/
header   NO_CC       Cc =~ /./
header   HAS_MSGID   exists:Message-ID
header   __NO_LIST   List-Id =~ /^UNSET$/ [if-unset: UNSET]
body     CLAIM       /claim your prize/i
body     PRIZE3      /prize/
tflags   PRIZE3      multiple maxhits=3
score    PRIZE3      0.5
rawbody  RAW_HREF    /<a href=/
uri      URI_CLAIM   m{^http://claim\\.example\\.net/}
full     FULL_CRLF   /\\r\\n\\r\\n/
mimeheader MIME_HTML Content-Type =~ /text\\/html/
meta     META_BOTH   SUBJ_WON && CLAIM && __NO_LIST
score    META_BOTH   2
meta     META_COUNT  PRIZE3 >= 3
score    META_COUNT  0.1
header   ZERO        Subject =~ /prize/
score    ZERO        0
`);
  assert.deepEqual(rs.disabled, []);
  const r = scan(MSG, rs);
  assert.deepEqual(r.tests, [
    'CLAIM', 'FROM_ADDR', 'FROM_NAME', 'FULL_CRLF', 'HAS_MSGID', 'META_BOTH', 'META_COUNT', 'MIME_HTML', 'PRIZE3', 'RAW_HREF', 'SUBJ_WON', 'URI_CLAIM',
  ]);
  assert.equal(r.counts.get('PRIZE3'), 3);
  assert.equal(r.counts.get('__NO_LIST'), 1);
  // 1.5 + 1 (FROM_NAME) + 1 (FROM_ADDR) + 1 (HAS_MSGID) + 1 (CLAIM) + 0.5 + 1 + 1 + 1 + 1 (MIME) + 2 + 0.1
  assert.equal(r.score, 12.1);
  assert.equal(r.required, 4);
  assert.equal(r.isSpam, true);
  assert.equal(r.hits.find((h) => h.name === 'SUBJ_WON')?.describe, 'Subject says won');
});

test('default scores: 1, T_ rules 0.01, nice rules negative', () => {
  const rs = rules('header A Subject =~ /prize/\nheader T_B Subject =~ /prize/\nheader C Subject =~ /prize/\ntflags C nice\n');
  const r = scan(MSG, rs);
  assert.deepEqual(Object.fromEntries(r.hits.map((h) => [h.name, h.score])), { A: 1, T_B: 0.01, C: -1 });
});

test('broken rules are disabled with a reason; the rest still run', () => {
  const rs = rules(`
body BAD_RE /unclosed(/
body BAD_EVAL eval:no_such_function()
body NET_EVAL eval:check_hashbl_tag('y.example', 'raw', 'TAG')
meta BAD_META A &&
askdns DNS_RULE _AUTHORDOMAIN_ A 127.0.0.2
body GOOD /prize/
`);
  const reasons = Object.fromEntries(rs.disabled.map((d) => [d.name, d]));
  assert.match(reasons.BAD_RE!.reason, /regex/);
  assert.match(reasons.BAD_EVAL!.reason, /unknown eval function no_such_function/);
  assert.equal(reasons.NET_EVAL!.needs, 'network');
  assert.match(reasons.BAD_META!.reason, /meta/);
  // askdns compiles to a network eval (test/eval/askdns.test.ts), so it is not among them.
  assert.equal(reasons.DNS_RULE, undefined);
  assert.deepEqual(reasons.BAD_RE!.at, { file: 'test.cf', line: 2 });
  assert.deepEqual(scan(MSG, rs).tests, ['GOOD']);
});

test('priority orders rules; time_limit stops a scan and says so', () => {
  const rs = rules('body LATE /prize/\npriority LATE 10\nbody EARLY /prize/\npriority EARLY -10\n');
  assert.deepEqual(rs.compiled.rules.map((r) => r.name), ['EARLY', 'LATE']);
  const r = scan(MSG, rs, { timeLimit: 1e-9 });
  assert.equal(r.timedOut, true);
  assert.ok(r.hits.length < 2);
});

test('tflags nosubject: a body rule does not see the Subject line', () => {
  const rs = rules('body IN_SUBJ /WON a prize/\nbody NOSUBJ /WON a prize/\ntflags NOSUBJ nosubject\nbody NOSUBJ_BODY /Claim your/\ntflags NOSUBJ_BODY nosubject\n');
  assert.deepEqual(scan(MSG, rs).tests, ['IN_SUBJ', 'NOSUBJ_BODY']);
});

test('the literal prefilter never hides a hit: same hits with and without required literals present', () => {
  const rs = rules('body LIT /claim\\s+your/i\nbody LIT_MISS /jackpot\\s+winner/i\nrawbody RAW_LIT /claim\\.example/\nuri URI_LIT /claim\\.example\\.net/\n');
  assert.deepEqual(scan(MSG, rs).tests, ['LIT', 'RAW_LIT', 'URI_LIT']);
});

test('sub-rules no scored rule reads are not run, unless every rule is asked for', () => {
  const rs = rules('body __USED /prize/\nbody __UNUSED /prize/\nmeta PRIZE_META __USED\nscore PRIZE_META 1\n');
  const r = scan(MSG, rs);
  assert.equal(r.counts.get('__USED'), 1);
  assert.equal(r.counts.has('__UNUSED'), false);
  assert.equal(scan(MSG, rs, { allRules: true }).counts.get('__UNUSED'), 1);
});

test('header rules: the literal prefilter keeps =~ and !~ results', () => {
  const rs = rules('header SUBJ_WON Subject =~ /have won/i\nheader SUBJ_NOT_LOTTO Subject !~ /lottery win/i\nheader SUBJ_NOT_PRIZE Subject !~ /a prize/\nheader FROM_LOTTO From =~ /lottery\\.example/\nheader UNSET_DFLT X-None =~ /fallback/ [if-unset: fallback]\n');
  assert.deepEqual(scan(MSG, rs).tests, ['FROM_LOTTO', 'SUBJ_NOT_LOTTO', 'SUBJ_WON', 'UNSET_DFLT']);
});

test('a meta that adds sub-rules is true or false to the metas above it; a multiple rule passes its count (as SpamAssassin 4.0.1)', () => {
  // Measured with real `spamassassin -t`: T_SUM_TWICE does not hit, T_COUNT does.
  const rs = rules(`
body __SA /claim/i
body __SB /here/i
meta __SUM (__SA + __SB)
meta T_SUM_TWICE (__SUM > 1)
score T_SUM_TWICE 1
body __PRIZE /prize/i
tflags __PRIZE multiple
meta T_COUNT (__PRIZE > 2)
score T_COUNT 1
meta T_SUM_ONCE (__SUM > 0)
score T_SUM_ONCE 1
`);
  const hits = scan(MSG, rs).hits.map((h) => h.name);
  assert.ok(hits.includes('T_COUNT'), hits.join(','));
  assert.ok(hits.includes('T_SUM_ONCE'), hits.join(','));
  assert.ok(!hits.includes('T_SUM_TWICE'), hits.join(','));
});
