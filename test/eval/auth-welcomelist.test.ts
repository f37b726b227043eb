/**
 * The welcomelists that need authentication, against the test DNS server: SPF (the envelope
 * sender SPF checked, and SPF passed) and DKIM (the From author and a valid signature from the
 * signing domain the entry names, or the author's own), with the 3.x whitelist spellings.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TestDnsServer } from '../helpers/dns-server';
import { netCheck, rulesFrom } from '../helpers/net-check';
import { authMessage, authRules, dkimKey, publishKey, signed, type DkimKey } from '../helpers/auth-fixture';

const RULES: Record<string, string> = {
  Z_SPF_WL: 'check_for_spf_welcomelist_from()', Z_SPF_WL_OLD: 'check_for_spf_whitelist_from()',
  Z_SPF_DEF: 'check_for_def_spf_welcomelist_from()', Z_DKIM_WL: 'check_for_dkim_welcomelist_from()',
  Z_DKIM_WL_OLD: 'check_for_dkim_whitelist_from()', Z_DKIM_DEF: 'check_for_def_dkim_welcomelist_from()',
};

let server: TestDnsServer;
let key: DkimKey;
let plain: string;

before(async () => {
  server = await TestDnsServer.start();
  key = dkimKey();
  publishKey(server, 'example.com', 'sel', key);
  publishKey(server, 'lists.example.org', 'ml', key);
  server.add('example.com', 'TXT', 'v=spf1 ip4:192.0.2.0/24 -all');
  plain = authMessage();
});

after(async () => {
  await server.stop();
});

async function hits(raw: string, cf: string[]): Promise<string[]> {
  const { result } = await netCheck(raw, rulesFrom(authRules(RULES, cf)), server);
  return result.hits.map((h) => h.name).filter((n) => n.startsWith('Z_')).sort();
}

describe('SPF welcomelists', () => {
  test('the sender is listed and SPF passes', async () => {
    assert.deepEqual(await hits(plain, ['welcomelist_from_spf *@example.com']), ['Z_SPF_WL', 'Z_SPF_WL_OLD']);
    assert.deepEqual(await hits(plain, ['whitelist_from_spf alice@example.com']), ['Z_SPF_WL', 'Z_SPF_WL_OLD']);
    assert.deepEqual(await hits(plain, ['def_welcomelist_from_spf alice@*']), ['Z_SPF_DEF']);
  });

  test('welcomelist_auth and def_welcomelist_auth count for SPF', async () => {
    assert.deepEqual(await hits(plain, ['welcomelist_auth alice@example.com']), ['Z_SPF_WL', 'Z_SPF_WL_OLD']);
    assert.deepEqual(await hits(plain, ['def_whitelist_auth *@example.com']), ['Z_SPF_DEF']);
  });

  test('listed but SPF fails; or SPF passes for a sender not listed; or unwelcomelisted', async () => {
    assert.deepEqual(await hits(authMessage({ ip: '198.51.100.7' }), ['welcomelist_from_spf *@example.com']), []);
    assert.deepEqual(await hits(plain, ['welcomelist_from_spf bob@example.com']), []);
    assert.deepEqual(await hits(plain, ['welcomelist_from_spf alice@example.com', 'unwelcomelist_from_spf alice@example.com']), []);
    assert.deepEqual(await hits(plain, ['def_welcomelist_from_spf alice@example.com', 'unwhitelist_from_spf alice@example.com']), []);
  });
});

describe('DKIM welcomelists', () => {
  test('author listed, valid author-domain signature', async () => {
    const raw = await signed(plain, 'example.com', 'sel', key);
    assert.deepEqual(await hits(raw, ['welcomelist_from_dkim *@example.com']), ['Z_DKIM_WL', 'Z_DKIM_WL_OLD']);
    // (welcomelist_auth counts for both: SPF passes for this sender too.)
    assert.deepEqual(await hits(raw, ['def_welcomelist_auth alice@example.com']), ['Z_DKIM_DEF', 'Z_SPF_DEF']);
  });

  test('signature altered after signing: no', async () => {
    const raw = (await signed(plain, 'example.com', 'sel', key)).replace('attached', 'enclosed');
    assert.deepEqual(await hits(raw, ['welcomelist_from_dkim *@example.com']), []);
  });

  test('a third-party signer must be named: exactly, or *.d for its subdomains (not d itself)', async () => {
    const raw = await signed(plain, 'lists.example.org', 'ml', key);
    assert.deepEqual(await hits(raw, ['welcomelist_from_dkim *@example.com']), []);
    assert.deepEqual(await hits(raw, ['welcomelist_from_dkim alice@example.com lists.example.org']), ['Z_DKIM_WL', 'Z_DKIM_WL_OLD']);
    assert.deepEqual(await hits(raw, ['whitelist_from_dkim alice@example.com *.example.org']), ['Z_DKIM_WL', 'Z_DKIM_WL_OLD']);
    assert.deepEqual(await hits(raw, ['def_welcomelist_from_dkim *@* .lists.example.org']), []);
    assert.deepEqual(await hits(raw, ['def_whitelist_from_dkim *@* lists.example.org']), ['Z_DKIM_DEF']);
  });

  test('unwelcomelist_from_dkim removes an entry only when it repeats it whole, from either list', async () => {
    const raw = await signed(plain, 'lists.example.org', 'ml', key);
    const wl = 'welcomelist_from_dkim alice@example.com lists.example.org';
    assert.deepEqual(await hits(raw, [wl, 'unwelcomelist_from_dkim alice@example.com']), ['Z_DKIM_WL', 'Z_DKIM_WL_OLD']);
    assert.deepEqual(await hits(raw, [wl, 'unwelcomelist_from_dkim alice@example.com  LISTS.example.org']), []);
    assert.deepEqual(await hits(raw, ['def_welcomelist_from_dkim *@* lists.example.org', 'unwhitelist_from_dkim *@* lists.example.org']), []);
  });
});
