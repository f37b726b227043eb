/**
 * DKIM, ADSP and ARC evals and the DKIM template tags, against the test DNS server with keys
 * generated here: valid, altered after signing, unsigned, key missing, third-party, weak key,
 * testing key; ADSP from DNS and from adsp_override.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TestDnsServer } from '../helpers/dns-server';
import { netCheck, rulesFrom } from '../helpers/net-check';
import { sealMessage } from 'mailauth/lib/arc';
import { authMessage, authRules, dkimKey, publishKey, signed, type DkimKey } from '../helpers/auth-fixture';

const RULES: Record<string, string> = {
  Z_SIGNED: 'check_dkim_signed()',
  Z_VALID: 'check_dkim_valid()',
  Z_VALID_AU: 'check_dkim_valid_author_sig()',
  Z_VALID_EF: 'check_dkim_valid_envelopefrom()',
  Z_DEPENDABLE: 'check_dkim_dependable()',
  Z_TESTING: 'check_dkim_testing()',
  Z_SIGNED_LISTS: "check_dkim_signed('lists.example.org')",
  Z_VALID_ORG: "check_dkim_valid('example.org')",
  Z_VALID_SUB_ORG: "check_dkim_valid('*.example.org')",
  Z_VALID_COM: "check_dkim_valid('example.com')",
  Z_ARC_SIGNED: 'check_arc_signed()',
  Z_ARC_VALID: 'check_arc_valid()',
};

let server: TestDnsServer;
let key: DkimKey;
let plain: string;
let good: string;

before(async () => {
  server = await TestDnsServer.start();
  key = dkimKey();
  publishKey(server, 'example.com', 'sel', key);
  publishKey(server, 'lists.example.org', 'ml', key);
  server.add('example.com', 'TXT', 'v=spf1 ip4:192.0.2.0/24 -all');
  plain = authMessage();
  good = await signed(plain, 'example.com', 'sel', key);
});

after(async () => {
  await server.stop();
});

async function check(raw: string, rules: Record<string, string> = RULES, extra: string[] = []) {
  const { result, net } = await netCheck(raw, rulesFrom(authRules(rules, extra)), server);
  return { hits: result.hits.map((h) => h.name).filter((n) => n.startsWith('Z_')).sort(), tags: net.tags };
}

describe('DKIM signatures', () => {
  test('valid author signature: signed, valid, author, envelope-from, dependable; tags filled', async () => {
    const { hits, tags } = await check(good);
    assert.deepEqual(hits, ['Z_DEPENDABLE', 'Z_SIGNED', 'Z_VALID', 'Z_VALID_AU', 'Z_VALID_COM', 'Z_VALID_EF']);
    assert.equal(tags.get('DKIMDOMAIN'), 'example.com');
    assert.equal(tags.get('DKIMSELECTOR'), 'sel');
    assert.equal(tags.get('DKIMIDENTITY'), '@example.com');
  });

  test('altered after signing: signed but not valid; no tags', async () => {
    const { hits, tags } = await check(good.replace('attached', 'enclosed'));
    assert.deepEqual(hits, ['Z_DEPENDABLE', 'Z_SIGNED']);
    assert.equal(tags.get('DKIMDOMAIN'), '');
  });

  test('unsigned: only dependable', async () => {
    assert.deepEqual((await check(plain)).hits, ['Z_DEPENDABLE']);
  });

  test('key missing from DNS: signed, not valid', async () => {
    assert.deepEqual((await check(await signed(plain, 'example.com', 'gone', key))).hits, ['Z_DEPENDABLE', 'Z_SIGNED']);
  });

  test('a third-party signature: valid, not the author; domains match exactly or with *.', async () => {
    const { hits, tags } = await check(await signed(plain, 'lists.example.org', 'ml', key));
    assert.deepEqual(hits, ['Z_DEPENDABLE', 'Z_SIGNED', 'Z_SIGNED_LISTS', 'Z_VALID', 'Z_VALID_SUB_ORG']);
    assert.equal(tags.get('DKIMDOMAIN'), 'lists.example.org');
  });

  test('a 512-bit key: DKIM_VALID still hits, named domains and welcomelists want dkim_minimum_key_bits', async () => {
    const raw = await signed(authMessage({ from: 'a@weak.example' }), 'weak.example', 'w', key512());
    const rules = { Z_VALID: 'check_dkim_valid()', Z_VALID_WEAK: "check_dkim_valid('weak.example')", Z_VALID_AU: 'check_dkim_valid_author_sig()' };
    assert.deepEqual((await check(raw, rules)).hits, ['Z_VALID']);
    assert.deepEqual((await check(raw, rules, ['dkim_minimum_key_bits 512'])).hits, ['Z_VALID', 'Z_VALID_AU', 'Z_VALID_WEAK']);
  });

  test('a key in testing mode (t=y)', async () => {
    const k = dkimKey(1024, ' t=y;');
    publishKey(server, 'example.com', 'test', k);
    assert.deepEqual((await check(await signed(plain, 'example.com', 'test', k), { Z_TESTING: 'check_dkim_testing()' })).hits, ['Z_TESTING']);
  });

  test('__TRUNCATED makes a failed signature not dependable', async () => {
    const rules = { Z_DEPENDABLE: 'check_dkim_dependable()' };
    // (A scored meta reads __TRUNCATED, so the scan runs it; the stock rules do not define it.)
    const extra = ['body __TRUNCATED /enclosed/', 'meta Y_TRUNC __TRUNCATED', 'score Y_TRUNC 0.1'];
    assert.deepEqual((await check(good.replace('attached', 'enclosed'), rules, extra)).hits, []);
    assert.deepEqual((await check(plain.replace('attached', 'enclosed'), rules, extra)).hits, ['Z_DEPENDABLE']);
  });
});

let weak: DkimKey | undefined;
function key512(): DkimKey {
  if (!weak) {
    weak = dkimKey(512);
    publishKey(server, 'weak.example', 'w', weak);
  }
  return weak;
}

describe('ADSP', () => {
  const RULES_ADSP: Record<string, string> = {
    Z_ADSP_N: "check_dkim_adsp('N')", Z_ADSP_A: "check_dkim_adsp('A')", Z_ADSP_D: "check_dkim_adsp('D')",
    Z_ADSP_3: "check_dkim_adsp('3')", Z_ADSP_ANY_ORG: "check_dkim_adsp('*', '.all.example')", Z_SIGNALL: 'check_dkim_signall()',
  };

  before(() => {
    server.add('_adsp._domainkey.all.example', 'TXT', 'dkim=all').add('all.example', 'MX', { preference: 10, exchange: 'mx.all.example' });
    server.add('_adsp._domainkey.disc.example', 'TXT', 'dkim=discardable').add('plain.example', 'A', '192.0.2.44');
  });

  const table: Array<[string, string, string[], string[]]> = [
    ['dkim=all', 'a@all.example', [], ['Z_ADSP_A', 'Z_ADSP_ANY_ORG', 'Z_SIGNALL']],
    ['dkim=discardable', 'a@disc.example', [], ['Z_ADSP_D']],
    ['no record, domain exists: unknown', 'a@plain.example', [], []],
    ['domain does not exist', 'a@nowhere.example', [], ['Z_ADSP_N']],
    ['adsp_override custom_high', 'a@plain.example', ['adsp_override plain.example custom_high'], ['Z_ADSP_3']],
    ['adsp_override *.parent, no practice given: discardable', 'a@x.plain.example', ['adsp_override *.plain.example'], ['Z_ADSP_D']],
  ];
  for (const [name, from, extra, want] of table) {
    test(name, async () => assert.deepEqual((await check(authMessage({ from }), RULES_ADSP, extra)).hits, want));
  }

  test('a valid author signature: ADSP is not consulted', async () => {
    const before = server.count('_adsp._domainkey.example.com', 'TXT');
    assert.deepEqual((await check(good, RULES_ADSP, ['adsp_override example.com all'])).hits, []);
    assert.equal(server.count('_adsp._domainkey.example.com', 'TXT'), before);
  });
});

describe('ARC', () => {
  const RULES_ARC = { Z_ARC_SIGNED: 'check_arc_signed()', Z_ARC_VALID: 'check_arc_valid()', Z_ARC_WITH_ARG: "check_arc_valid('example.org')" };

  async function sealed(): Promise<string> {
    const crlf = plain.replace(/\r?\n/g, '\r\n');
    const seal = { signingDomain: 'lists.example.org', selector: 'ml', privateKey: key.privateKey, authResults: 'lists.example.org; spf=pass smtp.mailfrom=example.com', cv: 'none' };
    const headers = await sealMessage(crlf, seal as Parameters<typeof sealMessage>[1]);
    return headers.toString('latin1') + crlf;
  }

  test('a sealed chain: signed and valid; with domain arguments SpamAssassin says no', async () => {
    assert.deepEqual((await check(await sealed(), RULES_ARC)).hits, ['Z_ARC_SIGNED', 'Z_ARC_VALID']);
  });

  // As SpamAssassin (Mail::DKIM::ARC) judges: one verifying ARC signature, the seal or the
  // message signature, is enough (observed with both cases below).
  test('body altered after sealing: the seal still verifies, valid', async () => {
    assert.deepEqual((await check((await sealed()).replace('attached', 'enclosed'), RULES_ARC)).hits, ['Z_ARC_SIGNED', 'Z_ARC_VALID']);
  });

  test('a chain mailauth cannot read (cv=pass at i=1): signed, not valid (SpamAssassin: valid)', async () => {
    assert.deepEqual((await check((await sealed()).replace('cv=none', 'cv=pass'), RULES_ARC)).hits, ['Z_ARC_SIGNED']);
  });

  test('the key is missing: signed, not valid; unsealed: neither', async () => {
    assert.deepEqual((await check((await sealed()).replace(/s=ml;/g, 's=gone;'), RULES_ARC)).hits, ['Z_ARC_SIGNED']);
    assert.deepEqual((await check(plain, RULES_ARC)).hits, []);
  });
});
