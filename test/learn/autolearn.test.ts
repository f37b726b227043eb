import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { autoLearnDecision, autoLearnForScan, autoLearnHits, autoLearnSettings, autoLearnTag, type AutoLearnHit } from '../../src/learn/autolearn';
import type { RuleSet } from '../../src/config/compile';
import { scan } from '../../src/index';
import { rulesFrom } from '../awl/helpers';

// Rules keyed on words of the Subject (header rules) and the body. Every expectation
// in the scan-based tests below is what SpamAssassin 4.0.1 decided (-D learn) for the
// same rules and message.
const CF = `
loadplugin Mail::SpamAssassin::Plugin::Check
loadplugin Mail::SpamAssassin::Plugin::MIMEHeader
required_score 5
header H1 Subject =~ /\\bh1\\b/
score H1 1
header H3 Subject =~ /\\bh3\\b/
score H3 3
header H10 Subject =~ /\\bh10\\b/
score H10 10
header HN Subject =~ /\\bhn\\b/
score HN -1
body B1 /\\bb1\\b/
score B1 1
body B3 /\\bb3\\b/
score B3 3
body B10 /\\bb10\\b/
score B10 10
rawbody R3 /\\br3\\b/
score R3 3
full F3 /\\bf3\\b/
score F3 3
uri UR3 /urithree/
score UR3 3
header __MH Subject =~ /\\bmx\\b/
body __MB /\\bmx\\b/
full __MF /\\bmxf\\b/
header __MH2 Subject =~ /\\bmy\\b/
meta MHB (__MH + __MB) >= 1
score MHB 4
meta MH2H (__MH && __MH2)
score MH2H 4
meta __MINNER (__MH || __MB)
meta MNEST (__MINNER && __MH2)
score MNEST 4
meta MFULL (__MF)
score MFULL 4
meta MAB (__MH || __MB)
score MAB 4
tflags MAB autolearn_body
header AH Subject =~ /\\bah3\\b/
score AH 3
tflags AH autolearn_body
body AB /\\bab3\\b/
score AB 3
tflags AB autolearn_header
header AF Subject =~ /\\baf\\b/
score AF 1
tflags AF autolearn_force
header AF2 Subject =~ /\\baf2\\b/
score AF2 1
tflags AF2 autolearn_force
header NL Subject =~ /\\bnl10\\b/
score NL 10
tflags NL noautolearn
header UC Subject =~ /\\buc10\\b/
score UC 10
tflags UC userconf
header LR Subject =~ /\\blr3\\b/
score LR 3
tflags LR learn
header LRN Subject =~ /\\blrn3\\b/
score LRN -3
tflags LRN learn
header LR05 Subject =~ /\\blr05\\b/
score LR05 0.5
tflags LR05 learn
header T01 Subject =~ /\\bt01\\b/
score T01 0.1
header T009 Subject =~ /\\bt009\\b/
score T009 0.099
`;

let rules: RuleSet | undefined;
const ruleSet = (): RuleSet => (rules ??= rulesFrom(CF));

function decide(subject: string, body: string, extra: Record<string, string> = {}) {
  const rs = ruleSet();
  const raw = Buffer.from(`From: a@example.net\nTo: me@local.test\nSubject: ${subject}\nMessage-ID: <1@x>\n\n${body}\n`);
  const result = scan(raw, rs);
  if (Object.keys(extra).length === 0) return autoLearnForScan(result, rs);
  return autoLearnDecision(autoLearnHits(result, rs.compiled, rs.disabled), result.scoreSet, autoLearnSettings({ ...rs.options, ...extra }));
}

describe('auto-learn thresholds (scanned messages, SpamAssassin 4.0.1 answers)', () => {
  const cases: [string, string, string, string][] = [
    // subject, body, status, why
    ['nothing', 'nothing', 'ham', 'score 0 < 0.1'],
    ['hn', 'nothing', 'ham', 'negative score'],
    ['t009', 'zzz', 'ham', '0.099 < 0.1'],
    ['t01', 'zzz', 'no', '0.1 is not below 0.1'],
    ['h3', 'b3 r3 http://urithree.example.com/', 'spam', 'exactly 12, 3 header and 9 body points'],
    ['h10 h3', 'b1', 'no', 'only 1 body point'],
    ['h10 h3', 'nothing', 'no', 'no body points'],
    ['h10 h3', 'b3', 'spam', '16, 13 header, 3 body'],
    ['h1', 'b10 b3', 'no', 'only 1 header point'],
    ['h10 af', 'nothing', 'no', 'autolearn_force keeps the 12-point threshold'],
    ['h10 h3 af', 'nothing', 'spam', 'autolearn_force lifts the header/body condition'],
    ['af', 'b10 b3', 'spam', 'autolearn_force: 1 header point is enough'],
    ['h3 nl10', 'b3 r3 b1', 'no', 'noautolearn points left out (score 10, not 20)'],
    ['h3 nl10', 'b3 r3 b1 b3 http://urithree.example.com/', 'spam', 'noautolearn left out, the rest reaches 13'],
    ['h3 uc10', 'b3 r3 b1', 'no', 'userconf points left out'],
    ['h3 lr3', 'b3 r3 http://urithree.example.com/', 'spam', 'learn (Bayes) points left out of the score'],
    ['h3 lrn3', 'b3 r3 http://urithree.example.com/', 'no', 'learner said ham (-3 < -1)'],
    ['hn lr3', 'x', 'no', 'learner said spam (3 > 1)'],
    ['hn lr05', 'x', 'ham', 'learner points 0.5 are not a disagreement'],
    ['hn lrn3', 'x', 'ham', 'learner agrees'],
  ];
  for (const [subject, body, status, why] of cases) {
    it(`${subject} | ${body} -> ${status} (${why})`, () => assert.equal(decide(subject, body).status, status));
  }
});

describe('header and body points (SpamAssassin 4.0.1 -D learn)', () => {
  it('header, body, rawbody, uri; full counts for neither; autolearn_header/_body override the type', () => {
    // SA: H10 header, AH body (autolearn_body), AB header (autolearn_header), B1/UR3/R3 body, F3 ignored.
    const d = decide('h10 ah3', 'r3 f3 b1 ab3 http://urithree.example.com/');
    assert.deepEqual([d.headerPoints, d.bodyPoints, d.points], [13, 10, 26]);
  });
  it('metas split by the types of their direct dependencies, hit or not; nested metas and full rules do not count', () => {
    // SA: MHB 2/2 (1/1 ratio), MH2H 4/0, MNEST 4/0 (its meta dependency ignored), MAB all body, MFULL neither.
    const d = decide('mx my', 'nothing');
    assert.deepEqual([d.headerPoints, d.bodyPoints], [2 + 4 + 4, 2 + 4]);
    const f = decide('h10', 'mx mxf');
    assert.deepEqual([f.headerPoints, f.bodyPoints, f.points], [10 + 2, 2 + 4, 10 + 4 + 4 + 4]);
  });
  it('a mimeheader rule counts as body', () => {
    const rs = rulesFrom(CF + 'mimeheader MH3 Content-Type =~ /mh3/\nscore MH3 3\n');
    const raw = Buffer.from('From: a@x.com\nSubject: h10\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary="bb"\n\n--bb\nContent-Type: text/plain; mh3=1\n\nhello\n--bb--\n');
    const r = scan(raw, rs);
    const d = autoLearnDecision(autoLearnHits(r, rs.compiled, rs.disabled), r.scoreSet, autoLearnSettings(rs.options));
    assert.deepEqual([d.headerPoints, d.bodyPoints], [10, 3]);
  });
});

describe('autolearn_force and the _AUTOLEARN_ tag', () => {
  it('forcing rules are reported only when the spam branch is taken', () => {
    assert.deepEqual(decide('h10 h3 af af2', 'b1').forcedBy, ['AF', 'AF2']);
    assert.deepEqual(decide('h10 af', 'nothing').forcedBy, []);
  });
  it('tag strings as SpamAssassin 4.0.1 prints them', () => {
    assert.equal(autoLearnTag('spam', ['AF', 'AF2']), 'spam autolearn_force=yes (AF,AF2)');
    assert.equal(autoLearnTag('no'), 'no autolearn_force=no');
    assert.equal(autoLearnTag('ham'), 'ham autolearn_force=no');
    assert.equal(autoLearnTag('unavailable', ['AF']), 'unavailable autolearn_force=yes (AF)');
    assert.equal(autoLearnTag('disabled'), 'disabled');
  });
});

describe('settings', () => {
  it('bayes_auto_learn 0 or use_bayes 0: disabled, with the points still computed', () => {
    for (const o of [{ bayes_auto_learn: '0' }, { use_bayes: '0' }] as Record<string, string>[]) {
      const d = decide('hn', 'zzz', o);
      assert.equal(d.status, 'disabled');
      assert.equal(d.points, -1);
    }
  });
  it('thresholds are configurable', () => {
    const o = { bayes_auto_learn_threshold_spam: '20', bayes_auto_learn_threshold_nonspam: '-2' };
    assert.equal(decide('h10 h3', 'b3 zzz', o).status, 'no');
    assert.equal(decide('hn', 'zzz', o).status, 'no');
    assert.equal(decide('h10 h3', 'b10 b3 zzz', o).status, 'spam');
  });
  it('defaults', () => {
    assert.deepEqual(autoLearnSettings({}), { enabled: true, useLearner: true, nonspamThreshold: 0.1, spamThreshold: 12, onError: false });
  });
  it('use_learner 0 does not change the decision (SpamAssassin then reports spam/ham as unavailable)', () => {
    assert.equal(autoLearnSettings({ use_learner: '0' }).useLearner, false);
    assert.equal(decide('h10 h3', 'b3', { use_learner: '0' }).status, 'spam');
  });
});

/** A hit built by hand, for score-set and Bayes cases a local scan cannot reach. */
function hit(name: string, area: AutoLearnHit['area'], scores: number | [number, number, number, number], tflags = ''): AutoLearnHit {
  const s: [number, number, number, number] = typeof scores === 'number' ? [scores, scores, scores, scores] : scores;
  return { name, area, tflags: new Set(tflags.split(' ').filter(Boolean)), scores: s };
}

describe('score sets and bayes_auto_learn_on_error (hits by hand; cases observed with a trained SpamAssassin)', () => {
  const on = autoLearnSettings({ bayes_auto_learn_on_error: '1' });
  const off = autoLearnSettings({});
  const spamHits = [hit('H10', 'header', 10), hit('H3', 'header', 3), hit('B3', 'body', 3)];
  it('scanned with set 2 (Bayes): points from set 0, learner points from set 2', () => {
    const d = autoLearnDecision([...spamHits, hit('S4', 'header', [1, 1, 7, 7]), hit('BAYES_99', 'body', [0, 0, 3.5, 3.5], 'learn')], 2, off);
    assert.deepEqual([d.status, d.points, d.scoreSet, d.learnedPoints], ['spam', 17, 0, 3.5]);
  });
  it('set 3 learns from set 1', () => assert.equal(autoLearnDecision([hit('S', 'header', [1, 2, 3, 4])], 3, off).points, 2));
  it('on_error: BAYES_99 already said spam -> no', () => {
    assert.equal(autoLearnDecision([...spamHits, hit('BAYES_99', 'body', [0, 0, 3.5, 3.5], 'learn')], 2, on).status, 'no');
    assert.equal(autoLearnDecision([...spamHits, hit('BAYES_95', 'body', [0, 0, 3, 3], 'learn')], 2, on).status, 'spam');
  });
  it('on_error: BAYES_00 already said ham -> no; without on_error it learns', () => {
    const ham = [hit('HN', 'header', -1), hit('BAYES_00', 'body', [0, 0, -1.9, -1.9], 'nice learn')];
    assert.equal(autoLearnDecision(ham, 2, on).status, 'no');
    assert.equal(autoLearnDecision(ham, 2, off).status, 'ham');
  });
  it('a rule scoring 0 in the learning set adds nothing', () => {
    const d = autoLearnDecision([...spamHits, hit('NET', 'header', [0, 5, 0, 5], 'net')], 2, off);
    assert.equal(d.points, 16);
  });
});
