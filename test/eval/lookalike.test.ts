import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runEval } from '../helpers/eval-context';
import { lookalikeKind } from '../../src/eval/lookalike';

test('lookalikeKind', () => {
  const cases: Array<[string, ReturnType<typeof lookalikeKind>]> = [
    ['www.paypal.com', undefined],
    ['paypal.co.uk', undefined],
    ['www.paypa1.com', 'digits'],
    ['rnicrosoft.com', 'digits'],
    ['arnazon-support.net', 'digits'],
    ['micros0ft-login.com', 'digits'],
    ['paypal-secure.com', 'embedded'],
    ['secure-paypal.net', 'embedded'],
    ['appleidverify.com', 'embedded'],
    ['netflixbilling.com', 'embedded'],
    ['pineapple.com', undefined],
    ['applebees.com', undefined],
    ['www.paypal.com.verify.example.ru', 'subdomain'],
    ['amazon.com.orders.example.net', 'subdomain'],
    ['mail.amazon.com', undefined],
    ['203.0.113.5', undefined],
    ['example.org', undefined],
    ['ups-tracking.example.com', undefined],
    ['login.microsoftonline.com', undefined],
    ['www.paypal-community.com', undefined],
    ['www.ebay-kleinanzeigen.de', undefined],
    ['login-microsoftonline.example.xyz', undefined],
    ['login-microsoftonline.com', 'embedded'],
    ['amazon.co.uk.orders.example.net', 'subdomain'],
  ];
  for (const [host, want] of cases) assert.equal(lookalikeKind(host), want, host);
});

const linkMsg = (url: string): string => `From: a@example.org\nSubject: x\n\nsee ${url} today\n`;

test('check_lookalike_domain reads link hosts or the From domain', () => {
  assert.equal(runEval('check_lookalike_domain', linkMsg('https://www.paypa1.com/x'), ['uri', 'digits']), true);
  assert.equal(runEval('check_lookalike_domain', linkMsg('https://www.paypa1.com/x'), ['uri', 'embedded']), false);
  assert.equal(runEval('check_lookalike_domain', linkMsg('https://www.paypal.com/x'), ['uri', 'digits']), false);
  assert.equal(runEval('check_lookalike_domain', 'From: x <x@paypal-secure.com>\n\nhi\n', ['from', 'embedded']), true);
  assert.equal(runEval('check_lookalike_domain', 'From: x <x@paypal.com>\n\nhi\n', ['from', 'embedded']), false);
});

test('check_punycode_domain', () => {
  assert.equal(runEval('check_punycode_domain', linkMsg('https://xn--pypal-4ve.com/')), true);
  assert.equal(runEval('check_punycode_domain', linkMsg('https://www.example.com/')), false);
  assert.equal(runEval('check_punycode_domain', 'From: x <x@xn--pypal-4ve.com>\n\nhi\n', ['from']), true);
  assert.equal(runEval('check_punycode_domain', 'From: x <x@example.com>\n\nhi\n', ['from']), false);
});
