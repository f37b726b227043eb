import { test } from 'node:test';
import assert from 'node:assert/strict';
import { evalCondition, type ConditionEnv } from '../../src/config/conditionals';

const env: ConditionEnv = {
  version: 4.000001,
  pluginLoaded: (n) => n === 'Mail::SpamAssassin::Plugin::ReplaceTags' || n === 'Mail::SpamAssassin::Plugin::DMARC',
  can: (n) => n === 'Mail::SpamAssassin::Conf::feature_bug6558_free',
  has: (n) => n.endsWith('::has_check_body_length'),
  localTestsOnly: true,
};

test('conditions as the stock rules write them', () => {
  const cases: [string, boolean][] = [
    ['can(Mail::SpamAssassin::Conf::feature_bug6558_free)', true],
    ['!can(Mail::SpamAssassin::Conf::feature_bug6558_free)', false],
    ['!(can(Mail::SpamAssassin::Conf::feature_bug6558_free))', false],
    ['!plugin(Mail::SpamAssassin::Plugin::ReplaceTags)', false],
    ['plugin(Mail::SpamAssassin::Plugin::MIMEHeader)', false],
    ['plugin(Mail::SpamAssassin::Plugin::Dmarc)', true], // old name of DMARC
    ['(version >= 3.004002)', true],
    ['(version >= 4.000002)', false],
    ['(version < 4.000000)', false],
    ['!((version >= 3.004000))', false],
    ['!(!plugin(Mail::SpamAssassin::Plugin::ReplaceTags))', true],
    ['has(Mail::SpamAssassin::Plugin::BodyEval::has_check_body_length)', true],
    ['version >= 3.004 && local_tests_only', true],
    ['0 || plugin(Mail::SpamAssassin::Plugin::ReplaceTags)', true],
  ];
  for (const [expr, want] of cases) assert.equal(evalCondition(expr, env), want, expr);
});

test('malformed conditions are reported, not thrown', () => {
  for (const bad of ['version >=', 'system("rm -rf /")', 'can(NoColons)', '(version', '$x > 1']) {
    assert.equal(typeof evalCondition(bad, env), 'string', bad);
  }
});
