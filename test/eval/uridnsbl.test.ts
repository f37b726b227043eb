/**
 * check_uridnsbl against a test DNS server: listed / not listed / SERVFAIL / timeout /
 * truncated answers, sub-tests, skip lists, the host bound, tflags, one query per name however
 * many rules read a zone, the definitions' lint and their trip through the rule-set cache.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeRuleSet, encodeRuleSet } from '../../src/config/rule-cache-codec';
import { finishScan, scanLocal } from '../../src/engine/scanner';
import { parseMessage } from '../../src/message/parse';
import { TestDnsServer } from '../helpers/dns-server';
import { netCheck, rulesFrom } from '../helpers/net-check';

let server: TestDnsServer;
before(async () => {
  server = await TestDnsServer.start();
});
after(async () => {
  await server.stop();
});

const message = (...urls: string[]): string =>
  `From: a@example.org\nTo: b@example.net\nSubject: hi\nDate: Mon, 7 Dec 2026 00:00:00 +0000\nMessage-ID: <u@example.org>\n\n${urls.join('\n')}\n`;

/** A rule NAME reading definition `def` (a whole `uri*` line), with tflags. */
const rule = (name: string, def: string, flags = ''): string =>
  [def, `body ${name} eval:check_uridnsbl('${name}')`, `tflags ${name} net ${flags}`, `score ${name} 1`].join('\n');

const BASE = ['util_rb_tld com org net', 'rbl_timeout 2 1'].join('\n');

async function hits(cf: string, ...urls: string[]): Promise<string[]> {
  const { result } = await netCheck(message(...urls), rulesFrom(`${BASE}\n${cf}`), server);
  return [...result.tests];
}

describe('check_uridnsbl answers', () => {
  const cases: [string, (zone: string) => void, boolean][] = [
    ['listed', (z) => server.add(`spam.com.${z}`, 'A', '127.0.0.2'), true],
    ['not listed (NXDOMAIN)', () => undefined, false],
    ['listed, other bit', (z) => server.add(`spam.com.${z}`, 'A', '127.0.0.4'), false],
    ['SERVFAIL', (z) => server.add(`spam.com.${z}`, 'A', '127.0.0.2').behave(z, { servfail: true }), false],
    ['timeout', (z) => server.add(`spam.com.${z}`, 'A', '127.0.0.2').behave(z, { drop: true }), false],
    ['truncated (TCP retry)', (z) => server.add(`spam.com.${z}`, 'A', '127.0.0.2').behave(z, { truncate: true }), true],
    ['late but in time', (z) => server.add(`spam.com.${z}`, 'A', '127.0.0.2').behave(z, { delayMs: 300 }), true],
  ];
  cases.forEach(([what, setup, hit], i) => {
    test(what, async () => {
      const zone = `ans${i}.test`;
      setup(zone);
      const got = await hits(rule('Z_URI', `urirhssub Z_URI ${zone}. A 2`), 'http://www.spam.com/x');
      assert.deepEqual(got, hit ? ['Z_URI'] : []);
      assert.equal(server.count(`spam.com.${zone}`, 'A') > 0, true, 'the zone was asked');
    });
  });
});

describe('sub-tests', () => {
  const answers = ['127.0.0.2', '127.0.0.8', '127.0.1.3', '10.0.0.2'];
  const subs: [string, string[]][] = [
    ['2', ['127.0.0.2', '127.0.1.3']],
    ['0x8', ['127.0.0.8']],
    ['127.0.1.3', ['127.0.1.3']],
    ['127.0.0.1-127.0.0.9', ['127.0.0.2', '127.0.0.8']],
    ['127.0.1.0/255.255.255.0', ['127.0.1.3']],
    ['0.0.0.2/0.0.0.2', ['127.0.0.2', '127.0.1.3']],
  ];
  subs.forEach(([sub, want], j) => {
    test(`sub-test ${sub}`, async () => {
      const zone = `sub${j}.test`;
      answers.forEach((a, i) => server.add(`d${i}.com.${zone}`, 'A', a));
      const cf = answers.map((_, i) => rule(`Z_S${i}`, `urirhssub Z_S${i} ${zone}. A ${sub}`, '')).join('\n');
      // Each rule reads the whole message: give each answer its own message.
      for (const [i, a] of answers.entries()) {
        const got = await hits(cf, `http://d${i}.com/`);
        assert.equal(got.length > 0, want.includes(a), `${a} under ${sub}`);
      }
    });
  });

  test('without a sub-test: a 127/8 A answer or any TXT answer lists', async () => {
    server.add('a.com.nosub.test', 'A', '127.0.0.9').add('b.com.nosub.test', 'A', '10.0.0.9');
    server.add('a.com.nosubtxt.test', 'TXT', 'listed').add('b.com.nosubtxt.test', 'TXT', 'also listed');
    const cf = [rule('Z_A', 'urirhsbl Z_A nosub.test. A'), rule('Z_T', 'urirhsbl Z_T nosubtxt.test. TXT')].join('\n');
    assert.deepEqual((await hits(cf, 'http://a.com/')).sort(), ['Z_A', 'Z_T']);
    assert.deepEqual(await hits(cf, 'http://b.com/'), ['Z_T']);
  });
});

describe('which hosts are asked', () => {
  const asked = (zone: string): string[] =>
    [...new Set(server.received.filter((q) => q.name.endsWith('.' + zone)).map((q) => q.name.slice(0, -zone.length - 1)))].sort();

  test('uridnsbl_skip_domain skips a domain or a full host; clear_ with names removes only those', async () => {
    const urls = ['http://www.skip.com/', 'http://only.this.org/', 'http://other.this.org/', 'http://keep.net/'];
    await hits([rule('Z_K', 'urirhsbl Z_K skip1.test. A', 'notrim'), 'uridnsbl_skip_domain skip.com ONLY.this.org keep.net'].join('\n'), ...urls);
    assert.deepEqual(asked('skip1.test'), ['other.this.org']);
    const cf = [rule('Z_K', 'urirhsbl Z_K skip2.test. A', 'notrim'), 'uridnsbl_skip_domain skip.com only.this.org keep.net', 'clear_uridnsbl_skip_domain keep.net'];
    await hits(cf.join('\n'), ...urls);
    assert.deepEqual(asked('skip2.test'), ['keep.net', 'other.this.org']);
    await hits([...cf, 'clear_uridnsbl_skip_domain'].join('\n').replace(/skip2/g, 'skip3'), ...urls);
    assert.deepEqual(asked('skip3.test'), ['keep.net', 'only.this.org', 'other.this.org', 'www.skip.com']);
  });

  test('uridnsbl_max_domains bounds the hosts; mailto: addresses are skipped unless told', async () => {
    await hits([rule('Z_M', 'urirhsbl Z_M max.test. A', 'notrim'), 'uridnsbl_max_domains 2'].join('\n'), 'http://a.one.com/', 'http://b.one.com/', 'http://two.com/');
    assert.deepEqual(asked('max.test'), ['a.one.com', 'b.one.com']);
    await hits(rule('Z_M', 'urirhsbl Z_M mail1.test. A'), 'mailto:joe@mailer.com');
    assert.deepEqual(asked('mail1.test'), []);
    await hits([rule('Z_M', 'urirhsbl Z_M mail2.test. A'), 'uridnsbl_skip_mailto 0'].join('\n'), 'mailto:joe@mailer.com');
    assert.deepEqual(asked('mail2.test'), ['mailer.com']);
  });

  test('tflags notrim, domains_only, ips_only; private and IPv6 hosts are never asked', async () => {
    const urls = ['http://www.sub.trim.com/', 'http://93.184.216.34/', 'http://192.168.1.1/', 'http://[2001:db8::1]/'];
    const cf = [
      rule('Z_TRIM', 'urirhsbl Z_TRIM trim.test. A'),
      rule('Z_NOTRIM', 'urirhsbl Z_NOTRIM notrim.test. A', 'notrim'),
      rule('Z_DOM', 'urirhsbl Z_DOM dom.test. A', 'domains_only'),
      rule('Z_IP', 'urirhsbl Z_IP ip.test. A', 'ips_only'),
    ];
    await hits(cf.join('\n'), ...urls);
    assert.deepEqual(asked('trim.test'), ['34.216.184.93', 'trim.com']);
    assert.deepEqual(asked('notrim.test'), ['34.216.184.93', 'www.sub.trim.com']);
    assert.deepEqual(asked('dom.test'), ['trim.com']);
    assert.deepEqual(asked('ip.test'), ['34.216.184.93']);
  });

  test('skip_uribl_checks asks nothing', async () => {
    server.add('spam.com.skipall.test', 'A', '127.0.0.2');
    assert.deepEqual(await hits([rule('Z_S', 'urirhsbl Z_S skipall.test. A'), 'skip_uribl_checks 1'].join('\n'), 'http://spam.com/'), []);
    assert.equal(server.count('spam.com.skipall.test'), 0);
  });

  test('several rules on one zone: one query per name', async () => {
    server.add('spam.com.shared.test', 'A', '127.0.0.6');
    const cf = [rule('Z_2', 'urirhssub Z_2 shared.test. A 2'), rule('Z_4', 'urirhssub Z_4 shared.test. A 4'), rule('Z_8', 'urirhssub Z_8 shared.test. A 8')];
    const got = await hits(cf.join('\n'), 'http://spam.com/', 'http://www.spam.com/', 'http://other.com/');
    assert.deepEqual(got.sort(), ['Z_2', 'Z_4']);
    assert.equal(server.count('spam.com.shared.test', 'A'), 1);
    assert.equal(server.count('other.com.shared.test', 'A'), 1);
  });
});

describe('name-server and address forms', () => {
  before(() => {
    server.add('nsuser.com', 'NS', 'ns1.badhost.net').add('nsuser.com', 'NS', 'ns.fine.org');
    server.add('ns1.badhost.net', 'A', '5.6.7.8').add('ns.fine.org', 'A', '4.4.4.4').add('www.ahost.com', 'A', '9.9.9.9');
  });
  const cases: [string, string, string, string[]][] = [
    ['urinsrhssub asks the name servers\' domains', 'urinsrhssub Z_N nsd.test. A 127.0.0.2', '', ['badhost.net.nsd.test']],
    ['urifullnsrhsbl asks the full name-server names', 'urifullnsrhsbl Z_N nsf.test. A', '', ['ns1.badhost.net.nsf.test']],
    ['uridnssub with tflags a asks the hosts\' and name servers\' addresses', 'uridnssub Z_N nsa.test. A 127.0.0.2', 'a', ['8.7.6.5.nsa.test', '9.9.9.9.nsa.test']],
    ['uridnsbl without tflags a asks nothing (as SpamAssassin 4.0.1)', 'uridnsbl Z_N nsn.test. A', 'ns', []],
  ];
  for (const [what, def, flags, listed] of cases) {
    test(what, async () => {
      const zone = def.split(/\s+/)[2]!.replace(/\.$/, '');
      for (const n of listed) server.add(n, 'A', '127.0.0.2');
      const got = await hits(rule('Z_N', def, flags), 'http://nsuser.com/', 'http://www.ahost.com/');
      assert.deepEqual(got, listed.length > 0 ? ['Z_N'] : []);
      const names = server.received.filter((q) => q.name.endsWith('.' + zone)).map((q) => q.name);
      for (const n of listed) assert.ok(names.includes(n), `${n} asked`);
      if (listed.length === 0) assert.deepEqual(names, []);
    });
  }
});

describe('definitions in the configuration', () => {
  test('a bad definition is an error with file:line; the rule itself stays', () => {
    const rs = rulesFrom(['urirhssub Z_BAD bad.test. A 127.0.0.x', "body Z_BAD eval:check_uridnsbl('Z_BAD')", 'urirhsbl Z_TYPE t.test. MX'].join('\n'));
    const errors = rs.lint.filter((l) => l.level === 'error').map((l) => `${l.at?.file}:${l.at?.line} ${l.text}`);
    assert.equal(errors.length, 2);
    assert.match(errors[0]!, /^test\.cf:1 .*urirhssub Z_BAD: sub-test 127\.0\.0\.x/);
    assert.match(errors[1]!, /^test\.cf:3 .*lookup type must be A or TXT/);
    assert.ok(rs.compiled.rules.some((r) => r.name === 'Z_BAD'));
  });

  test('the definitions survive the rule-set cache, and the decoded set still asks and hits', async () => {
    server.add('cached.com.cache.test', 'A', '127.0.0.2');
    const rs = rulesFrom(`${BASE}\n${rule('Z_C', 'urirhssub Z_C cache.test. A 2', 'notrim')}`);
    const back = decodeRuleSet(encodeRuleSet(rs));
    assert.ok(typeof back !== 'string', String(back));
    assert.deepEqual(back.options['@uri_lists'], ['urirhssub Z_C cache.test. A 2']);
    const { result } = await netCheck(message('http://cached.com/'), back, server);
    assert.deepEqual(result.tests, ['Z_C']);
  });

  test('without network the rule does not hit', () => {
    const rs = rulesFrom(rule('Z_L', 'urirhsbl Z_L local.test. A'));
    const msg = parseMessage(Buffer.from(message('http://spam.com/')), rs.parseOptions);
    assert.deepEqual(finishScan(scanLocal(msg, rs.compiled, { scoreSet: 1 })).tests, []);
  });
});
