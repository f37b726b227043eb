/** A throwing eval fails only its own rule (not hit) and is reported once per rule in the scan result. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileDraft } from '../../src/config/compile';
import { newDraft } from '../../src/config/draft';
import { parseConfigText } from '../../src/config/parser';
import { EVAL_REGISTRY } from '../../src/eval/index';
import type { EvalDef, EvalRegistry } from '../../src/eval/registry';
import { scan } from '../../src/index';

let calls = 0;
const BOOM: EvalDef = {
  name: 'check_boom',
  areas: ['header', 'body'],
  fn: () => {
    calls++;
    throw new Error(`boom #${calls}`);
  },
};
const registry: EvalRegistry = { active: new Map([...EVAL_REGISTRY.active, [BOOM.name, BOOM]]), inactive: EVAL_REGISTRY.inactive };

function rules(text: string) {
  const d = newDraft();
  parseConfigText(d, text, 'test.cf', { user: false, resolve: (_f, t) => t, readInclude: () => undefined });
  return compileDraft(d, registry);
}

test('a throwing eval: its rule is not hit, the others are, and each failing rule is listed once', () => {
  const rs = rules(`
header BOOM_HEADER eval:check_boom()
score  BOOM_HEADER 1
body   BOOM_BODY   eval:check_boom()
score  BOOM_BODY   1
body   WORLD       /world/
score  WORLD       2
meta   NOT_BOOM    !BOOM_HEADER && WORLD
score  NOT_BOOM    0.5
`);
  calls = 0;
  const r = scan(Buffer.from('From: a@example.com\nSubject: hi\n\nhello world\n'), rs);
  assert.deepEqual(r.tests, ['NOT_BOOM', 'WORLD']);
  assert.equal(r.score, 2.5);
  const failures = [...(r.evalFailures ?? [])].sort((a, b) => a.rule.localeCompare(b.rule));
  assert.equal(failures.length, calls, 'one entry per failing call, i.e. per rule');
  assert.deepEqual(failures.map((f) => [f.rule, f.fn]), [['BOOM_BODY', 'check_boom'], ['BOOM_HEADER', 'check_boom']]);
  assert.ok(failures.every((f) => /^boom #\d$/.test(f.message)));
});

test('a scan without failing evals has no failure list', () => {
  const rs = rules('body WORLD /world/\nscore WORLD 2\n');
  assert.equal(scan(Buffer.from('Subject: hi\n\nhello world\n'), rs).evalFailures, undefined);
});
