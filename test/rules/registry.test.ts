/**
 * Registry checks for hamlet's own rules: the set lints clean, every eval it
 * calls is registered for that rule type, every scored rule exists and has a
 * describe, and every rule a user can see has at least one hit case.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { DEFAULT_RULES_DIR, readConfig } from '../../src/index';
import { EVAL_REGISTRY } from '../../src/eval';
import { headerCases } from './cases-headers';
import { obfuscationCases, offerCases, phishingBodyCases } from './cases-body';
import { htmlMimeCases, uriCases } from './cases-structure';
import { metaCases } from './cases-meta';
import { todayCases } from './cases-today';
import { bulkCases } from './cases-bulk';
import { ownRules, scanMail } from './rule-tester';

const ALL_CASES = { ...headerCases, ...offerCases, ...obfuscationCases, ...phishingBodyCases, ...htmlMimeCases, ...uriCases, ...metaCases, ...todayCases, ...bulkCases };

/** Rule lines of every .cf file: `type NAME rest`. */
function ruleLines(): Array<{ type: string; name: string; rest: string; file: string }> {
  const out: Array<{ type: string; name: string; rest: string; file: string }> = [];
  for (const f of readdirSync(DEFAULT_RULES_DIR).filter((x) => x.endsWith('.cf'))) {
    for (const line of readFileSync(join(DEFAULT_RULES_DIR, f), 'latin1').split('\n')) {
      const m = /^(header|body|rawbody|full|uri|meta|mimeheader|describe|score|tflags)\s+(\S+)\s*(.*)$/.exec(line);
      if (m) out.push({ type: m[1]!, name: m[2]!, rest: m[3]!, file: f });
    }
  }
  return out;
}

const RULE_TYPES = new Set(['header', 'body', 'rawbody', 'full', 'uri', 'meta', 'mimeheader']);

/** Rules a scan cannot show on its own: Bayes bands (they need a trained database) and the AWL (applied after the scan). Tested in bayes-awl-default.test.ts. */
const FEEDBACK_RULE = /^eval:check_(?:bayes|bayes_unfamiliar|from_in_auto_welcomelist)\(/;

test('the own rule set compiles with no error; the only rule the scanner leaves out is the AWL, which runs after it', () => {
  const draft = readConfig({ configPath: DEFAULT_RULES_DIR });
  const errors = draft.lint.filter((l) => l.level === 'error');
  assert.deepEqual(errors, []);
  assert.deepEqual(ownRules().disabled.map((d) => `${d.name}: ${d.needs ?? d.reason}`), ['AWL: awl']);
});

test('every eval used by rules/ is registered and allowed for its rule type', () => {
  for (const r of ruleLines().filter((l) => RULE_TYPES.has(l.type))) {
    const m = /^eval:(\w+)\(/.exec(r.rest);
    if (!m) continue;
    // The AWL's eval is known but run by the pipeline after the scan (awl/scan.ts), not by the scanner.
    if (EVAL_REGISTRY.inactive.get(m[1]!) === 'awl') continue;
    const def = EVAL_REGISTRY.active.get(m[1]!);
    assert.ok(def, `${r.name} (${r.file}) calls unregistered eval ${m[1]}`);
    const area = r.type === 'mimeheader' ? 'header' : r.type;
    assert.ok(def.areas.includes(area as never), `${r.name}: eval ${m[1]} not allowed in a ${r.type} rule`);
  }
});

test('every scored or described rule exists; every visible rule has a describe and a score', () => {
  const lines = ruleLines();
  const defined = new Set(lines.filter((l) => RULE_TYPES.has(l.type)).map((l) => l.name));
  const described = new Set(lines.filter((l) => l.type === 'describe').map((l) => l.name));
  const scored = new Set(lines.filter((l) => l.type === 'score').map((l) => l.name));
  // The AWL's score is the adjustment it computes; SpamAssassin's AWL rule has no score line either.
  scored.add('AWL');
  for (const n of [...scored, ...described]) assert.ok(defined.has(n), `${n} is scored or described but never defined`);
  for (const n of defined) {
    if (n.startsWith('__')) continue;
    assert.ok(described.has(n), `${n} has no describe`);
    assert.ok(scored.has(n), `${n} has no score`);
  }
});

test('the set is large and varied enough: at least 150 rules, each type used', () => {
  const visible = ruleLines().filter((l) => RULE_TYPES.has(l.type) && !l.name.startsWith('__'));
  assert.ok(visible.length >= 150, `only ${visible.length} rules`);
  const evals = visible.filter((l) => l.rest.startsWith('eval:')).length;
  for (const type of ['header', 'body', 'rawbody', 'uri', 'meta']) assert.ok(visible.some((l) => l.type === type), `no ${type} rule`);
  assert.ok(evals >= 20, `only ${evals} eval rules`);
});

test('every visible rule has at least one hit case, and every case names a real rule', () => {
  const visible = new Set(ruleLines().filter((l) => RULE_TYPES.has(l.type) && !l.name.startsWith('__')).map((l) => l.name));
  const feedback = new Set(ruleLines().filter((l) => FEEDBACK_RULE.test(l.rest)).map((l) => l.name));
  // A meta on a feedback rule cannot hit without a database either (bayes-awl-default.test.ts tests it).
  for (const l of ruleLines()) if (l.type === 'meta' && l.rest.split(/[^\w]+/).some((w) => feedback.has(w))) feedback.add(l.name);
  for (const n of visible) if (!feedback.has(n)) assert.ok(ALL_CASES[n] && ALL_CASES[n].hit.length > 0, `${n} has no hit case`);
  for (const n of Object.keys(ALL_CASES)) assert.ok(visible.has(n) && !feedback.has(n), `case for unknown rule ${n}`);
});

test('a plain personal message scores nothing worth mentioning', () => {
  const r = scanMail({});
  assert.ok(r.score < 1, `clean mail scored ${r.score}: ${r.tests.join(',')}`);
});
