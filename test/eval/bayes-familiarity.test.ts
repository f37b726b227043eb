/**
 * check_bayes_unfamiliar and the familiarity a classification measures: the share of the
 * message's body tokens a real (SQLite) database knows, read from the one look-up.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bayesForMessage, classifyForScan, learn, openBayesStore } from '../../src/bayes/index';
import type { BayesFamiliarity } from '../../src/engine/types';
import { loadConfig, scan } from '../../src/index';
import { parseMessage } from '../../src/message/parse';
import { EVAL_REGISTRY } from '../../src/eval';
import { evalContext } from '../helpers/eval-context';
import { synthetic, tempDir, testSettings } from '../bayes/helpers';

const NOW = Date.UTC(2002, 6, 2) / 1000;
const def = EVAL_REGISTRY.active.get('check_bayes_unfamiliar')!;

function withFamiliarity(f: BayesFamiliarity | undefined): ReturnType<typeof evalContext> {
  const ctx = evalContext('Subject: x\n\nbody\n');
  ctx.bayes = { probability: () => 0.5, familiarity: () => f };
  return ctx;
}

test('check_bayes_unfamiliar: hits at or under the known share, with enough body tokens', () => {
  const f = { tokens: 200, known: 150, bodyTokens: 100, bodyKnown: 15 };
  assert.equal(def.fn(withFamiliarity(f), ['0.20', '20']), true);
  assert.equal(def.fn(withFamiliarity(f), ['0.15', '20']), true, 'the share is inclusive');
  assert.equal(def.fn(withFamiliarity(f), ['0.10', '20']), false);
  assert.equal(def.fn(withFamiliarity(f), ['0.20', '101']), false, 'too few body tokens to judge');
  assert.equal(def.fn(withFamiliarity({ ...f, bodyKnown: 60 }), ['0.20']), false);
  assert.equal(def.fn(withFamiliarity({ ...f, bodyTokens: 0, bodyKnown: 0 }), ['1']), false, 'no body text: nothing to judge');
});

test('check_bayes_unfamiliar: without Bayes, or Bayes without familiarity, it never hits', () => {
  const ctx = evalContext('Subject: x\n\nbody\n');
  assert.equal(def.fn(ctx, ['1']), false);
  ctx.bayes = { probability: () => 0.5 };
  assert.equal(def.fn(ctx, ['1']), false);
  assert.equal(def.fn(withFamiliarity(undefined), ['1']), false);
});

test('check_bayes_unfamiliar: bad arguments disable the rule with a reason', () => {
  assert.match(def.validate!([]) ?? '', /share/);
  assert.match(def.validate!(['1.5']) ?? '', /share/);
  assert.match(def.validate!(['0.2', 'many']) ?? '', /body tokens/);
  assert.equal(def.validate!(['0.2', '20']), undefined);
});

const UNKNOWN_TEXT = 'zorblax quintex fluvomir drakkon pellavine strombic ulvarin kexophane morvitz glandor plusheen vextramor';

function mail(body: string): ReturnType<typeof parseMessage> {
  return parseMessage(Buffer.from(`From: ham1 <ham1@ham.example.com>\nTo: user@example.org\nSubject: ham number 1\nDate: Mon, 01 Jul 2002 12:00:00 +0000\nMessage-ID: <probe@example.com>\n\n${body}\n`));
}

test('classification measures familiarity from its look-up: learned words known, new words not, headers apart', async (t) => {
  const dir = tempDir(t);
  const settings = testSettings({ bayes_min_spam_num: '10', bayes_min_ham_num: '10' });
  const store = openBayesStore(settings, { path: join(dir, 'bayes') });
  t.after(() => store.close());
  for (let i = 0; i < 10; i++) {
    await learn(store, synthetic('spam', i), true, settings, { now: NOW });
    await learn(store, synthetic('ham', i), false, settings, { now: NOW });
  }
  const familiar = (await classifyForScan(store, mail('meeting patch kernel review lunch deadline compiler thesis agenda release'), settings, { touch: false })).familiarity!;
  const unknown = (await classifyForScan(store, mail(UNKNOWN_TEXT), settings, { touch: false })).familiarity!;
  assert.ok(familiar.bodyTokens >= 10 && familiar.bodyKnown === familiar.bodyTokens, `familiar: ${JSON.stringify(familiar)}`);
  assert.ok(unknown.bodyTokens >= 12 && unknown.bodyKnown / unknown.bodyTokens < 0.1, `unknown: ${JSON.stringify(unknown)}`);
  // The headers are the same learned kind in both: known tokens beyond the body's.
  assert.ok(unknown.known > 0 && unknown.tokens > unknown.bodyTokens);

  const rulesDir = mkdtempSync(join(tmpdir(), 'hamlet-unfamiliar-rules-'));
  t.after(() => rmSync(rulesDir, { recursive: true, force: true }));
  writeFileSync(join(rulesDir, '50_unfamiliar.cf'), "body UNFAMILIAR eval:check_bayes_unfamiliar('0.2', '5')\nscore UNFAMILIAR 0 0 1.0 1.0\n");
  const rules = loadConfig({ configPath: rulesDir });
  const scanWithBayes = async (body: string) => {
    const msg = mail(body);
    return scan(msg, rules, { bayes: await bayesForMessage(store, msg, settings, { touch: false }) });
  };
  assert.deepEqual((await scanWithBayes(UNKNOWN_TEXT)).tests, ['UNFAMILIAR']);
  assert.deepEqual((await scanWithBayes('meeting patch kernel review lunch deadline compiler thesis agenda release')).tests, []);
});

test('an untrained database measures nothing: no familiarity, the rule cannot hit', async (t) => {
  const dir = tempDir(t);
  const settings = testSettings();
  const store = openBayesStore(settings, { path: join(dir, 'bayes') });
  t.after(() => store.close());
  await learn(store, synthetic('spam', 1), true, settings, { now: NOW });
  const answer = await classifyForScan(store, mail(UNKNOWN_TEXT), settings, { touch: false });
  assert.equal(answer.available, false);
  assert.equal(answer.familiarity, undefined);
});
