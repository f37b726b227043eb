/**
 * DNSEval's name checks against a real DNS server: which names each asks (as SpamAssassin
 * 4.0.1 was seen to ask them for the same message), and that a listed one hits.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TestDnsServer } from '../helpers/dns-server';
import { netCheck, rulesFrom } from '../helpers/net-check';

let server: TestDnsServer;

before(async () => {
  server = await TestDnsServer.start();
  // env.example.com has no records: its NS answer is NXDOMAIN with example.com's SOA (MNAME ns.example.com).
  server.soa('example.com', 300).add('ns.example.com.ns.test', 'A', '127.0.0.2');
  server.add('example.co.uk.fd.test', 'A', '127.0.0.2').add('h3.rdns.example.com.rc.test', 'A', '127.0.0.3');
});

after(async () => {
  await server.stop();
});

/** Three untrusted relays (the last, most remote, is 9.8.7.6), an envelope sender, Reply-To, X-Source-IP. */
const MSG = [
  'Return-Path: <bounce@env.example.com>',
  'Received: from h1.example.org (h1.rdns.example.org [1.2.3.4])\n\tby mx0.local (Postfix) with ESMTP id Q0; Mon, 7 Dec 2026 00:00:00 +0000',
  'Received: from h2.helo.example.net (h2.rdns.example.net [5.6.7.1])\n\tby mx1.local (Postfix) with ESMTP id Q1; Mon, 7 Dec 2026 00:00:00 +0000',
  'Received: from h3.helo.example.com (h3.rdns.example.com [9.8.7.6])\n\tby h3by.example.info (Postfix) with ESMTP id Q2; Mon, 7 Dec 2026 00:00:00 +0000',
  'From: Someone <a@sub.from.example.co.uk>',
  'Reply-To: r@reply.example.info',
  'X-Source-IP: 6.7.8.9',
  'To: b@example.net',
  'Subject: hi',
  'Date: Mon, 7 Dec 2026 00:00:00 +0000',
  'Message-ID: <x@example.org>',
  '',
  'hello',
  '',
].join('\n');

async function check(test: string, zone: string, extra: string[] = [], tflags = ''): Promise<{ asked: string[]; hit: boolean }> {
  server.received.length = 0;
  const cf = ['trusted_networks 10.0.0.0/8', ...extra, `header Z_N eval:${test}`, `tflags Z_N net ${tflags}`, 'score Z_N 0.1'];
  const { result } = await netCheck(MSG, rulesFrom(cf.join('\n')), server);
  const asked = server.received.filter((q) => q.name.endsWith(`.${zone}`)).map((q) => q.name.slice(0, -zone.length - 1));
  return { asked: asked.sort(), hit: result.counts.has('Z_N') };
}

describe('DNSEval name checks', () => {
  const rows: { test: string; zone: string; extra?: string[]; tflags?: string; asked: string[]; hit: boolean }[] = [
    { test: "check_rbl_from_host('fh', 'fh.test.')", zone: 'fh.test', asked: ['env.example.com', 'sub.from.example.co.uk'], hit: false },
    { test: "check_rbl_from_domain('fd', 'fd.test.')", zone: 'fd.test', asked: ['example.co.uk', 'example.com'], hit: true },
    { test: "check_rbl_from_domain('fd', 'fd.test.', '127.0.0.3')", zone: 'fd.test', asked: ['example.co.uk', 'example.com'], hit: false },
    { test: "check_rbl_envfrom('ef', 'ef.test.')", zone: 'ef.test', asked: ['env.example.com'], hit: false },
    // Default rbl_headers: EnvelopeFrom, Reply-To, Disposition-Notification-To, X-WebmailclientIP, X-Source-IP.
    { test: "check_rbl_headers('hd', 'hd.test.')", zone: 'hd.test', asked: ['9.8.7.6', 'env.example.com', 'reply.example.info'], hit: false },
    { test: "check_rbl_headers('hd', 'hd.test.', '', 'Reply-To')", zone: 'hd.test', asked: ['reply.example.info'], hit: false },
    { test: "check_rbl_headers('hd', 'hd.test.')", zone: 'hd.test', extra: ['rbl_headers X-Source-IP'], asked: ['9.8.7.6'], hit: false },
    // The most remote untrusted relay: its address reversed, then its by, HELO and rDNS names.
    // NS of the envelope sender's host, then the SOA MNAME of that answer under the zone.
    { test: "check_rbl_ns_from('ns', 'ns.test.')", zone: 'ns.test', asked: ['ns.example.com'], hit: true },
    { test: "check_rbl_ns_from('ns', 'ns.test.', '127.0.0.3')", zone: 'ns.test', asked: ['ns.example.com'], hit: false },
    { test: "check_rbl_rcvd('rc', 'rc.test.')", zone: 'rc.test', asked: ['6.7.8.9', 'h3.helo.example.com', 'h3.rdns.example.com', 'h3by.example.info'], hit: true },
    // tflags ips_only / domains_only keep the addresses / the names.
    { test: "check_rbl_rcvd('rc', 'rc.test.')", zone: 'rc.test', tflags: 'ips_only', asked: ['6.7.8.9'], hit: false },
    { test: "check_rbl_rcvd('rc', 'rc.test.')", zone: 'rc.test', tflags: 'domains_only', asked: ['h3.helo.example.com', 'h3.rdns.example.com', 'h3by.example.info'], hit: true },
    { test: "check_rbl_headers('hd', 'hd.test.')", zone: 'hd.test', tflags: 'ips_only', asked: ['9.8.7.6'], hit: false },
    { test: "check_rbl_from_host('fh', 'fh.test.')", zone: 'fh.test', tflags: 'ips_only', asked: [], hit: false },
  ];
  for (const row of rows) {
    test(`${row.test}${row.extra ? ` (${row.extra.join('; ')})` : ''}${row.tflags ? ` tflags ${row.tflags}` : ''}`, async () => {
      const got = await check(row.test, row.zone, row.extra, row.tflags);
      assert.deepEqual(got, { asked: [...row.asked].sort(), hit: row.hit });
    });
  }

  test('skip_rbl_checks turns them off', async () => {
    const got = await check("check_rbl_from_domain('fd', 'fd.test.')", 'fd.test', ['skip_rbl_checks 1']);
    assert.deepEqual(got, { asked: [], hit: false });
  });
});
