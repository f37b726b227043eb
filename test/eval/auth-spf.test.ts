/**
 * SPF evals against the test DNS server: each result for the envelope sender and for the HELO
 * name, which relay / sender / HELO is checked, Received-SPF reuse, and no network.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TestDnsServer } from '../helpers/dns-server';
import { netCheck, rulesFrom } from '../helpers/net-check';
import { authMessage, authRules, type MessageSpec } from '../helpers/auth-fixture';
import { parseMessage } from '../../src/message/parse';
import { finishScan, scanLocal } from '../../src/engine/scanner';

const RESULTS = ['pass', 'neutral', 'none', 'fail', 'softfail', 'permerror', 'temperror'];
const RULES: Record<string, string> = Object.fromEntries(
  RESULTS.flatMap((r) => [[`Z_SPF_${r.toUpperCase()}`, `check_for_spf_${r}()`], [`Z_HELO_${r.toUpperCase()}`, `check_for_spf_helo_${r}()`]]),
);
RULES['Z_SKIPPED'] = 'check_spf_skipped_noenvfrom()';

let server: TestDnsServer;

before(async () => {
  server = await TestDnsServer.start();
  server
    .add('example.com', 'TXT', 'v=spf1 ip4:192.0.2.0/24 -all')
    .add('mail.example.com', 'TXT', 'v=spf1 a -all')
    .add('mail.example.com', 'A', '192.0.2.5')
    .add('soft.example', 'TXT', 'v=spf1 ~all')
    .add('neutral.example', 'TXT', 'v=spf1 ?all')
    .add('bad.example', 'TXT', 'v=spf1 ip4:300.1.1.1 foo:bar -all')
    .add('nospf.example', 'A', '192.0.2.9')
    .behave('broken.example', { servfail: true })
    .behave('slow.example', { drop: true });
});

after(async () => {
  await server.stop();
});

async function hits(spec: MessageSpec, extra: string[] = []): Promise<string[]> {
  const { result } = await netCheck(authMessage(spec), rulesFrom(authRules(RULES, extra)), server);
  return result.hits.map((h) => h.name).filter((n) => n.startsWith('Z_')).sort();
}

describe('SPF results for the envelope sender and the HELO name', () => {
  const table: Array<[string, MessageSpec, string[]]> = [
    ['pass (sender and HELO)', {}, ['Z_HELO_PASS', 'Z_SPF_PASS']],
    ['fail: IP outside the record', { ip: '198.51.100.7' }, ['Z_HELO_FAIL', 'Z_SPF_FAIL']],
    ['softfail', { returnPath: 'a@soft.example' }, ['Z_HELO_PASS', 'Z_SPF_SOFTFAIL']],
    ['neutral', { returnPath: 'a@neutral.example' }, ['Z_HELO_PASS', 'Z_SPF_NEUTRAL']],
    ['none: no SPF record', { returnPath: 'a@nospf.example', helo: 'nospf.example' }, ['Z_HELO_NONE', 'Z_SPF_NONE']],
    ['none: NXDOMAIN', { returnPath: 'a@missing.example' }, ['Z_HELO_PASS', 'Z_SPF_NONE']],
    ['permerror: a bad record', { returnPath: 'a@bad.example', helo: 'bad.example' }, ['Z_HELO_PERMERROR', 'Z_SPF_PERMERROR']],
    ['temperror: SERVFAIL', { returnPath: 'a@broken.example', helo: 'broken.example' }, ['Z_HELO_TEMPERROR', 'Z_SPF_TEMPERROR']],
  ];
  for (const [name, spec, want] of table) {
    test(name, async () => assert.deepEqual(await hits(spec), want));
  }

  // SpamAssassin (Mail::SPF) too says temperror on "Time-out on DNS 'TXT' lookup".
  test('timeout: a lookup that gets no answer is a temperror, within rbl_timeout', async () => {
    const t0 = Date.now();
    assert.deepEqual(await hits({ returnPath: 'a@slow.example', helo: 'slow.example' }, ['rbl_timeout 2 1']), ['Z_HELO_TEMPERROR', 'Z_SPF_TEMPERROR']);
    assert.ok(Date.now() - t0 < 3000, 'the scan did not wait past rbl_timeout');
  });
});

describe('what SPF checks (as SpamAssassin picks it)', () => {
  test('a trusted hop in between: the Return-Path is not used, only the HELO is checked', async () => {
    assert.deepEqual(await hits({ internalHop: true }), ['Z_HELO_PASS', 'Z_SKIPPED']);
  });

  test('the envelope sender the external relay recorded is used, even behind a trusted hop', async () => {
    assert.deepEqual(await hits({ internalHop: true, envelopeFrom: 'x@soft.example' }), ['Z_HELO_PASS', 'Z_SPF_SOFTFAIL']);
  });

  test('always_trust_envelope_sender lets the Return-Path through', async () => {
    assert.deepEqual(await hits({ internalHop: true }, ['always_trust_envelope_sender 1']), ['Z_HELO_PASS', 'Z_SPF_PASS']);
  });

  test('a HELO that is an IP literal or has no dot is not checked', async () => {
    assert.deepEqual(await hits({ helo: '[192.0.2.5]' }), ['Z_SPF_PASS']);
    assert.deepEqual(await hits({ helo: 'localhost' }), ['Z_SPF_PASS']);
  });

  test('no external relay: nothing is checked', async () => {
    assert.deepEqual(await hits({ ip: '10.9.9.9' }), []);
  });

  test('a Received-SPF from our own host is reused; ignore_received_spf_header checks DNS', async () => {
    const top = 'Received-SPF: softfail (mx.local: domain transitioning) identity=mfrom; client-ip=192.0.2.5\nX-Other: y';
    const before = server.count('example.com', 'TXT');
    assert.deepEqual(await hits({ top }), ['Z_HELO_PASS', 'Z_SPF_SOFTFAIL']);
    assert.equal(server.count('example.com', 'TXT'), before, 'no SPF lookup for the sender');
    assert.deepEqual(await hits({ top }, ['ignore_received_spf_header 1']), ['Z_HELO_PASS', 'Z_SPF_PASS']);
  });

  test('Authentication-Results spf= with smtp.helo is the HELO result', async () => {
    const top = 'Authentication-Results: mx.local; spf=fail smtp.helo=mail.example.com';
    assert.deepEqual(await hits({ top }), ['Z_HELO_FAIL', 'Z_SPF_PASS']);
  });
});

test('without network (no NetScan) the SPF evals say no', () => {
  const rules = rulesFrom(authRules(RULES));
  const msg = parseMessage(Buffer.from(authMessage(), 'latin1'), rules.parseOptions);
  const result = finishScan(scanLocal(msg, rules.compiled, { net: undefined, scoreSet: 0 }));
  assert.deepEqual(result.hits.filter((h) => h.name.startsWith('Z_')), []);
});
