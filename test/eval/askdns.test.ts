/**
 * askdns rules against a test DNS server: template tags from the message and from another
 * area's wait (a hand-made stand-in for DKIM's `mailauth`), the filter forms, answers that
 * fail, one query per name, and the rule as any other rule (scores, metas, lint, the cache).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeRuleSet, encodeRuleSet } from '../../src/config/rule-cache-codec';
import type { NetScan } from '../../src/dns/net-scan';
import { TestDnsServer } from '../helpers/dns-server';
import { netCheck, rulesFrom } from '../helpers/net-check';

let server: TestDnsServer;
before(async () => {
  server = await TestDnsServer.start();
});
after(async () => {
  await server.stop();
});

const message = (from: string, extra = ''): string =>
  `From: Joe <joe@${from}>\nTo: b@example.net\n${extra}Subject: hi\nDate: Mon, 7 Dec 2026 00:00:00 +0000\nMessage-ID: <a@example.org>\n\nhello\n`;

const askdns = (name: string, def: string): string => [`askdns ${name} ${def}`, `tflags ${name} net`, `score ${name} 1.5`].join('\n');

async function hits(cf: string, msg: string, afterStart?: (net: NetScan) => void): Promise<string[]> {
  const { result } = await netCheck(msg, rulesFrom(`rbl_timeout 2 1\n${cf}`), server, afterStart);
  return [...result.tests];
}

describe('filters', () => {
  before(() => {
    server.add('listed.com.dwl.test', 'TXT', 'list').add('multi.com.dwl.test', 'TXT', ['trans', 'action']);
    server.add('listed.com.a.test', 'A', '127.0.0.2').add('other.com.a.test', 'A', '127.0.0.12').add('nonlisting.com.a.test', 'A', '10.0.0.2');
    server.add('listed.com.sf.test', 'TXT', 'x').behave('sf.test', { servfail: true });
  });
  const cases: [string, string, boolean][] = [
    ['_AUTHORDOMAIN_.dwl.test TXT', 'listed.com', true],
    ['_AUTHORDOMAIN_.dwl.test TXT', 'unlisted.com', false],
    ['_AUTHORDOMAIN_.dwl.test TXT "list"', 'listed.com', true],
    ["_AUTHORDOMAIN_.dwl.test TXT 'lis'", 'listed.com', false],
    ['_AUTHORDOMAIN_.dwl.test TXT "transaction"', 'multi.com', true],
    ['_AUTHORDOMAIN_.dwl.test TXT /^(?:[a-z]+ )*(transaction|list|all)( [a-z]+)*$/', 'listed.com', true],
    ['_AUTHORDOMAIN_.dwl.test TXT m{^LIST$}i', 'listed.com', true],
    ['_AUTHORDOMAIN_.dwl.test TXT /^all$/', 'listed.com', false],
    ['_AUTHORDOMAIN_.a.test', 'listed.com', true],
    ['_AUTHORDOMAIN_.a.test', 'nonlisting.com', true],
    ['_AUTHORDOMAIN_.a.test A 127.0.0.2', 'listed.com', true],
    ['_AUTHORDOMAIN_.a.test A 127.0.0.2', 'other.com', false],
    ['_AUTHORDOMAIN_.a.test A 0x8', 'other.com', true],
    ['_AUTHORDOMAIN_.a.test A 0x2', 'nonlisting.com', false],
    ['_AUTHORDOMAIN_.a.test A 127.0.0.10-127.0.0.20', 'other.com', true],
    ['_AUTHORDOMAIN_.a.test A 127.0.0.0/255.255.255.240', 'listed.com', true],
    ['_AUTHORDOMAIN_.a.test TXT', 'listed.com', false],
    ['_AUTHORDOMAIN_.a.test A [NXDOMAIN]', 'unlisted.com', true],
    ['_AUTHORDOMAIN_.a.test A [NXDOMAIN,2]', 'listed.com', false],
    ['_AUTHORDOMAIN_.sf.test TXT', 'listed.com', false],
    ['_AUTHORDOMAIN_.sf.test TXT [ServFail]', 'listed.com', true],
  ];
  for (const [def, from, hit] of cases) {
    test(`${def} for ${from}: ${hit ? 'hit' : 'no hit'}`, async () => {
      assert.deepEqual(await hits(askdns('Z_ASK', def), message(from)), hit ? ['Z_ASK'] : []);
    });
  }
});

describe('tags and queries', () => {
  test('a tag the message lacks asks nothing', async () => {
    const before = server.received.length;
    assert.deepEqual(await hits(askdns('Z_NONE', '_LASTEXTERNALIP_.none.test'), message('x.com')), []);
    assert.equal(server.received.length, before);
  });

  test('timeout and truncated answers', async () => {
    server.add('slow.com.drop.test', 'A', '127.0.0.2').behave('drop.test', { drop: true });
    server.add('big.com.tc.test', 'A', '127.0.0.2').behave('tc.test', { truncate: true });
    assert.deepEqual(await hits(askdns('Z_T', '_AUTHORDOMAIN_.drop.test'), message('slow.com')), []);
    assert.deepEqual(await hits(askdns('Z_T', '_AUTHORDOMAIN_.tc.test'), message('big.com')), ['Z_T']);
    assert.ok(server.received.some((q) => q.name === 'big.com.tc.test' && q.transport === 'tcp'));
  });

  test('rules sharing a template ask once; metas and scores see their hits', async () => {
    server.add('dup.com.dup.test', 'A', '127.0.0.3');
    const cf = [
      askdns('Z_ONE', '_AUTHORDOMAIN_.dup.test A 0x1'),
      askdns('Z_TWO', '_AUTHORDOMAIN_.dup.test A 0x2'),
      askdns('Z_FOUR', '_AUTHORDOMAIN_.dup.test A 0x4'),
      'meta Z_BOTH Z_ONE && Z_TWO && !Z_FOUR',
      'score Z_BOTH 0.5',
    ].join('\n');
    const { result } = await netCheck(message('dup.com'), rulesFrom(cf), server);
    assert.deepEqual([...result.tests].sort(), ['Z_BOTH', 'Z_ONE', 'Z_TWO']);
    assert.equal(result.score, 3.5);
    assert.equal(server.count('dup.com.dup.test', 'A'), 1);
  });

  test('_DKIMDOMAIN_ waits for mailauth: one query per signing domain', async () => {
    server.add('good.org._vouch.dwl.test', 'TXT', 'all');
    const cf = askdns('Z_DWL', '_DKIMDOMAIN_._vouch.dwl.test TXT /\\b(transaction|list|all)\\b/');
    // The stand-in starts after the rules did: askdns must still find it (and its tag).
    const standIn = (net: NetScan): void => {
      net.wait('mailauth', async () => {
        await new Promise((r) => setTimeout(r, 50));
        net.tags.set('DKIMDOMAIN', 'bad.com good.org');
      });
    };
    assert.deepEqual(await hits(cf, message('x.com'), standIn), ['Z_DWL']);
    assert.equal(server.count('bad.com._vouch.dwl.test', 'TXT'), 1);
    assert.equal(server.count('good.org._vouch.dwl.test', 'TXT'), 1);
    // Without DKIM (no wait, no tag) nothing is asked.
    const before = server.count('good.org._vouch.dwl.test');
    assert.deepEqual(await hits(cf, message('x.com')), []);
    assert.equal(server.count('good.org._vouch.dwl.test'), before);
  });

  test('several tags give their cartesian product', async () => {
    server.add('a.com.b.com.x.test', 'A', '127.0.0.2');
    const msg = message('a.com', 'Return-Path: <bounce@b.com>\n');
    assert.deepEqual(await hits(askdns('Z_X', '_AUTHORDOMAIN_._SENDERDOMAIN_.x.test'), msg), ['Z_X']);
  });
});

describe('askdns in the configuration', () => {
  test('bad rules are disabled with their reason; good ones are active network rules', () => {
    const rs = rulesFrom(['askdns Z_ANY _AUTHORDOMAIN_.x.test ANY', 'askdns Z_RE _AUTHORDOMAIN_.x.test TXT /(/', 'askdns Z_OK _AUTHORDOMAIN_.x.test'].join('\n'));
    const reasons = Object.fromEntries(rs.disabled.map((d) => [d.name, d.reason]));
    assert.match(reasons['Z_ANY']!, /bad askdns rule: askdns query type ANY/);
    assert.match(reasons['Z_RE']!, /bad askdns rule: filter/);
    const ok = rs.compiled.rules.find((r) => r.name === 'Z_OK');
    assert.ok(ok && ok.test.type === 'eval' && ok.test.net !== undefined);
  });

  test('an eval: line cannot call the internal askdns eval', () => {
    const rs = rulesFrom("header Z_SNEAK eval:__askdns('x.test', 'A', '')");
    assert.match(rs.disabled.find((d) => d.name === 'Z_SNEAK')?.reason ?? '', /cannot be used in a header rule/);
  });

  test('the rule survives the rule-set cache and still asks and hits', async () => {
    server.add('cached.com.c.test', 'A', '127.0.0.2');
    const back = decodeRuleSet(encodeRuleSet(rulesFrom(askdns('Z_C', '_AUTHORDOMAIN_.c.test A 127.0.0.2'))));
    assert.ok(typeof back !== 'string', String(back));
    const { result } = await netCheck(message('cached.com'), back, server);
    assert.deepEqual(result.tests, ['Z_C']);
  });
});
