/** What is fitted and how it is written: the design's fixed rules and bounds, the split, score lines, mass-check lines. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { rulesFrom } from '../helpers/net-check';
import { buildDesign, problemFor } from '../../src/rescore/problem';
import { fitScores, rowScores } from '../../src/rescore/fit';
import { holdoutMask, foldOf } from '../../src/rescore/corpus';
import { cfScore, scoreLine } from '../../src/rescore/score-lines';
import { massCheckLine } from '../../src/rescore/mass-check';
import type { ScannedMessage } from '../../src/rescore/scan-corpus';

const CF = `
body GTUBE /XJS\\*C4JDBQADN1/
score GTUBE 1000
body T_SPAMMY /buy now/
score T_SPAMMY 1.5
body T_HAMMY /meeting/
score T_HAMMY -1
body T_NICE /unsubscribe/
tflags T_NICE nice
score T_NICE 0.5
body T_PINNED /offer/
score T_PINNED 2
body T_FOUR /cheap/
score T_FOUR 0.5 0.6 0.7 0.8
body T_OFF /never/
score T_OFF 0
body T_LISTED /listed/
tflags T_LISTED userconf
score T_LISTED -3
body __T_SUB /sub/
meta T_META __T_SUB && T_SPAMMY
score T_META 1
`;

function message(i: number, spam: boolean, tests: string[], score: number, time?: number): ScannedMessage {
  return { id: `m${i}`, spam, format: 'f', time, tests: [...tests].sort(), subtests: [], score, scoreSet: 0, bayes: undefined, scanSeconds: 0 };
}

describe('buildDesign', () => {
  const rules = rulesFrom(CF);
  const msgs: ScannedMessage[] = [];
  const all = ['GTUBE', 'T_SPAMMY', 'T_HAMMY', 'T_NICE', 'T_PINNED', 'T_FOUR', 'T_LISTED', 'T_META'];
  const score: Record<string, number> = { GTUBE: 1000, T_SPAMMY: 1.5, T_HAMMY: -1, T_NICE: 0.5, T_PINNED: 2, T_FOUR: 0.5, T_LISTED: -3, T_META: 1 };
  for (let i = 0; i < 40; i++) {
    const spam = i % 2 === 1;
    const tests = all.filter((_, k) => (i + k) % 3 === 0 || (spam && k === 1) || (!spam && k === 2));
    msgs.push(message(i, spam, tests, tests.reduce((s, t) => s + score[t]!, 0)));
  }
  const train = new Uint8Array(msgs.length).fill(1);
  const d = buildDesign(msgs, train, rules, 0, new Set(['T_PINNED']));

  test('fixed rules are not fitted: GTUBE, --fixed, userconf, score 0, sub-rules', () => {
    assert.deepEqual([...d.names].sort(), ['T_FOUR', 'T_HAMMY', 'T_META', 'T_NICE', 'T_SPAMMY']);
  });

  test('sign bounds: spam sign >= 0, ham sign <= 0, nice <= 0 whatever its score', () => {
    const bound = (n: string): [number, number] => [d.lower[d.names.indexOf(n)]!, d.upper[d.names.indexOf(n)]!];
    assert.deepEqual(bound('T_SPAMMY'), [0, Infinity]);
    assert.deepEqual(bound('T_HAMMY'), [-Infinity, 0]);
    assert.deepEqual(bound('T_NICE'), [-Infinity, 0]);
  });

  test('the offset is what the fixed rules add, so scores before are reproduced', () => {
    const before = rowScores(d.hits, d.offset, d.current);
    msgs.forEach((m, i) => assert.ok(Math.abs(before[i]! - m.score) < 1e-9, `${m.id}: ${before[i]} = ${m.score}`));
    const f = fitScores(problemFor(d, train, 5, 10, 1));
    const after = rowScores(d.hits, d.offset, f.scores);
    // A message hitting GTUBE keeps its 1000 points whatever the fit does.
    msgs.forEach((m, i) => {
      if (m.tests.includes('GTUBE')) assert.ok(after[i]! > 900);
    });
  });

  test('only training rows are fitted: a rule hitting only held-out mail is not fitted', () => {
    const mask = Uint8Array.from(msgs, (m) => (m.tests.includes('T_FOUR') ? 0 : 1));
    assert.ok(!buildDesign(msgs, mask, rules, 0, new Set()).names.includes('T_FOUR'));
  });
});

describe('holdoutMask and folds', () => {
  test('the newest fraction of each class by Date is held out; undated mail by a hash', () => {
    const msgs = Array.from({ length: 100 }, (_, i) => message(i, i % 2 === 0, [], 0, i < 90 ? 1_000_000 + i : undefined));
    const mask = holdoutMask(msgs, 0.2);
    for (const spam of [false, true]) {
      const dated = msgs.map((m, i) => [m, i] as const).filter(([m]) => m.spam === spam && m.time !== undefined);
      const held = dated.filter(([, i]) => mask[i]);
      assert.equal(held.length, Math.round(dated.length * 0.2));
      const newestKept = Math.max(...dated.filter(([, i]) => !mask[i]).map(([m]) => m.time!));
      assert.ok(held.every(([m]) => m.time! > newestKept), 'held out mail is newer than every kept message');
    }
    assert.deepEqual(holdoutMask(msgs, 0.2), mask, 'stable');
    assert.equal(holdoutMask(msgs, 0).reduce((a, b) => a + b, 0), 0);
  });

  test('folds are stable and cover 0..k-1', () => {
    const seen = new Set(Array.from({ length: 200 }, (_, i) => foldOf(`id${i}`, 5)));
    assert.deepEqual([...seen].sort(), [0, 1, 2, 3, 4]);
    assert.equal(foldOf('x', 5), foldOf('x', 5));
  });
});

describe('score lines', () => {
  test('four scores stay four with only the fitted set changed; one score stays one', () => {
    assert.equal(scoreLine({ name: 'A', given: [0.5, 0.6, 0.7, 0.8], used: [0.5, 0.6, 0.7, 0.8], fitted: 1.234 }, 2), 'score A 0.5 0.6 1.234 0.8');
    assert.equal(scoreLine({ name: 'B', given: [2], used: [2, 2, 2, 2], fitted: 0.75 }, 0), 'score B 0.75');
    assert.equal(scoreLine({ name: 'C', given: undefined, used: [1, 1, 1, 1], fitted: 3 }, 0), 'score C 3');
  });

  test('a fitted score never rounds to 0 (the rule would stop running); three decimals', () => {
    assert.equal(cfScore(0.0001, 1), 0.001);
    assert.equal(cfScore(-0.0002, -1), -0.001);
    assert.equal(cfScore(1.23456, 1), 1.235);
  });
});

describe('massCheckLine', () => {
  test("SpamAssassin's layout: verdict, whole score, id, sorted rules and sub-rules, extras", () => {
    const m: ScannedMessage = { ...message(1, true, ['B_RULE', 'A_RULE'], 7.9, 1030015585), id: '/mail/spam 1', subtests: ['__SUB'], bayes: 0.99, format: 'm' };
    assert.equal(massCheckLine(m, 7.9, 5), 'Y  7 /mail/spam_1 A_RULE,B_RULE,__SUB time=1030015585,bayes=0.99,scantime=0,format=m,reuse=no\n');
    assert.equal(massCheckLine({ ...m, tests: [], subtests: [], time: undefined, bayes: undefined }, -2.5, 5), '. -2 /mail/spam_1  scantime=0,format=m,reuse=no\n');
    assert.equal(massCheckLine(m, 123.4, 5).slice(0, 6), 'Y 123 ');
  });
});
