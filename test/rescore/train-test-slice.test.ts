/**
 * The issue's check on hamlet-rescore as a user runs it: fit the default rules' scores on a slice
 * of TRAIN (easy-ham-1 + spam-1) with the CLI, then score a slice of TEST (easy-ham-2 +
 * hard-ham-1 + spam-2), which the fit never saw, with the hand scores and with the fitted ones.
 * The fitted scores must do at least as well: no more false positives, and no higher cost
 * (FN + fp-cost x FP, the quantity the fit weighs).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadConfig, scan, type RuleSet } from '../../src/index';
import { corpusFiles, type CorpusGroup } from '../helpers/corpus';

const ROOT = resolve(__dirname, '..', '..', '..');
const FP_COST = 10;

/** Every k-th file of a group: a slice spread over the whole group, the same on every run. */
function every(group: CorpusGroup, k: number): string[] {
  return corpusFiles(group).filter((_, i) => i % k === 0);
}

function verdicts(rs: RuleSet, ham: readonly string[], spam: readonly string[]): { fp: number; fn: number } {
  let fp = 0;
  let fn = 0;
  for (const f of ham) if (scan(readFileSync(f), rs, { scoreSet: 0 }).isSpam) fp++;
  for (const f of spam) if (!scan(readFileSync(f), rs, { scoreSet: 0 }).isSpam) fn++;
  return { fp, fn };
}

test('scores fitted on a TRAIN slice do at least as well on a TEST slice as the hand scores', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'hamlet-rescore-slice-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  // Not in the site directory: every *.cf there is read, and the hand scores would be the fitted ones.
  const site = join(dir, 'site');
  mkdirSync(site);
  const fitted = join(dir, 'fitted.cf');
  const trainHam = every('easy-ham-1', 8);
  const trainSpam = every('spam-1', 2);
  const r = spawnSync(
    'node',
    [join(ROOT, 'bin', 'hamlet-rescore.js'), '-C', join(ROOT, 'rules'), '--siteconfigpath', site, '-p', join(dir, 'none'), '--fp-cost', String(FP_COST), '--holdout', '0', '--ham', ...trainHam, '--spam', ...trainSpam, '-o', fitted],
    { encoding: 'utf8', maxBuffer: 64 << 20 },
  );
  assert.equal(r.status, 0, r.stderr);
  const scoreLines = readFileSync(fitted, 'utf8');
  assert.match(scoreLines, /^score \S+ /m, 'the fit wrote score lines');

  const base = { configPath: join(ROOT, 'rules'), siteConfigPath: site, userPrefs: join(dir, 'none') };
  const hand = loadConfig(base);
  const refit = loadConfig({ ...base, extraText: scoreLines });
  const testHam = [...every('easy-ham-2', 4), ...every('hard-ham-1', 2)];
  const testSpam = every('spam-2', 4);
  const before = verdicts(hand, testHam, testSpam);
  const after = verdicts(refit, testHam, testSpam);
  t.diagnostic(`TEST slice: ${testHam.length} ham, ${testSpam.length} spam; hand fp=${before.fp} fn=${before.fn}; fitted fp=${after.fp} fn=${after.fn}`);
  assert.ok(after.fp <= before.fp, `fitted scores: ${after.fp} false positives, hand scores ${before.fp}`);
  assert.ok(after.fn + FP_COST * after.fp <= before.fn + FP_COST * before.fp, `cost fitted ${after.fn + FP_COST * after.fp} > hand ${before.fn + FP_COST * before.fp}`);
  // The fit must have moved scores, or the comparison says nothing.
  const handScore = new Map([...hand.compiled.rules, ...hand.compiled.metas].map((x) => [x.name, x.scores[0]]));
  const moved = [...refit.compiled.rules, ...refit.compiled.metas].filter((x) => handScore.get(x.name) !== x.scores[0]);
  assert.ok(moved.length >= 10, `only ${moved.length} scores moved`);
});
