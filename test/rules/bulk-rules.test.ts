/** Hit and miss cases for the bulk-mail signs (see cases-bulk.ts), scanned in score set 2: they are scored only with Bayes. */
import test from 'node:test';
import assert from 'node:assert/strict';
import { bulkCases } from './cases-bulk';
import { runRuleCases, scanMail } from './rule-tester';

runRuleCases(bulkCases, 2);

test('without Bayes (score set 0) the bulk-mail signs do not run', () => {
  const spam = { headers: { From: 'Sales <sales12345@example.com>' }, text: 'Buy cheap cigarettes by mail. This is a one-time mailing.\n' };
  assert.ok((scanMail(spam, 2).counts.get('HL_OFFER_TOBACCO') ?? 0) > 0);
  assert.equal(scanMail(spam, 0).counts.get('HL_OFFER_TOBACCO'), undefined);
});
