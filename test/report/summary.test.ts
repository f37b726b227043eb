import { test } from 'node:test';
import assert from 'node:assert/strict';
import { summaryTable } from '../../src/report/summary';
import { fixed, tablePoints, tagScore } from '../../src/report/format';
import { wrapText } from '../../src/report/wrap';
import type { RuleHit } from '../../src/engine/types';

const hit = (name: string, score: number, describe: string, area: RuleHit['area'] = 'header'): RuleHit => ({ name, score, describe, area, count: 1 });

test('report table rows match SpamAssassin 4.0.1 byte for byte', () => {
  // Layout measured from real `spamassassin -t` output (shared/reference, section 5).
  const hits = [
    hit('BAYES_999', 0.2, 'Bayes spam probability is 99.9 to 100%', 'body'),
    hit('INVALID_DATE', 1.2, 'Invalid Date: header (not RFC 2822)'),
    hit('HEADER_FROM_DIFFERENT_DOMAINS', 1.0, 'From and EnvelopeFrom 2nd level mail domains are different'),
    hit('FREEMAIL_FORGED_FROMDOMAIN', 1.0, '2nd level domains in From and EnvelopeFrom freemail headers are different'),
    hit('MAILING_LIST_MULTI', -1.0, 'Multiple indicators imply a widely-seen list manager'),
    hit('GTUBE', 1000, 'Generic Test for Unsolicited Bulk Email', 'body'),
    hit('NO_RECEIVED', -0.001, 'Informational: message has no Received headers'),
  ];
  const want = [
    ' 0.2 BAYES_999              BODY: Bayes spam probability is 99.9 to 100%',
    ' 1.2 INVALID_DATE           Invalid Date: header (not RFC 2822)',
    ' 1.0 HEADER_FROM_DIFFERENT_DOMAINS From and EnvelopeFrom 2nd level mail',
    '                            domains are different',
    ' 1.0 FREEMAIL_FORGED_FROMDOMAIN 2nd level domains in From and EnvelopeFrom',
    '                             freemail headers are different',
    '-1.0 MAILING_LIST_MULTI     Multiple indicators imply a widely-seen list',
    '                            manager',
    '1000 GTUBE                  BODY: Generic Test for Unsolicited Bulk Email',
    '-0.0 NO_RECEIVED            Informational: message has no Received headers',
    '',
  ].join('\n');
  assert.equal(summaryTable(hits), want);
});

test('detail lines go under the description column', () => {
  const out = summaryTable([hit('FREEMAIL_FROM', 0, 'Sender email is commonly abused enduser mail provider')], {
    FREEMAIL_FROM: ['startnow2002(at)hotmail.com'],
  });
  assert.equal(
    out,
    ' 0.0 FREEMAIL_FROM          Sender email is commonly abused enduser mail provider\n' +
      '                            [startnow2002(at)hotmail.com]\n',
  );
});

test('number formats follow printf', () => {
  assert.equal(fixed(0.25, 1), '0.2');
  assert.equal(fixed(-0.25, 1), '-0.2');
  assert.equal(fixed(-0.001, 1), '-0.0');
  assert.equal(fixed(1001.998, 1), '1002.0');
  assert.equal(tablePoints(1000), '1000');
  assert.equal(tablePoints(-12.3), ' -12');
  assert.equal(tablePoints(2.5), ' 2.5');
  assert.equal(tagScore(4.96, 5, false), '4.9'); // a ham never shows the threshold
  assert.equal(tagScore(7.46, 5, true), '7.5');
});

test('X-Spam-Status folds after commas like SpamAssassin', () => {
  const value = 'Yes, score=9.8 required=5.0 tests=BAYES_99,BAYES_999,FORGED_HOTMAIL_RCVD2,FREEMAIL_FORGED_FROMDOMAIN,FREEMAIL_FROM,HEADER_FROM_DIFFERENT_DOMAINS,INVALID_DATE,MAILING_LIST_MULTI,RCVD_HELO_IP_MISMATCH,SUBJ_ALL_CAPS autolearn=disabled version=4.0.1';
  const folded = wrapText('X-Spam-Status!!' + value, { prefix: '\t', width: 79, breakAt: /(?<=[\s,])/ }).split('!!')[1];
  assert.equal(
    folded,
    'Yes, score=9.8 required=5.0 tests=BAYES_99,BAYES_999,\n' +
      '\tFORGED_HOTMAIL_RCVD2,FREEMAIL_FORGED_FROMDOMAIN,FREEMAIL_FROM,\n' +
      '\tHEADER_FROM_DIFFERENT_DOMAINS,INVALID_DATE,MAILING_LIST_MULTI,\n' +
      '\tRCVD_HELO_IP_MISMATCH,SUBJ_ALL_CAPS autolearn=disabled version=4.0.1',
  );
});
