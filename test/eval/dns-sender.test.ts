/**
 * check_dns_sender: the A and MX queries of the envelope sender's domain, and when it hits.
 * SpamAssassin 4.0.1 was seen not to hit on NXDOMAIN, no data or SERVFAIL (its test wants
 * records in a failed answer); the comparison against it is in dns-rbl-sa.test.ts.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { TestDnsServer } from '../helpers/dns-server';
import { netCheck, rulesFrom } from '../helpers/net-check';

let server: TestDnsServer;

before(async () => {
  server = await TestDnsServer.start();
  server.add('txtonly.com', 'TXT', 'v=spf1 -all').add('mxonly.com', 'MX', { preference: 10, exchange: 'mx.mxonly.com' }).behave('sf.com', { servfail: true });
});

after(async () => {
  await server.stop();
});

const CF = ['header Z_DS eval:check_dns_sender()', 'tflags Z_DS net', 'score Z_DS 0.1'];

function msg(returnPath: string): string {
  return `${returnPath}From: a@from.example.com\nTo: b@example.net\nSubject: hi\nMessage-ID: <x@example.org>\n\nhello\n`;
}

for (const domain of ['nx-domain.com', 'txtonly.com', 'mxonly.com', 'sf.com']) {
  test(`${domain}: asks A and MX once each, no hit`, async () => {
    server.received.length = 0;
    const { result } = await netCheck(msg(`Return-Path: <x@${domain.toUpperCase()}>\n`), rulesFrom(CF.join('\n')), server);
    assert.deepEqual(server.received.map((q) => `${q.type} ${q.name}`).sort(), [`A ${domain}`, `MX ${domain}`]);
    assert.equal(result.counts.has('Z_DS'), false);
  });
}

test('no envelope sender: nothing asked', async () => {
  server.received.length = 0;
  await netCheck(msg(''), rulesFrom(CF.join('\n')), server);
  assert.equal(server.received.length, 0);
});

test('skip_rbl_checks: nothing asked', async () => {
  server.received.length = 0;
  await netCheck(msg('Return-Path: <x@nx-domain.com>\n'), rulesFrom(['skip_rbl_checks 1', ...CF].join('\n')), server);
  assert.equal(server.received.length, 0);
});
