/**
 * warmUp compiles a rule set's regexes ahead of the first scan; with `plainOver`, long
 * patterns are compiled without V8's regex optimisations. Neither may change what a scan finds,
 * on ASCII, Latin-1 or wider text, with counting (`multiple`) rules; nor may a server's long
 * patterns compiled optimised later, once busy (`tierUp`, regex-tier-up.ts).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config/load';
import { warmUp } from '../../src/engine/scanner';
import { optimisedTwins, TIER_UP_WINDOW } from '../../src/engine/regex-tier-up';
import { scan } from '../../src/index';

// Long patterns: alternations of many words, as the stock rules' look-alike classes are.
const words = (stem: string, n: number): string => Array.from({ length: n }, (_, i) => `${stem}${i}x`).join('|');
const RULES = [
  `body LONG_BODY /\\b(?:${words('prize', 60)}|caf\\xc3\\xa9 gratuit|lottery)\\b/i`,
  'score LONG_BODY 1',
  `body LONG_COUNT /(?:${words('win', 60)}|free)/i`,
  'tflags LONG_COUNT multiple maxhits=5',
  'score LONG_COUNT 0.5',
  `header LONG_SUBJ Subject =~ /(?:${words('offer', 60)}|urgent)/i`,
  'score LONG_SUBJ 1',
  'body SHORT_BODY /\\bclaim\\b/',
  'score SHORT_BODY 1',
].join('\n');

const MAILS = [
  'Subject: urgent\n\nYou won a lottery: claim it. free free free free free free\n',
  'Subject: hello \u2019quoted\u2019\n\nCaf\u00e9 gratuit \u2019n\u2019 free \u201cprize\u201d free, claim now \u4e2d\u6587\n',
  'Subject: nothing\n\nPlain text with no rule words at all.\n',
].map((m) => Buffer.from(m, 'utf8'));

function ruleSet(t: { after(fn: () => void): void }) {
  const dir = mkdtempSync(join(tmpdir(), 'hamlet-warm-up-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, '10_rules.cf'), RULES);
  return loadConfig({ configPath: dir });
}

const results = (rs: ReturnType<typeof loadConfig>): string[] => MAILS.map((m) => {
  const r = scan(m, rs);
  return `${r.tests.join(',')} ${r.score.toFixed(2)} ${[...r.counts].filter(([k]) => !k.startsWith('__')).map(([k, v]) => `${k}=${v}`).sort().join(',')}`;
});

test('scans after warmUp with long patterns compiled plain find what unwarmed scans find', (t) => {
  const cold = results(ruleSet(t));
  assert.match(cold[0]!, /LONG_BODY/);
  assert.match(cold[0]!, /LONG_COUNT=5/);
  assert.match(cold[1]!, /LONG_BODY/); // the Latin-1 alternative, on text with wider characters
  const plain = ruleSet(t);
  warmUp(plain.compiled, { plainOver: 100 });
  assert.deepEqual(results(plain), cold);
  const optimised = ruleSet(t);
  warmUp(optimised.compiled);
  assert.deepEqual(results(optimised), cold);
});

test('scans of a server whose long patterns were compiled plain, then optimised, find what cold scans find', (t) => {
  const cold = results(ruleSet(t));
  const rs = ruleSet(t);
  warmUp(rs.compiled, { plainOver: 100, tierUp: true });
  const before = optimisedTwins();
  // The long patterns are most of these scans' time: they earn their twins in the first window.
  for (let i = 0; i < TIER_UP_WINDOW; i++) results(rs);
  assert.ok(optimisedTwins() > before, 'some long pattern was compiled optimised');
  assert.deepEqual(results(rs), cold);
});
