/**
 * askdns filters checked against real SpamAssassin 4.0.1 on the same test DNS server: one
 * message, each rule on its own zone with its own answer, the same rules hit. Skipped when
 * `spamassassin` is not installed. One SpamAssassin run (a few seconds).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { haveSpamAssassin } from '../cli/sa-output';
import { netCheck, rulesFrom } from '../helpers/net-check';
import { useSaNet } from '../helpers/sa-net-run';

const skip = !haveSpamAssassin() && 'spamassassin not installed';
const env = useSaNet(skip);

/** [type and filter, record type, record data or undefined for NXDOMAIN, behaviour]. */
const CASES: readonly (readonly [string, string, unknown, ('servfail' | undefined)?])[] = [
  ['TXT', 'TXT', 'list'],
  ['TXT "list"', 'TXT', 'list'],
  ["TXT 'lis'", 'TXT', 'list'],
  ['TXT "transaction"', 'TXT', ['trans', 'action']],
  ['TXT /\\b(transaction|list|all)\\b/', 'TXT', 'all of it'],
  ['TXT /^all$/', 'TXT', 'list'],
  ['TXT m{^LIST$}i', 'TXT', 'list'],
  ['A', 'A', '10.0.0.2'],
  ['A 127.0.0.2', 'A', '127.0.0.2'],
  ['A 127.0.0.2', 'A', '127.0.0.12'],
  ['A 0x8', 'A', '127.0.0.12'],
  ['A 0x2', 'A', '10.0.0.2'],
  ['A 127.0.0.10-127.0.0.20', 'A', '127.0.0.12'],
  ['A 127.0.0.0/255.255.255.240', 'A', '127.0.0.2'],
  ['TXT', 'A', '127.0.0.2'],
  ['A [NXDOMAIN]', 'A', undefined],
  ['A [NXDOMAIN,2]', 'A', '127.0.0.2'],
  ['TXT [ServFail]', 'TXT', 'x', 'servfail'],
  ['TXT', 'TXT', 'x', 'servfail'],
];

test('askdns filters hit as in SpamAssassin', { skip }, async () => {
  const rules: string[] = [];
  CASES.forEach(([filter, type, data, behaviour], i) => {
    const zone = `ask${i}.test`;
    if (data !== undefined) env.server.add(`listed.com.${zone}`, type, data);
    if (behaviour === 'servfail') env.server.behave(zone, { servfail: true });
    rules.push(`askdns Z_ASK${i} _AUTHORDOMAIN_.${zone} ${filter}`, `tflags Z_ASK${i} net`, `score Z_ASK${i} 0.1`);
  });
  const msg = 'From: Joe <joe@listed.com>\nTo: b@example.net\nSubject: hi\nDate: Mon, 7 Dec 2026 00:00:00 +0000\nMessage-ID: <ask@example.org>\n\nhello\n';
  const saHit = await env.sa.hits(rules, msg);
  const ours = await netCheck(msg, rulesFrom(rules.join('\n')), env.server);
  assert.deepEqual([...ours.result.tests].sort(), [...saHit].sort());
  assert.ok(saHit.size >= 5 && saHit.size <= CASES.length - 5, `${saHit.size} of ${CASES.length} hit in SpamAssassin`);
});
