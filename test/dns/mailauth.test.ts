/**
 * mailauth (SPF, DKIM, DMARC) running on our resolver through the dns.promises-shaped adapter,
 * against the test DNS server: a signed message passes all three; altered, from the wrong IP,
 * with no SPF record or with a failing server, it gets mailauth's other verdicts.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { authenticate, type AuthenticateOptions } from 'mailauth';
import { dkimSign } from 'mailauth/lib/dkim/sign';
import { nodeStyleResolver } from '../../src/dns/node-adapter';
import { Resolver } from '../../src/dns/resolver';
import { parseResolvConf } from '../../src/dns/servers';
import { TestDnsServer } from '../helpers/dns-server';

let server: TestDnsServer;
let resolver: Resolver;
let signed: string;

const MESSAGE = [
  'From: Alice <alice@example.com>',
  'To: bob@example.net',
  'Subject: quarterly figures',
  'Date: Mon, 7 Dec 2026 00:00:00 +0000',
  'Message-ID: <q4@example.com>',
  '',
  'The figures are attached.',
  '',
].join('\r\n');

/** Split a TXT value into character-strings of at most 255 bytes. */
function txtStrings(value: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < value.length; i += 255) out.push(value.slice(i, i + 255));
  return out;
}

before(async () => {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 1024 });
  const spki = publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
  server = await TestDnsServer.start();
  server
    .add('example.com', 'TXT', 'v=spf1 ip4:192.0.2.0/24 -all')
    .add('_dmarc.example.com', 'TXT', 'v=DMARC1; p=reject')
    .add('sel._domainkey.example.com', 'TXT', txtStrings(`v=DKIM1; k=rsa; p=${spki}`))
    .add('nospf.example.org', 'A', '192.0.2.9')
    .behave('broken.example', { servfail: true });
  resolver = new Resolver({ servers: [server.spec], resolvConf: parseResolvConf(''), tryTimeoutMs: 3_000, attempts: 1 });
  // mailauth 4.13 signs what `signatureData` lists (its typings also require the top-level fields).
  const key = { signingDomain: 'example.com', selector: 'sel', privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }) };
  // signTime: otherwise t= is rounded to the nearest second and may be up to 0.5 s ahead ("from the future").
  const sig = await dkimSign(MESSAGE, { ...key, signTime: new Date(), signatureData: [key] });
  assert.ok(sig.signatures.startsWith('DKIM-Signature:'), 'the message was signed');
  assert.deepEqual(sig.errors, []);
  signed = sig.signatures + MESSAGE;
});

after(async () => {
  resolver.close();
  await server.stop();
  assert.deepEqual(server.errors, []);
});

function check(message: string, opts: Partial<AuthenticateOptions>) {
  return authenticate(message, {
    ip: '192.0.2.5', helo: 'mail.example.com', sender: 'alice@example.com', mta: 'mx.example.net',
    disableArc: true, disableBimi: true, resolver: nodeStyleResolver(resolver) as AuthenticateOptions['resolver'], ...opts,
  });
}

const spfResult = (r: Awaited<ReturnType<typeof check>>) => (r.spf ? r.spf.status.result : 'none');
const dmarcResult = (r: Awaited<ReturnType<typeof check>>) => (r.dmarc ? r.dmarc.status.result : 'none');

describe('mailauth on our resolver', () => {
  test('signed, from an allowed IP: SPF, DKIM and DMARC pass', async () => {
    const r = await check(signed, {});
    assert.equal(spfResult(r), 'pass');
    assert.equal(r.dkim.results[0]?.status.result, 'pass');
    assert.equal(dmarcResult(r), 'pass');
  });

  test('body altered after signing: DKIM does not pass (mailauth says neutral: body hash), DMARC passes on SPF', async () => {
    const r = await check(signed.replace('attached', 'enclosed'), {});
    assert.equal(r.dkim.results[0]?.status.result, 'neutral');
    assert.equal(spfResult(r), 'pass');
    assert.equal(dmarcResult(r), 'pass');
  });

  test('altered and from an IP outside the SPF record: SPF and DMARC fail', async () => {
    const r = await check(signed.replace('attached', 'enclosed'), { ip: '198.51.100.7' });
    assert.equal(spfResult(r), 'fail');
    assert.equal(dmarcResult(r), 'fail');
  });

  test('no SPF record (NODATA) is none; NXDOMAIN is none; SERVFAIL is temperror', async () => {
    assert.equal(spfResult(await check(MESSAGE, { sender: 'x@nospf.example.org' })), 'none');
    assert.equal(spfResult(await check(MESSAGE, { sender: 'x@missing.example.org' })), 'none');
    assert.equal(spfResult(await check(MESSAGE, { sender: 'x@broken.example' })), 'temperror');
  });

  test('a second check of the same message is answered from the cache', async () => {
    await check(signed, {});
    const before = server.received.length;
    const r = await check(signed, {});
    assert.equal(dmarcResult(r), 'pass');
    assert.equal(server.received.length, before);
  });
});
