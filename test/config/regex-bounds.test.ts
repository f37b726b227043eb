/** Which rule regexes run in bounded time: V8's linear engine, recheck's verdicts, `guarded`, and the audit. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileDraft, type RuleSet } from '../../src/config/compile';
import { newDraft } from '../../src/config/draft';
import { parseConfigText } from '../../src/config/parser';
import { auditRuleSet, auditSummary } from '../../src/config/redos-audit';
import { linearEligible, regexBound, verdictKey } from '../../src/config/regex-bounds';

function rules(text: string): RuleSet {
  const d = newDraft();
  parseConfigText(d, text, 'test.cf', { user: false, resolve: (_f, t) => t, readInclude: () => undefined });
  return compileDraft(d);
}

test('linearEligible: V8 linear engine accepts plain patterns, with captures and anchors', () => {
  assert.equal(linearEligible(/<\S+(?:!\S+){1,}>/), true);
  assert.equal(linearEligible(/(?<x>a)b\b/), true);
  assert.equal(linearEligible(/^(a+)+$/g), true);
  assert.equal(linearEligible(new RegExp('a[]')), true); // the never-matching class the translator emits
});

test('linearEligible: refuses the i flag, lookarounds, backreferences and large counted repetition', () => {
  assert.equal(linearEligible(/ab/i), false);
  assert.equal(linearEligible(/a(?=\n?$)/), false);
  assert.equal(linearEligible(/(?<![^\n])a/), false);
  assert.equal(linearEligible(/(a)\1/), false);
  assert.equal(linearEligible(/[^\n]{0,80}x/), false);
  assert.equal(linearEligible(/a(?!)/), false);
});

test('regexBound: the linear engine first, then the verdict table; unknown patterns are not analysed', () => {
  const look = /^(a+)+(?<!x)$/;
  assert.equal(regexBound(/(a+)+$/, {}), 'linear-engine');
  assert.equal(regexBound(look, {}), undefined);
  assert.equal(regexBound(look, { [verdictKey(look)]: 'exponential' }), 'exponential');
  assert.equal(verdictKey(/a(?=b)/gi), 'i/a(?=b)');
});

test('compile: match-only rules get linear forms; `multiple` rules keep exact extents; guarded = neither bounded', () => {
  const rs = rules(
    [
      'header TO_X To =~ /<\\S+(?:\\!\\S+){1,}>|^\\s*$/',
      'body ONCE /foo$/i',
      'body COUNTED /foo$/',
      'tflags COUNTED multiple',
      'body LOOKY /^(a+)+(?<!x)$/',
    ].join('\n'),
  );
  const test = (n: string) => rs.compiled.rules.find((r) => r.name === n)!.test as { re: RegExp; guarded?: boolean };
  assert.ok(linearEligible(test('TO_X').re), test('TO_X').re.source);
  assert.equal(test('ONCE').re.source, '[Ff][Oo][Oo]\\n?$');
  assert.equal(test('COUNTED').re.source, 'foo(?=\\n?$)');
  assert.equal(test('TO_X').guarded, false);
  assert.equal(test('LOOKY').guarded, true);
  assert.deepEqual(
    rs.guarded.map((g) => [g.name, g.at.line]),
    [
      ['COUNTED', 3],
      ['LOOKY', 5],
    ],
  );
});

test('audit: a regex neither bounded nor guarded is reported unbounded', () => {
  const rs = rules('body LOOKY /^(a+)+(?<!x)$/\nbody FINE /(a+)+$/\n');
  const ok = auditRuleSet(rs, {});
  assert.deepEqual(ok.unbounded, []);
  assert.match(auditSummary(ok), /1 under the time budget .*0 unbounded$/);
  // A rule set whose guard was lost (say, a new code path building tests) fails the audit.
  const unguarded: RuleSet = {
    ...rs,
    compiled: { ...rs.compiled, rules: rs.compiled.rules.map((r) => ({ ...r, test: { ...r.test, guarded: false } as typeof r.test })) },
  };
  const bad = auditRuleSet(unguarded, {});
  assert.deepEqual(
    bad.unbounded.map((u) => u.rule),
    ['LOOKY'],
  );
  assert.match(auditSummary(bad), /1 unbounded$/);
});
