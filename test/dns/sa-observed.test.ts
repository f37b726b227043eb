/**
 * The blocklist tables checked against real SpamAssassin 4.0.1, run against the test DNS server
 * with network rules on: which relay IPs each check_rbl set queries, and which sub-tests hit for
 * each answer (check_rbl_sub and urirhssub). Skipped when `spamassassin` is not installed.
 * Two SpamAssassin runs, a few seconds each.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rblQueryIps } from '../../src/dns/rbl-relays';
import { parseRblSubtest, rblAnswerValues, rblSubtestMatch, type RblSubtest } from '../../src/dns/rbl-subtest';
import { parseUriSubtest, uriSubtestMatches, type UriSubtest } from '../../src/dns/uri-subtest';
import type { DnsAnswer } from '../../src/dns/types';
import { useSaNet } from '../helpers/sa-net-run';
import { haveSpamAssassin } from '../cli/sa-output';

const skip = !haveSpamAssassin() && 'spamassassin not installed';

const env = useSaNet(skip);

const saHits = (rules: string[], message: string): Promise<Set<string>> => env.sa.hits(rules, message);

function message(relays: string[], headers = '', body = 'hello'): string {
  const hops = relays.map((ip, i) => `Received: from h${i}.example.org (h${i}.example.org [${ip}])\n\tby ${i === 0 ? 'mx.local' : `h${i - 1}.example.org`} (Postfix) with ESMTP id Q${i}; Mon, 7 Dec 2026 00:0${i}:00 +0000\n`);
  return `${hops.join('')}${headers}From: a@example.org\nTo: b@example.net\nSubject: hi\nDate: Mon, 7 Dec 2026 00:00:00 +0000\nMessage-ID: <dns-${relays.length}@example.org>\n\n${body}\n`;
}

const rev = (ip: string) => ip.split('.').reverse().join('.');

test('check_rbl set suffixes query the relays rblQueryIps names', { skip }, async () => {
  const sets = ['t', 'n-notfirsthop', 'l-lastexternal', 'f-firsttrusted', 'u-untrusted'];
  const rules = sets.flatMap((set, i) => [`header Z_SET_${i} eval:check_rbl('${set}', 'z${i}.sets.test.')`, `tflags Z_SET_${i} net`, `score Z_SET_${i} 0.1`]);
  for (const chain of [['1.1.1.1', '2.2.2.2', '3.3.3.3', '5.5.5.5'], ['10.1.1.1', '2.2.2.2', '192.168.1.1', '3.3.3.3', '2.2.2.2']]) {
    env.server.received.length = 0;
    await saHits(rules, message(chain, 'X-Originating-IP: [4.4.4.4]\n'));
    // The first hop is trusted either way; 1.1.1.1 is external, 10.1.1.1 internal.
    const src = { untrusted: chain.slice(1), external: chain[0] === '1.1.1.1' ? chain : chain.slice(1), originating: ['4.4.4.4'] };
    sets.forEach((set, i) => {
      const zone = `z${i}.sets.test`;
      const asked = env.server.received.filter((q) => q.name.endsWith('.' + zone)).map((q) => rev(q.name.slice(0, -zone.length - 1)));
      assert.deepEqual(asked, rblQueryIps(set, src), `${chain.join(' ')}: set ${set}`);
    });
  }
});

test('check_rbl_sub and urirhssub sub-tests hit as ours do', { skip }, async () => {
  const answers = ['127.0.0.2', '127.0.0.8', '127.0.0.10', '127.0.0.12', '127.0.1.0', '127.0.0.4', '1.0.0.8'];
  const rblSubs = ['', '127.0.0.2', '8', '256', '^127\\.0\\.0\\.1[01]$', '127.0.0.8-127.0.0.15'];
  const uriSubs = ['8', '127.0.0.8-127.0.0.15', '127.0.0.0/255.255.255.248', '0x2', '127.0.0.2'];
  const rules: string[] = [];
  const want = new Set<string>();
  const body: string[] = [];
  answers.forEach((a, i) => {
    env.server.add(`${rev('2.2.2.2')}.r${i}.subs.test`, 'A', a);
    env.server.add(`dom${i}.com.u${i}.subs.test`, 'A', a);
    body.push(`http://www.dom${i}.com/`);
    const answer: DnsAnswer = { name: 'q', type: 'A', status: 'NOERROR', ttl: 1, cached: false, records: [{ type: 'A', name: 'q', ttl: 1, address: a }] };
    rblSubs.forEach((s, j) => {
      const name = `Z_R${i}_${j}`;
      rules.push(j === 0 ? `header ${name} eval:check_rbl('r${i}', 'r${i}.subs.test.')` : `header ${name} eval:check_rbl_sub('r${i}', '${s}')`);
      rules.push(`tflags ${name} net`, `score ${name} 0.1`);
      if (rblSubtestMatch(parseRblSubtest(s) as RblSubtest, rblAnswerValues(answer)) !== undefined) want.add(name);
    });
    uriSubs.forEach((s, j) => {
      const name = `Z_U${i}_${j}`;
      rules.push(`urirhssub ${name} u${i}.subs.test. A ${s}`, `body ${name} eval:check_uridnsbl('${name}')`, `tflags ${name} net`, `score ${name} 0.1`);
      if (uriSubtestMatches(parseUriSubtest(s) as UriSubtest, a)) want.add(name);
    });
  });
  // Both outcomes occur, so the comparison means something.
  const total = answers.length * (rblSubs.length + uriSubs.length);
  assert.ok(want.size >= 12 && want.size < total / 2, `${want.size} of ${total} expected to hit`);
  const hits = await saHits(rules, message(['10.1.1.1', '2.2.2.2'], '', body.join('\n')));
  assert.deepEqual([...hits].sort(), [...want].sort());
});
