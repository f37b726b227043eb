/**
 * time_limit inside a rule: a guarded rule that runs away is cut by its budget, a scan past its
 * deadline stops, and both answer with what finished plus TIME_LIMIT_EXCEEDED, as SpamAssassin does.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileDraft } from '../../src/config/compile';
import { newDraft } from '../../src/config/draft';
import { parseConfigText } from '../../src/config/parser';
import { GUARDED_SCAN_MS } from '../../src/engine/guarded-rules';
import { scan } from '../../src/index';

function rules(text: string) {
  const d = newDraft();
  parseConfigText(d, text, 'test.cf', { user: false, resolve: (_f, t) => t, readInclude: () => undefined });
  return compileDraft(d);
}

const RUNAWAY = 'a'.repeat(40) + '!';
const MSG = Buffer.from(`From: a@example.com\nTo: ${RUNAWAY}\nSubject: hello\n\nhello world\n${RUNAWAY}\n`);
const BASE = `
header SUBJ_HELLO Subject =~ /hello/
score  SUBJ_HELLO 1.5
body   WORLD      /world/
score  WORLD      2
header NOT_FOO    Subject !~ /foo/
score  NOT_FOO    0.5
`;

test('a runaway body rule is cut; the other rules and the metas not reading it answer', () => {
  const rs = rules(`${BASE}
body   RUNAWAY    /(a+)+\\1x/
score  RUNAWAY    3
meta   META_NOT_RUNAWAY  !RUNAWAY && WORLD
score  META_NOT_RUNAWAY  0.25
meta   META_WORLD        WORLD && SUBJ_HELLO
score  META_WORLD        0.5
`);
  const guarded = rs.compiled.rules.find((r) => r.name === 'RUNAWAY')!.test;
  assert.ok('guarded' in guarded && guarded.guarded, 'the compiler marks the rule guarded');
  const t0 = performance.now();
  const r = scan(MSG, rs);
  const ms = performance.now() - t0;
  assert.ok(ms < GUARDED_SCAN_MS + 1000, `scan took ${ms} ms`);
  assert.deepEqual(r.cut, ['RUNAWAY']);
  assert.equal(r.timedOut, false);
  // Cut: no hit, and a meta over it is not evaluated (it would say !RUNAWAY without knowing).
  assert.deepEqual(r.tests, ['META_WORLD', 'NOT_FOO', 'SUBJ_HELLO', 'TIME_LIMIT_EXCEEDED', 'WORLD']);
  const tle = r.hits.find((h) => h.name === 'TIME_LIMIT_EXCEEDED')!;
  assert.deepEqual([tle.score, tle.describe], [0.001, 'Exceeded time limit / deadline']);
  assert.equal(r.hits.at(-1)!.name, 'TIME_LIMIT_EXCEEDED', 'reported last');
  assert.equal(r.score, 4.501);
});

test('a cut `!~` header rule does not hit either; `score TIME_LIMIT_EXCEEDED` sets its points', () => {
  const rs = rules(`${BASE}
header TO_NOT_RUNAWAY To !~ /(a+)+\\1x/
score  TO_NOT_RUNAWAY 1
score  TIME_LIMIT_EXCEEDED 2.5
describe TIME_LIMIT_EXCEEDED Took too long
`);
  const r = scan(MSG, rs);
  assert.deepEqual(r.cut, ['TO_NOT_RUNAWAY']);
  assert.deepEqual(r.tests, ['NOT_FOO', 'SUBJ_HELLO', 'TIME_LIMIT_EXCEEDED', 'WORLD']);
  assert.deepEqual(r.hits.at(-1), { name: 'TIME_LIMIT_EXCEEDED', score: 2.5, describe: 'Took too long', area: 'meta', count: 1 });
  assert.equal(r.score, 6.5);
});

test('when nothing runs away, guarded rules (=~, !~, header, body) give their usual results', () => {
  const rs = rules(`${BASE}
header TO_A  To =~ /(a+)+\\1!/
header TO_NO To !~ /(a+)+\\1x/
body   B_A   /(a+)+\\1!/
`);
  assert.ok(rs.compiled.rules.filter((r) => 'guarded' in r.test && r.test.guarded).length === 3);
  const short = Buffer.from('From: a@example.com\nTo: aaaa!\nSubject: hello\n\nhello world\naaaa!\n');
  const r = scan(short, rs);
  assert.deepEqual(r.cut, []);
  assert.deepEqual(r.tests, ['B_A', 'NOT_FOO', 'SUBJ_HELLO', 'TO_A', 'TO_NO', 'WORLD']);
});

test('time_limit holds inside a guarded rule: the scan stops at the deadline with what it finished', () => {
  const rs = rules(`${BASE}
time_limit 0.08
priority SUBJ_HELLO -10
body   RUNAWAY    /(a+)+\\1x/
priority RUNAWAY  0
body   LATE       /hello/
priority LATE     10
meta   META_HELLO SUBJ_HELLO
score  META_HELLO 0.1
meta   META_LATE  LATE
`);
  const t0 = performance.now();
  const r = scan(MSG, rs);
  const ms = performance.now() - t0;
  assert.equal(r.timedOut, true);
  assert.ok(ms >= 70 && ms < 1200, `scan took ${ms} ms`);
  // SUBJ_HELLO ran before the deadline; LATE did not run; the meta over it is not evaluated.
  assert.ok(r.tests.includes('SUBJ_HELLO') && r.tests.includes('META_HELLO'));
  assert.ok(!r.tests.includes('LATE') && !r.tests.includes('META_LATE'));
  assert.ok(r.tests.includes('TIME_LIMIT_EXCEEDED'));
});

test('a caller deadline (spamd --timeout-child) applies when earlier than time_limit', () => {
  const rs = rules(`${BASE}\nbody RUNAWAY /(a+)+\\1x/\n`);
  const r = scan(MSG, rs, { deadline: performance.now() + 50 });
  assert.equal(r.timedOut, true);
  assert.ok(r.tests.includes('TIME_LIMIT_EXCEEDED'));
});
