/**
 * DMARC evals against the test DNS server: p=reject / quarantine / none / no record, passing on
 * an aligned SPF or DKIM identifier, failing on unaligned ones; a subdomain under `sp=`; a DNS
 * failure; the shared wait given up on at rbl_timeout.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TestDnsServer } from '../helpers/dns-server';
import { netCheck, rulesFrom } from '../helpers/net-check';
import { authMessage, authRules, dkimKey, publishKey, signed, type DkimKey, type MessageSpec } from '../helpers/auth-fixture';
import { NetScan } from '../../src/dns/net-scan';
import { dnsSettings } from '../../src/dns/settings';
import { mailAuthResults, startMailAuth } from '../../src/dns/mail-auth';
import { parseMessage } from '../../src/message/parse';

const RULES: Record<string, string> = {
  Z_PASS: 'check_dmarc_pass()', Z_REJECT: 'check_dmarc_reject()', Z_QUAR: 'check_dmarc_quarantine()',
  Z_NONE: 'check_dmarc_none()', Z_MISSING: 'check_dmarc_missing()',
};

let server: TestDnsServer;
let key: DkimKey;

before(async () => {
  server = await TestDnsServer.start();
  key = dkimKey();
  for (const d of ['reject.example', 'quar.example', 'none.example', 'nodmarc.example', 'other.example', 'broken.example']) {
    server.add(d, 'TXT', 'v=spf1 ip4:192.0.2.0/24 -all');
    publishKey(server, d, 's', key);
  }
  server
    .add('_dmarc.reject.example', 'TXT', 'v=DMARC1; p=reject; sp=quarantine')
    .add('_dmarc.quar.example', 'TXT', 'v=DMARC1; p=quarantine')
    .add('_dmarc.none.example', 'TXT', 'v=DMARC1; p=none')
    .behave('_dmarc.broken.example', { servfail: true });
});

after(async () => {
  await server.stop();
});

async function hits(spec: MessageSpec, signer?: string): Promise<string[]> {
  let raw = authMessage(spec);
  if (signer) raw = await signed(raw, signer, 's', key);
  const { result } = await netCheck(raw, rulesFrom(authRules(RULES)), server);
  return result.hits.map((h) => h.name).filter((n) => n.startsWith('Z_')).sort();
}

const OUTSIDE = '198.51.100.7';

describe('DMARC policies', () => {
  const table: Array<[string, MessageSpec, string | undefined, string[]]> = [
    ['aligned SPF pass', { from: 'a@reject.example', returnPath: 'b@reject.example' }, undefined, ['Z_PASS']],
    ['aligned DKIM, SPF failing', { from: 'a@reject.example', returnPath: 'b@reject.example', ip: OUTSIDE }, 'reject.example', ['Z_PASS']],
    ['unaligned: SPF passes for another domain, DKIM by another domain: p=reject', { from: 'a@reject.example', returnPath: 'b@other.example' }, 'other.example', ['Z_REJECT']],
    ['nothing passes: p=quarantine', { from: 'a@quar.example', returnPath: 'b@quar.example', ip: OUTSIDE }, undefined, ['Z_QUAR']],
    ['nothing passes: p=none', { from: 'a@none.example', returnPath: 'b@none.example', ip: OUTSIDE }, undefined, ['Z_NONE']],
    ['a subdomain falls under sp=quarantine', { from: 'a@sub.reject.example', returnPath: 'b@other.example' }, undefined, ['Z_QUAR']],
    ['no DMARC record: missing', { from: 'a@nodmarc.example', returnPath: 'b@nodmarc.example' }, undefined, ['Z_MISSING']],
    ['the DMARC lookup fails (SERVFAIL): no DMARC rule', { from: 'a@broken.example', returnPath: 'b@broken.example' }, undefined, []],
    ['no external relay: not checked', { from: 'a@reject.example', ip: '10.1.2.3' }, undefined, []],
  ];
  for (const [name, spec, signer, want] of table) {
    test(name, async () => assert.deepEqual(await hits(spec, signer), want));
  }
});

test('the harvest gives up on a mailauth run that outlasts rbl_timeout: no results, no hits', async () => {
  const rules = rulesFrom(authRules(RULES, ['rbl_timeout 1 1']));
  const msg = parseMessage(Buffer.from(authMessage({ from: 'a@reject.example' }), 'latin1'), rules.parseOptions);
  // A resolver that never answers.
  const net = new NetScan({ msg, options: rules.options, parseOptions: rules.parseOptions, settings: dnsSettings(rules.options, { localOnly: false }), resolver: { query: () => new Promise(() => {}) } });
  const wait = startMailAuth(net);
  const t0 = Date.now();
  await net.harvest();
  assert.ok(Date.now() - t0 < 2500);
  assert.equal(wait.timedOut, true);
  assert.equal(mailAuthResults(net), undefined);
});
