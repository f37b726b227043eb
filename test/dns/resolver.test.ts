/** The resolver against a real DNS server on 127.0.0.1: statuses, retries, TCP fallback, dedupe, cache. */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Resolver, DnsConfigError, type ResolverOptions } from '../../src/dns/resolver';
import { parseResolvConf } from '../../src/dns/servers';
import { answerAddresses, answerTexts } from '../../src/dns/types';
import { TestDnsServer } from '../helpers/dns-server';

let server: TestDnsServer;
const NO_CONF = parseResolvConf('');
const resolvers: Resolver[] = [];

function resolver(opts: ResolverOptions = {}): Resolver {
  // Generous per-try timeouts where an answer is expected (the test host may be loaded); short ones only where none is.
  const r = new Resolver({ servers: [server.spec], resolvConf: NO_CONF, tryTimeoutMs: 3_000, attempts: 1, ...opts });
  resolvers.push(r);
  return r;
}

before(async () => {
  server = await TestDnsServer.start();
  server
    .soa('bl.test', 60)
    .add('2.0.0.127.bl.test', 'A', '127.0.0.2', 300)
    .add('2.0.0.127.bl.test', 'TXT', ['listed: see ', 'http://bl.test/2'], 300)
    .add('host.example.test', 'A', '192.0.2.1', 5)
    .add('host.example.test', 'AAAA', '2001:db8::1', 5)
    .add('example.test', 'MX', { preference: 10, exchange: 'mx.example.test' })
    .add('example.test', 'NS', 'ns1.example.test')
    .add('1.2.0.192.in-addr.arpa', 'PTR', 'host.example.test')
    .add('www.example.test', 'CNAME', 'host.example.test')
    .add('www.example.test', 'A', '192.0.2.1')
    .add('fail.test', 'A', '127.0.0.2')
    .behave('fail.test', { servfail: true })
    .add('silent.test', 'A', '127.0.0.2')
    .behave('silent.test', { drop: true })
    .add('big.test', 'TXT', ['v=spf1 ', ...Array.from({ length: 8 }, () => 'include:a-long-name.example.test '.repeat(6)), '-all'])
    .behave('big.test', { truncate: true });
});

after(async () => {
  for (const r of resolvers) r.close();
  await server.stop();
  assert.deepEqual(server.errors, []);
});

describe('answers', () => {
  const cases: { name: string; type: 'A' | 'TXT'; status: string; addresses?: string[]; texts?: string[] }[] = [
    { name: '2.0.0.127.bl.test', type: 'A', status: 'NOERROR', addresses: ['127.0.0.2'] },
    { name: '2.0.0.127.BL.test.', type: 'A', status: 'NOERROR', addresses: ['127.0.0.2'] },
    { name: '2.0.0.127.bl.test', type: 'TXT', status: 'NOERROR', texts: ['listed: see http://bl.test/2'] },
    { name: '3.0.0.127.bl.test', type: 'A', status: 'NXDOMAIN', addresses: [] },
    { name: 'host.example.test', type: 'TXT', status: 'NOERROR', texts: [] },
    { name: 'x.fail.test', type: 'A', status: 'SERVFAIL', addresses: [] },
    { name: 'x.silent.test', type: 'A', status: 'TIMEOUT', addresses: [] },
  ];
  for (const c of cases) {
    test(`${c.type} ${c.name} -> ${c.status}`, async () => {
      const a = await resolver(c.status === 'TIMEOUT' ? { tryTimeoutMs: 150 } : {}).query(c.name, c.type);
      assert.equal(a.status, c.status);
      assert.equal(a.name, c.name.toLowerCase().replace(/\.$/, ''));
      if (c.addresses) assert.deepEqual(answerAddresses(a), c.addresses);
      if (c.texts) assert.deepEqual(answerTexts(a), c.texts);
    });
  }

  test('typed records: AAAA, MX, NS, PTR, and a CNAME chain before the A record', async () => {
    const r = resolver();
    assert.deepEqual(answerAddresses(await r.query('host.example.test', 'AAAA')), ['2001:db8::1']);
    const mx = await r.query('example.test', 'MX');
    assert.deepEqual(mx.records.map((x) => x.type === 'MX' && [x.priority, x.exchange]), [[10, 'mx.example.test']]);
    const ns = await r.query('example.test', 'NS');
    assert.deepEqual(ns.records.map((x) => x.type === 'NS' && x.value), ['ns1.example.test']);
    const ptr = await r.query('1.2.0.192.in-addr.arpa', 'PTR');
    assert.deepEqual(ptr.records.map((x) => x.type === 'PTR' && x.value), ['host.example.test']);
    const www = await r.query('www.example.test', 'A');
    assert.deepEqual(www.records.map((x) => x.type), ['CNAME', 'A']);
    assert.deepEqual(answerAddresses(www), ['192.0.2.1']);
  });

  test('a negative answer carries the SOA minimum as its TTL; positive ones the smallest record TTL', async () => {
    const r = resolver();
    assert.equal((await r.query('9.9.9.9.bl.test', 'A')).ttl, 60);
    assert.equal((await r.query('host.example.test', 'A')).ttl, 5);
    // No SOA for example.test: a negative answer is not cacheable.
    assert.equal((await r.query('nothing.example.test', 'A')).ttl, 0);
  });
});

describe('retries and transports', () => {
  test('a server that never answers is tried `attempts` times, then TIMEOUT', async () => {
    const before = server.count('retry.silent.test');
    const a = await resolver({ tryTimeoutMs: 80, attempts: 3 }).query('retry.silent.test', 'A');
    assert.equal(a.status, 'TIMEOUT');
    assert.equal(server.count('retry.silent.test') - before, 3);
  });

  test('a silent first server gives way to the next one', async () => {
    const dead = await TestDnsServer.start();
    dead.behave('test', { drop: true });
    try {
      const r = resolver({ servers: [dead.spec, server.spec], tryTimeoutMs: 1_000 });
      const a = await r.query('2.0.0.127.bl.test', 'A');
      assert.equal(a.status, 'NOERROR');
      assert.equal(dead.count('2.0.0.127.bl.test'), 1);
    } finally {
      await dead.stop();
    }
  });

  test('SERVFAIL from the first server: the next one is asked', async () => {
    const failing = await TestDnsServer.start();
    failing.behave('test', { servfail: true });
    try {
      const a = await resolver({ servers: [failing.spec, server.spec] }).query('2.0.0.127.bl.test', 'A');
      assert.equal(a.status, 'NOERROR');
      assert.equal(failing.count('2.0.0.127.bl.test'), 1);
    } finally {
      await failing.stop();
    }
  });

  test('a truncated UDP answer is asked again over TCP', async () => {
    const r = resolver();
    const a = await r.query('big.test', 'TXT');
    assert.equal(a.status, 'NOERROR');
    assert.match(answerTexts(a)[0]!, /^v=spf1 include:a-long-name/);
    const got = server.received.filter((q) => q.name === 'big.test').map((q) => q.transport);
    assert.deepEqual(got, ['udp', 'tcp']);
    assert.equal(r.stats.packets, 2);
  });

  test('EDNS0 is offered by default, not with a 512-byte payload', async () => {
    await resolver().query('edns-on.example.test', 'A');
    await resolver({ ednsPayload: 512 }).query('edns-off.example.test', 'A');
    assert.equal(server.received.find((q) => q.name === 'edns-on.example.test')?.edns, true);
    assert.equal(server.received.find((q) => q.name === 'edns-off.example.test')?.edns, false);
  });

  test('close() ends a query in flight at once, as TIMEOUT', async () => {
    const r = resolver({ tryTimeoutMs: 10_000 });
    const started = Date.now();
    const p = r.query('closing.silent.test', 'A');
    setTimeout(() => r.close(), 20);
    assert.equal((await p).status, 'TIMEOUT');
    assert.ok(Date.now() - started < 2000);
  });

  test('a name DNS cannot carry is not sent: ERROR at once', async () => {
    const r = resolver();
    for (const name of ['a'.repeat(64) + '.bl.test', 'a..bl.test', `${'abcdefgh.'.repeat(28)}bl.test`, '']) {
      assert.equal((await r.query(name, 'A')).status, 'ERROR', name);
    }
    assert.equal(r.stats.packets, 0);
  });

  test('a dns_server entry that is not an address is a coded error', () => {
    assert.throws(() => new Resolver({ servers: ['dns.example'], resolvConf: NO_CONF }), (e: unknown) => e instanceof DnsConfigError && e.code === 'HAMLET_ERR_DNS_SERVER');
  });
});

describe('dedupe and cache', () => {
  test('two lookups of one name at once send one packet', async () => {
    const r = resolver();
    const [a, b] = await Promise.all([r.query('2.0.0.127.bl.test', 'A'), r.query('2.0.0.127.BL.TEST', 'A')]);
    assert.deepEqual(answerAddresses(a), answerAddresses(b));
    assert.equal(r.stats.packets, 1);
    assert.equal(r.stats.joined, 1);
  });

  test('a cached answer sends nothing until its TTL runs out', async () => {
    let now = 1_000_000;
    const r = resolver({ clock: () => now });
    const name = 'host.example.test';
    const before = server.count(name, 'A');
    assert.equal((await r.query(name, 'A')).cached, false);
    now += 4_000;
    const again = await r.query(name, 'A');
    assert.equal(again.cached, true);
    assert.deepEqual(answerAddresses(again), ['192.0.2.1']);
    assert.equal(server.count(name, 'A') - before, 1);
    now += 1_500; // past the 5 s TTL
    assert.equal((await r.query(name, 'A')).cached, false);
    assert.equal(server.count(name, 'A') - before, 2);
  });

  test('NXDOMAIN is cached for the SOA minimum; SERVFAIL and timeouts are not cached', async () => {
    let now = 0;
    const r = resolver({ clock: () => now, tryTimeoutMs: 500 });
    await r.query('7.7.7.7.bl.test', 'A');
    now += 59_000;
    assert.equal((await r.query('7.7.7.7.bl.test', 'A')).cached, true);
    now += 2_000;
    assert.equal((await r.query('7.7.7.7.bl.test', 'A')).cached, false);
    await r.query('c.fail.test', 'A');
    assert.equal((await r.query('c.fail.test', 'A')).cached, false);
    await r.query('c.silent.test', 'A');
    assert.equal((await r.query('c.silent.test', 'A')).cached, false);
    assert.equal(server.count('c.fail.test') + server.count('c.silent.test'), 4);
  });

  test('the cache keeps at most cacheSize answers, the least recently used going first', async () => {
    const r = resolver({ cacheSize: 2 });
    await r.query('host.example.test', 'A');
    await r.query('host.example.test', 'AAAA');
    await r.query('host.example.test', 'A'); // now AAAA is the oldest
    await r.query('2.0.0.127.bl.test', 'A');
    assert.equal((await r.query('host.example.test', 'A')).cached, true);
    assert.equal((await r.query('host.example.test', 'AAAA')).cached, false);
  });
});
