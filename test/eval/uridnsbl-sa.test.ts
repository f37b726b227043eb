/**
 * URIDNSBL checked against real SpamAssassin 4.0.1 on the same test DNS server: for each kind
 * of definition and tflag, the rules that hit and the names each zone was asked. Skipped when
 * `spamassassin` is not installed. One SpamAssassin run (a few seconds).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { haveSpamAssassin } from '../cli/sa-output';
import { netCheck, rulesFrom } from '../helpers/net-check';
import { useSaNet } from '../helpers/sa-net-run';
import { URI_KINDS_TAIL } from '../helpers/uri-kinds';

const skip = !haveSpamAssassin() && 'spamassassin not installed';

const env = useSaNet(skip);

/** Each rule on its own zone, so the names asked show which rule asked them. */
const DEFS: readonly (readonly [string, string, string])[] = [
  ['Z_RH', 'urirhssub Z_RH rh.test. A 2', ''],
  ['Z_RH_ANY', 'urirhsbl Z_RH_ANY rhany.test. A', ''],
  ['Z_RH_TXT', 'urirhsbl Z_RH_TXT rhtxt.test. TXT', ''],
  ['Z_RH_NOTRIM', 'urirhssub Z_RH_NOTRIM rhnotrim.test. A 2', 'notrim'],
  ['Z_RH_DOM', 'urirhssub Z_RH_DOM rhdom.test. A 2', 'domains_only'],
  ['Z_RH_IP', 'urirhssub Z_RH_IP rhip.test. A 2', 'ips_only'],
  ['Z_NSRH', 'urinsrhssub Z_NSRH nsrh.test. A 127.0.0.2', ''],
  ['Z_FULLNS', 'urifullnsrhsbl Z_FULLNS fullns.test. A', ''],
  ['Z_DNS_NS', 'uridnssub Z_DNS_NS ipns.test. A 127.0.0.2', ''],
  ['Z_DNS_A', 'uridnssub Z_DNS_A ipa.test. A 127.0.0.2', 'a'],
  ['Z_DNS_BOTH', 'uridnsbl Z_DNS_BOTH ipboth.test. A', 'a ns'],
];

const ZONES = ['rh', 'rhany', 'rhtxt', 'rhnotrim', 'rhdom', 'rhip', 'nsrh', 'fullns', 'ipns', 'ipa', 'ipboth'].map((z) => `${z}.test`);

function rules(): string[] {
  return DEFS.flatMap(([name, def, flags]) => [def, `body ${name} eval:check_uridnsbl('${name}')`, `tflags ${name} net ${flags}`, `score ${name} 0.1`]);
}

function serve(): void {
  const listed = (names: string[], zone: string, a = '127.0.0.2') => names.forEach((n) => env.server.add(`${n}.${zone}`, 'A', a));
  // URI hosts and their name servers / addresses.
  env.server.add('listed.com', 'NS', 'ns1.badns.net').add('nsd.com', 'NS', 'ns2.badns.net').add('nsd.com', 'NS', 'ns.ok.net');
  env.server.add('ns1.badns.net', 'A', '5.6.7.8').add('ns2.badns.net', 'A', '5.6.7.9').add('ns.ok.net', 'A', '4.4.4.4');
  env.server.add('www.listed.com', 'A', '9.9.9.9').add('ahost.org', 'A', '9.9.9.8');
  for (const z of ['rh.test', 'rhnotrim.test', 'rhdom.test', 'rhip.test']) {
    listed(['listed.com', 'sub.deep.notrim.com', '34.216.184.93', '1.1.168.192'], z);
    listed(['notrim.com'], z, '127.0.0.4');
  }
  listed(['listed.com'], 'rhany.test', '127.0.0.8');
  listed(['nsd.com'], 'rhany.test', '10.0.0.2');
  env.server.add('listed.com.rhtxt.test', 'TXT', 'listed here');
  listed(['badns.net'], 'nsrh.test');
  listed(['ns1.badns.net'], 'fullns.test');
  for (const z of ['ipns.test', 'ipa.test', 'ipboth.test']) listed(['8.7.6.5', '9.6.7.5', '9.9.9.9', '8.9.9.9'], z);
}

const BODY = ['http://www.listed.com/', 'http://sub.deep.notrim.com/', 'http://93.184.216.34/', 'http://192.168.1.1/', 'http://nsd.com/', 'http://ahost.org/'];
const MESSAGE = `From: a@example.org\nTo: b@example.net\nSubject: hi\nDate: Mon, 7 Dec 2026 00:00:00 +0000\nMessage-ID: <uribl@example.org>\n\n${BODY.join('\n')}\n`;

/** The names asked under each zone, sorted. */
function asked(): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const z of ZONES) out[z] = [...new Set(env.server.received.filter((q) => q.name.endsWith('.' + z)).map((q) => q.name))].sort();
  return out;
}

test('URIDNSBL definitions hit and ask as SpamAssassin does', { skip }, async () => {
  serve();
  const cf = rules();
  env.server.received.length = 0;
  const saHit = await env.sa.hits(cf, MESSAGE);
  const saAsked = asked();
  env.server.received.length = 0;
  const tld = 'util_rb_tld com org net test';
  const ours = await netCheck(MESSAGE, rulesFrom([tld, ...cf].join('\n')), env.server);
  const ourAsked = asked();
  assert.deepEqual(ourAsked, saAsked);
  assert.deepEqual([...ours.result.tests].sort(), [...saHit].sort());
  // What SpamAssassin 4.0.1 did, so the comparison is known to cover hits and misses.
  assert.deepEqual([...saHit].sort(), ['Z_DNS_A', 'Z_DNS_BOTH', 'Z_FULLNS', 'Z_NSRH', 'Z_RH', 'Z_RH_ANY', 'Z_RH_DOM', 'Z_RH_IP', 'Z_RH_NOTRIM', 'Z_RH_TXT']);
  assert.deepEqual(saAsked['ipns.test'], [], 'a uridnssub rule without tflags a asks nothing');
});

test('uridnsbl_max_domains bounds the hosts asked about, as in SpamAssassin', { skip }, async () => {
  const cf = ['uridnsbl_max_domains 2', 'urirhsbl Z_MAX maxd.test. A', "body Z_MAX eval:check_uridnsbl('Z_MAX')", 'tflags Z_MAX net notrim', 'score Z_MAX 0.1'];
  const msg = MESSAGE.replace(/\n\n[^]*$/, '\n\nhttp://a.one.com/\nhttp://b.one.com/\nhttp://c.one.com/\n');
  const count = () => new Set(env.server.received.filter((q) => q.name.endsWith('.maxd.test')).map((q) => q.name)).size;
  env.server.received.length = 0;
  await env.sa.hits(cf, msg);
  const saCount = count();
  env.server.received.length = 0;
  await netCheck(msg, rulesFrom(['util_rb_tld com uk', 'util_rb_2tld co.uk', ...cf].join('\n')), env.server);
  assert.equal(count(), saCount);
});

const MIXED = ['From: a@example.org', 'To: b@example.net', 'Subject: hi', 'Date: Mon, 7 Dec 2026 00:00:00 +0000', 'Message-ID: <mixed@example.org>', URI_KINDS_TAIL].join('\n');

for (const max of [4, 20]) {
  test(`DKIM domains and the kinds of URI preferred under uridnsbl_max_domains ${max}, as in SpamAssassin`, { skip }, async () => {
    // With 4, SpamAssassin takes the anchors' hosts, the form's and the image's (no random choice
    // within a kind is needed); with 20 every host, the DKIM d= domain included.
    const cf = [`uridnsbl_max_domains ${max}`, 'uridnsbl_skip_domain google.com', 'urirhsbl Z_MIX mix.test. A', "body Z_MIX eval:check_uridnsbl('Z_MIX')", 'tflags Z_MIX net notrim', 'score Z_MIX 0.1'];
    env.server.add('sub.dk-one.co.uk.mix.test', 'A', '127.0.0.2');
    const names = () => [...new Set(env.server.received.filter((q) => q.name.endsWith('.mix.test')).map((q) => q.name.slice(0, -'.mix.test'.length)))].sort();
    env.server.received.length = 0;
    const saHit = await env.sa.hits(cf, MIXED);
    const saNames = names();
    env.server.received.length = 0;
    const ours = await netCheck(MIXED, rulesFrom(['util_rb_tld com uk', 'util_rb_2tld co.uk', ...cf].join('\n')), env.server);
    assert.deepEqual(names(), saNames);
    assert.deepEqual(ours.result.tests.includes('Z_MIX'), saHit.has('Z_MIX'));
    const dkim = saNames.includes('sub.dk-one.co.uk');
    assert.equal(dkim, max === 20, 'SpamAssassin asks the DKIM domain only when the preferred kinds leave room');
  });
}
