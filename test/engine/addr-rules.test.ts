/**
 * What a header rule on `:addr` matches when the header holds several addresses: every address,
 * one per line (observed from SpamAssassin 4.0.1: `From:addr =~ /PAY/` and `/\n/` hit on
 * `From: DONT@x.com, PAY@x.com`); evals keep reading the first address.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkMessage } from '../../src/check/index';
import { rulesFrom } from '../helpers/net-check';
import { parseMessage } from '../../src/message/parse';
import { headerRuleText, headerText, parseHeaderRequest, type HeaderRequest } from '../../src/message/header-access';

const RULES = rulesFrom(['header A_SECOND From:addr =~ /PAY\\@/', 'header A_NEWLINE From:addr =~ /\\n/', 'header A_END From:addr =~ /DONT\\@x\\.com$/', 'score A_SECOND 1', 'score A_NEWLINE 1', 'score A_END 1'].join('\n'));
const msg = (from: string): Buffer => Buffer.from(`From: ${from}\nTo: a@example.org\nSubject: s\n\nbody\n`);

test('several addresses: the rule sees each, one per line', () => {
  assert.deepEqual(checkMessage(msg('DONT@x.com, PAY@x.com,\n    TOP@x.com'), RULES).result.tests, ['A_NEWLINE', 'A_SECOND']);
});

test('one address: no newline, anchors as before', () => {
  assert.deepEqual(checkMessage(msg('Jo <DONT@x.com>'), RULES).result.tests, ['A_END']);
});

test('evals still read the first address (scalar get)', () => {
  const m = parseMessage(msg('DONT@x.com, PAY@x.com'));
  const req = parseHeaderRequest('From:addr') as HeaderRequest;
  assert.equal(headerText(m, req), 'DONT@x.com');
  assert.equal(headerRuleText(m, req), 'DONT@x.com\nPAY@x.com');
});
