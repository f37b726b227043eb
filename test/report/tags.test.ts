import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ScanResult } from '../../src/engine/types';
import { parseMessage } from '../../src/message/parse';
import { expandTags, type TagInput } from '../../src/report/tags';

const msg = parseMessage(Buffer.from('From: Someone <Some.One@Mail.Example.COM>\nSubject: hi\n\nhello\n'));
function input(score: number, isSpam: boolean, extra: Partial<TagInput> = {}): TagInput {
  const result: ScanResult = {
    score,
    required: 5,
    isSpam,
    hits: [
      { name: 'B_RULE', score: 1, describe: 'b', area: 'header', count: 1 },
      { name: 'A_RULE', score: -0.5, describe: 'a', area: 'body', count: 1 },
    ],
    tests: ['A_RULE', 'B_RULE'],
    counts: new Map([['A_RULE', 1], ['B_RULE', 1], ['__SUB_Z', 1], ['__SUB_A', 3], ['__lower', 1]]),
    scoreSet: 0,
    timedOut: false,
    ms: 1,
  };
  return { result, msg, version: '0.1.0', subversion: 'sv', hostname: 'h', contact: 'c', autolearn: 'disabled', ...extra };
}

test('tags with and without arguments, as SpamAssassin 4.0.1 expands them', () => {
  const cases: [string, number, boolean, string][] = [
    ['_YESNO_ _YESNOCAPS_ _YESNO(s,h)_ _YESNOCAPS(s,h)_', 7.25, true, 'Yes YES s S'],
    ['_YESNO(s,h)_', 1, false, 'h'],
    ['_SCORE_ _SCORE(0)_ _SCORE(00)_ _HITS_ _REQD_', 2.4, false, '2.4 02.4 002.4 2.4 5.0'],
    ['_SCORE(0)_', 12.3, true, '12.3'],
    ['_SCORE_', 4.96, false, '4.9'], // rounds to 5.0 but is ham: shown below the threshold
    ['_SCORE_', 0.25, false, '0.2'], // printf rounds a tie to even
    ['[_STARS_][_STARS(+)_]', 3.9, false, '[***][+++]'],
    ['_STARS_', 1000, true, '*'.repeat(50)],
    ['_STARS_', -3, false, ''],
    ['_TESTS_ _TESTS(;)_', 1, false, 'A_RULE,B_RULE A_RULE;B_RULE'],
    ['_TESTSSCORES_', 1, false, 'A_RULE=-0.5,B_RULE=1'],
    ['_SUBTESTS_', 1, false, '__SUB_A,__SUB_A,__SUB_A,__SUB_Z,__lower'],
    ['_SUBTESTSCOLLAPSED(|)_', 1, false, '__SUB_A(3)|__SUB_Z|__lower'],
    ['_AUTHORDOMAIN_ _HEADER(From:addr)_', 1, false, 'mail.example.com Some.One@Mail.Example.COM'],
    ['_VERSION_ (_SUBVERSION_) on _HOSTNAME_ _CONTACTADDRESS_', 1, false, '0.1.0 (sv) on h c'],
    ['_NOSUCHTAG_ _DCCB_|_AWL_|', 1, false, '_NOSUCHTAG_ ||'],
    ['_BAYES_ _AUTOLEARN_ _AUTOLEARNSCORE_', 1, false, '0.5 disabled 0'],
  ];
  for (const [template, score, spam, want] of cases) assert.equal(expandTags(template, input(score, spam)), want, template);
});

test('extra tags (spamd, plugins) override and add', () => {
  const t = input(1, false, { extra: { REMOTEHOSTNAME: 'client.example', MINE: 'x' } });
  assert.equal(expandTags('_REMOTEHOSTNAME_ _MINE_', t), 'client.example x');
});
