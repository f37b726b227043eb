/** check_bayes and the scanner's score-set switch. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, scan } from '../../src/index';
import { evalContext } from '../helpers/eval-context';
import { EVAL_REGISTRY } from '../../src/eval';

const BUCKETS: ReadonlyArray<[string, string, string]> = [
  ['BAYES_00', '0.00', '0.01'], ['BAYES_05', '0.01', '0.05'], ['BAYES_20', '0.05', '0.20'], ['BAYES_40', '0.20', '0.40'],
  ['BAYES_50', '0.40', '0.60'], ['BAYES_60', '0.60', '0.80'], ['BAYES_80', '0.80', '0.95'], ['BAYES_95', '0.95', '0.99'],
  ['BAYES_99', '0.99', '1.00'], ['BAYES_999', '0.999', '1.00'],
];

const cases: ReadonlyArray<[number, string[]]> = [
  [0, ['BAYES_00']], [0.01, ['BAYES_00']], [0.0100001, ['BAYES_05']], [0.5, ['BAYES_50']], [0.6, ['BAYES_50']],
  [0.95, ['BAYES_80']], [0.995, ['BAYES_99']], [0.9995, ['BAYES_99', 'BAYES_999']], [1, ['BAYES_99', 'BAYES_999']],
];

for (const [p, expected] of cases) {
  test(`check_bayes: probability ${p} lands in ${expected.join(' + ')}`, () => {
    const fn = EVAL_REGISTRY.active.get('check_bayes')!.fn;
    const hits: string[] = [];
    for (const [name, min, max] of BUCKETS) {
      const ctx = evalContext('Subject: x\n\nbody\n');
      ctx.bayes = { probability: () => p };
      if (fn(ctx, [min, max])) hits.push(name);
    }
    assert.deepEqual(hits, expected);
  });
}

test('check_bayes: no Bayes or no verdict never hits', () => {
  const fn = EVAL_REGISTRY.active.get('check_bayes')!.fn;
  const ctx = evalContext('Subject: x\n\nbody\n');
  assert.equal(fn(ctx, ['0.00', '0.01']), false);
  ctx.bayes = { probability: () => undefined };
  assert.equal(fn(ctx, ['0.00', '0.01']), false);
});

test('scan: an available Bayes switches to score set 2 and its BAYES_ rule scores', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'hamlet-bayes-rules-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(
    join(dir, '23_bayes.cf'),
    [
      "body BAYES_99 eval:check_bayes('0.99', '1.00')",
      'score BAYES_99 0 0 3.5 3.5',
      'body HAS_WORD /money/',
      'score HAS_WORD 1.0 1.0 0.5 0.5',
    ].join('\n') + '\n',
  );
  const rules = loadConfig({ configPath: dir });
  const msg = Buffer.from('Subject: x\n\nmoney\n');
  const plain = scan(msg, rules);
  assert.equal(plain.scoreSet, 0);
  assert.deepEqual(plain.tests, ['HAS_WORD']);
  const withBayes = scan(msg, rules, { bayes: { available: () => true, probability: () => 0.995 } });
  assert.equal(withBayes.scoreSet, 2);
  assert.deepEqual(withBayes.tests, ['BAYES_99', 'HAS_WORD']);
  assert.equal(withBayes.score, 4);
  const untrained = scan(msg, rules, { bayes: { available: () => false, probability: () => 0.995 } });
  assert.equal(untrained.scoreSet, 0);
});
