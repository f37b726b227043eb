/**
 * hamlet's DNSEval and HashBL evals against real SpamAssassin 4.0.1, on the same test DNS server
 * and message: the same rules hit, the same names are asked, the same `_RBL_` lines. One
 * SpamAssassin run (a few seconds); skipped when `spamassassin` is not installed.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { TestDnsServer, type ReceivedQuery } from '../helpers/dns-server';
import { netCheck, rulesFrom } from '../helpers/net-check';
import { relayedMessage, rev } from '../helpers/rbl-message';
import { SaDnsRunner } from '../helpers/sa-dns';
import { haveSpamAssassin } from '../cli/sa-output';

const skip = !haveSpamAssassin() && 'spamassassin not installed';

let server: TestDnsServer;
let sa: SaDnsRunner;

before(async () => {
  if (skip) return;
  server = await TestDnsServer.start();
  sa = new SaDnsRunner(server);
  server
    .add(`${rev('2.2.2.2')}.zen.test`, 'A', '127.0.0.2')
    .add(`${rev('2.2.2.2')}.zen.test`, 'A', '127.0.0.4')
    .add(`${rev('3.3.3.3')}.zen.test`, 'A', '127.0.0.10')
    .add(`${rev('3.3.3.3')}.bits.test`, 'A', '127.0.0.6')
    .add(`${rev('2.2.2.2')}.txt.test`, 'TXT', 'Listed by SpamCop')
    .add(`${rev('3.3.3.3')}.wild.test`, 'A', '10.1.2.3')
    .add('example.com.fd.test', 'A', '127.0.0.2')
    .add('1boatslrhtknngkdxeeobr76b53lettpyt.hb.test', 'A', '127.0.0.2')
    .add('62c8759faf0bca36e11d6d8ebf2cc6c80dc1e932.hu.test', 'A', '127.0.0.2')
    .add(`${rev('5.6.7.1')}.rc.test`, 'A', '127.0.0.2')
    .add('h3.rdns.example.com.rc2.test', 'A', '127.0.0.3')
    .add('sub.from.example.co.uk.fh.test', 'A', '127.0.0.2')
    .add(`${rev('6.7.8.9')}.hd.test`, 'A', '127.0.0.5')
    .add(`${rev('4.4.4.4')}.orig.test`, 'A', '127.0.0.2')
    .add(`${rev('9.8.7.6')}.acc.test`, 'A', '127.0.0.2')
    .add('ns.example.com.ns.test', 'A', '127.0.0.2')
    .soa('example.com', 300)
    .behave('fail.test', { servfail: true });
});

after(async () => {
  if (skip) return;
  await server.stop();
  sa.remove();
});

const RULES: [string, string][] = [
  ['Z_ZEN', "check_rbl('zen', 'zen.test.')"],
  ['Z_ZEN_PBL', "check_rbl('zen-lastexternal', 'zen.test.', '^127\\.0\\.0\\.1[01]$')"],
  ['Z_ZEN_XBL', "check_rbl('zen-lastexternal', 'zen.test.', '^127\\.0\\.0\\.[4567]$')"],
  ['Z_SBL', "check_rbl_sub('zen', '127.0.0.2')"],
  ['Z_CSS', "check_rbl_sub('zen', '127.0.0.3')"],
  ['Z_NFH', "check_rbl('nfh-notfirsthop', 'zen.test.', '127.0.0.10')"],
  ['Z_BITS', "check_rbl('bits', 'bits.test.')"],
  ['Z_BIT2', "check_rbl_sub('bits', '2')"],
  ['Z_BIT8', "check_rbl_sub('bits', '8')"],
  ['Z_TXT', "check_rbl_txt('spamcop', 'txt.test.', '(?i:spamcop)')"],
  ['Z_WILD', "check_rbl('wild', 'wild.test.')"],
  ['Z_FAIL', "check_rbl('fail', 'fail.test.')"],
  ['Z_FD', "check_rbl_from_domain('fd', 'fd.test.')"],
  ['Z_EF', "check_rbl_envfrom('ef', 'ef.test.')"],
  ['Z_DS', 'check_dns_sender()'],
  ['Z_HU', "check_hashbl_uris('hu.test')"],
  ['Z_HE', "check_hashbl_emails('he.test', 'sha1/max=20')"],
];

const CF = [
  'trusted_networks 10.0.0.0/8', 'internal_networks 10.0.0.0/8', 'rbl_timeout 3 1',
  ...RULES.flatMap(([name, t]) => [`header ${name} eval:${t}`, `tflags ${name} net`, `score ${name} 0.1`]),
  "body Z_HB eval:check_hashbl_bodyre('hb.test', 'raw/max=10/shuffle', '\\b([13][a-km-zA-HJ-NP-Z1-9]{25,34})\\b')",
  'tflags Z_HB net', 'score Z_HB 0.1',
];

// The envelope sender is read from a Return-Path above the Received headers only.
const MSG = 'Return-Path: <bounce@nx-sender.example.com>\n' + relayedMessage(
  ['10.1.1.1', '2.2.2.2', '3.3.3.3'],
  'Reply-To: r@reply.example.info\n',
  'pay 1BoatSLRHtKNngkdXEeobR76b53LETtpyT at http://www.Example.com/Path/To?x=1 or mail x.y@mail.example.net',
);

/** The names asked under the test zones, and the A/MX of the sender domain, sorted. */
const asked = (qs: readonly ReceivedQuery[]): string[] =>
  [...new Set(qs.filter((q) => /\.test$|nx-sender|^env\./.test(q.name)).map((q) => `${q.type} ${q.name}`))].sort();

/** `_RBL_` lines sorted, each line's values sorted (SpamAssassin prints them in hash order). */
const tagLines = (tag: string): string[] =>
  tag
    .split('\n')
    .map((l) => l.replace(/\[(.*)\]$/, (_m, v: string) => `[${v.split(', ').sort().join(', ')}]`))
    .sort();

test('same hits, same queries, same _RBL_ as SpamAssassin 4.0.1', { skip }, async () => {
  server.received.length = 0;
  const theirs = await sa.run(CF, MSG);
  const theirQueries = asked(server.received);
  server.received.length = 0;
  const { result, net } = await netCheck(MSG, rulesFrom(CF.join('\n')), server);
  const ours = [...result.counts.keys()].filter((n) => n.startsWith('Z_')).sort();
  // Both outcomes occur, so the comparison means something.
  assert.ok(theirs.tests.size >= 6 && theirs.tests.size <= RULES.length - 4, `SpamAssassin hit ${[...theirs.tests].join(' ')}`);
  assert.deepEqual(ours, [...theirs.tests].sort());
  assert.deepEqual(asked(server.received), theirQueries);
  assert.deepEqual(tagLines(net.tags.get('RBL') ?? ''), tagLines(theirs.rbl));
});

/** Three untrusted relays, an originating IP header, an Accreditor header, the rbl_headers defaults. */
const MSG2 = [
  'Return-Path: <bounce@env.example.com>',
  'Received: from h1.example.org (h1.rdns.example.org [1.2.3.4])\n\tby mx0.local (Postfix) with ESMTP id Q0; Mon, 7 Dec 2026 00:00:00 +0000',
  'Received: from h2.helo.example.net (h2.rdns.example.net [5.6.7.1])\n\tby h1.example.org (Postfix) with ESMTP id Q1; Mon, 7 Dec 2026 00:00:00 +0000',
  'Received: from h3.helo.example.com (h3.rdns.example.com [9.8.7.6])\n\tby h2.example.net (Postfix) with ESMTP id Q2; Mon, 7 Dec 2026 00:00:00 +0000',
  'From: Someone <a@sub.from.example.co.uk>',
  'Reply-To: r@reply.example.info',
  'Disposition-Notification-To: d@dnt.example.org',
  'X-Source-IP: 6.7.8.9',
  'X-Originating-IP: [4.4.4.4]',
  'Accreditor: Foo, bar',
  'To: b@example.net',
  'Subject: hi',
  'Date: Mon, 7 Dec 2026 00:00:00 +0000',
  'Message-ID: <x2@example.org>',
  '',
  'hello',
  '',
].join('\n');

const RULES2: [string, string][] = [
  ['Z_RC', "check_rbl_rcvd('rc', 'rc.test.')"],
  ['Z_RC2', "check_rbl_rcvd('rc2', 'rc2.test.', '127.0.0.3')"],
  ['Z_FH', "check_rbl_from_host('fh', 'fh.test.')"],
  ['Z_FH3', "check_rbl_from_host('fh3', 'fh.test.', '127.0.0.3')"],
  ['Z_HD', "check_rbl_headers('hd', 'hd.test.', '127.0.0.5')"],
  ['Z_HD2', "check_rbl_headers('hd2', 'hd.test.', '', 'Reply-To')"],
  ['Z_ORIG', "check_rbl('orig', 'orig.test.')"],
  ['Z_ORIG_LE', "check_rbl('orig-lastexternal', 'orig.test.')"],
  ['Z_ACC_FOO', "check_rbl_accreditor('acc', 'acc.test.', '', 'foo')"],
  ['Z_ACC_BAZ', "check_rbl_accreditor('acc2', 'acc.test.', '', 'baz')"],
  ['Z_EF', "check_rbl_envfrom('ef', 'ef.test.')"],
  ['Z_NS', "check_rbl_ns_from('ns', 'ns.test.')"],
  ['Z_NS3', "check_rbl_ns_from('ns3', 'ns.test.', '127.0.0.3')"],
];

const CF2 = [
  'trusted_networks 10.0.0.0/8', 'rbl_timeout 3 1', 'clear_originating_ip_headers', 'originating_ip_headers X-Originating-IP',
  ...RULES2.flatMap(([name, t]) => [`header ${name} eval:${t}`, `tflags ${name} net`, `score ${name} 0.1`]),
];

test('name checks, originating IPs and accreditors as SpamAssassin 4.0.1', { skip }, async () => {
  server.received.length = 0;
  const theirs = await sa.run(CF2, MSG2);
  const theirQueries = asked(server.received);
  server.received.length = 0;
  const { result, net } = await netCheck(MSG2, rulesFrom(CF2.join('\n')), server);
  const ours = [...result.counts.keys()].filter((n) => n.startsWith('Z_')).sort();
  assert.ok(theirs.tests.size >= 4 && theirs.tests.size <= RULES2.length - 3, `SpamAssassin hit ${[...theirs.tests].join(' ')}`);
  assert.deepEqual(ours, [...theirs.tests].sort());
  assert.deepEqual(asked(server.received), theirQueries);
  assert.deepEqual(tagLines(net.tags.get('RBL') ?? ''), tagLines(theirs.rbl));
});
