/**
 * The `dns.promises.resolve`-shaped adapter (what mailauth takes as `resolver`): for each
 * record type and failure, it must give what Node's own resolver gives from the same server.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { promises as dns } from 'node:dns';
import { nodeStyleResolver, type NodeStyleResolve } from '../../src/dns/node-adapter';
import { Resolver } from '../../src/dns/resolver';
import { parseResolvConf } from '../../src/dns/servers';
import { TestDnsServer } from '../helpers/dns-server';

let server: TestDnsServer;
let ours: Resolver;
let resolve: NodeStyleResolve;
let node: dns.Resolver;

before(async () => {
  server = await TestDnsServer.start();
  server
    .soa('example.test', 30)
    .add('example.test', 'A', '192.0.2.10')
    .add('example.test', 'A', '192.0.2.11')
    .add('example.test', 'AAAA', '2001:db8::10')
    .add('example.test', 'TXT', 'v=spf1 ip4:192.0.2.0/24 -all')
    .add('example.test', 'TXT', ['v=DKIM1; k=rsa; ', 'p=MIIBIjANBgkq'])
    .add('example.test', 'MX', { preference: 5, exchange: 'mx1.example.test' })
    .add('example.test', 'NS', 'ns1.example.test')
    .add('alias.example.test', 'CNAME', 'example.test')
    .add('10.2.0.192.in-addr.arpa', 'PTR', 'example.test')
    .add('fail.example.test', 'A', '192.0.2.1')
    .behave('fail.example.test', { servfail: true });
  ours = new Resolver({ servers: [server.spec], resolvConf: parseResolvConf(''), tryTimeoutMs: 3_000, attempts: 1 });
  resolve = nodeStyleResolver(ours);
  node = new dns.Resolver({ timeout: 3_000, tries: 1 });
  node.setServers([server.spec]);
});

after(async () => {
  ours.close();
  node.cancel();
  await server.stop();
});

const sorted = (v: unknown): unknown => (Array.isArray(v) ? [...v].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))) : v);

describe('answers have Node shapes', () => {
  const cases: [string, string][] = [
    ['example.test', 'A'],
    ['example.test', 'AAAA'],
    ['example.test', 'TXT'],
    ['example.test', 'MX'],
    ['example.test', 'NS'],
    ['alias.example.test', 'CNAME'],
    ['10.2.0.192.in-addr.arpa', 'PTR'],
    // Only a CNAME in the answer (the server did not chase it): Node gives [], not ENODATA.
    ['alias.example.test', 'MX'],
  ];
  for (const [name, type] of cases) {
    test(`${type} ${name}`, async () => {
      const want = await node.resolve(name, type);
      const got = await resolve(name, type);
      assert.deepEqual(sorted(got), sorted(want));
    });
  }

  test("TXT keeps each record's strings apart (mailauth joins them)", async () => {
    const got = (await resolve('example.test', 'TXT')) as string[][];
    assert.ok(got.some((r) => r.length === 2 && r.join('') === 'v=DKIM1; k=rsa; p=MIIBIjANBgkq'));
  });
});

describe('failures have Node error codes', () => {
  const cases: [string, string, string][] = [
    ['missing.example.test', 'A', 'ENOTFOUND'],
    ['example.test', 'SRV', 'ENODATA'],
    ['fail.example.test', 'A', 'ESERVFAIL'],
  ];
  for (const [name, type, code] of cases) {
    test(`${type} ${name} -> ${code}`, async () => {
      const nodeErr = await node.resolve(name, type).then(() => undefined, (e: NodeJS.ErrnoException) => e);
      const ourErr = await resolve(name, type).then(() => undefined, (e: NodeJS.ErrnoException) => e);
      assert.equal(nodeErr?.code, code);
      assert.equal(ourErr?.code, code);
      assert.equal(ourErr?.syscall, nodeErr?.syscall);
      assert.equal((ourErr as { hostname?: string }).hostname, name);
    });
  }
});
