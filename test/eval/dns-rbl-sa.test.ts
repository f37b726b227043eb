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

const MSG = relayedMessage(
  ['10.1.1.1', '2.2.2.2', '3.3.3.3'],
  'Return-Path: <bounce@nx-sender.example.com>\nReply-To: r@reply.example.info\n',
  'pay 1BoatSLRHtKNngkdXEeobR76b53LETtpyT at http://www.Example.com/Path/To?x=1 or mail x.y@mail.example.net',
);

/** The names asked under the test zones, and the A/MX of the sender domain, sorted. */
const asked = (qs: readonly ReceivedQuery[]): string[] =>
  [...new Set(qs.filter((q) => /\.test$|nx-sender/.test(q.name)).map((q) => `${q.type} ${q.name}`))].sort();

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
  assert.deepEqual((net.tags.get('RBL') ?? '').split('\n').sort(), theirs.rbl.split('\n').sort());
});
