/** A scan's lookups: started once per (name, type), harvested with rbl_timeout's shrinking deadline. */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { LookupSet, type QueryFn } from '../../src/dns/lookup-set';
import { DEFAULT_RBL_TIMEOUT, rblTimeout, shrunkTimeout, type RblTimeout } from '../../src/dns/rbl-timeout';
import { Resolver } from '../../src/dns/resolver';
import { parseResolvConf } from '../../src/dns/servers';
import type { DnsAnswer, QueryType } from '../../src/dns/types';
import { TestDnsServer } from '../helpers/dns-server';

describe('rbl_timeout', () => {
  // SpamAssassin's chart for `rbl_timeout 15 3`: queries left (share) -> seconds allowed.
  const chart: [number, number][] = [
    [1, 15], [0.9, 14.9], [0.8, 14.5], [0.7, 13.9], [0.6, 13.1], [0.5, 12.0],
    [0.4, 10.7], [0.3, 9.1], [0.2, 7.3], [0.1, 5.3], [0, 3],
  ];
  for (const [left, seconds] of chart) {
    test(`${left * 100}% left -> ${seconds} s`, () => {
      const done = Math.round((1 - left) * 10);
      assert.equal(Math.round(shrunkTimeout(DEFAULT_RBL_TIMEOUT, done, 10) * 10) / 10, seconds);
    });
  }

  const settings: [number, number | undefined, RblTimeout | string][] = [
    [15, undefined, { t: 15, tMin: 3 }],
    [10, 4, { t: 10, tMin: 4 }],
    [2, 5, { t: 5, tMin: 5 }],
    [0, undefined, { t: 0, tMin: 0 }],
    [-1, undefined, 'rbl_timeout: expected non-negative seconds'],
  ];
  for (const [t, tMin, want] of settings) {
    test(`rbl_timeout ${t} ${tMin ?? ''}`, () => assert.deepEqual(rblTimeout(t, tMin), want));
  }
});

/** A stand-in resolver whose answers the test releases by hand. */
function manualResolver(): QueryFn & { release(name: string): void; asked: string[] } {
  const waiting = new Map<string, (a: DnsAnswer) => void>();
  const asked: string[] = [];
  return {
    asked,
    query(name: string, type: QueryType) {
      asked.push(name);
      return new Promise((resolve) => waiting.set(name, resolve)).then(() => ({ name, type, status: 'NOERROR', records: [], ttl: 0, cached: false }) as DnsAnswer);
    },
    release(name: string) {
      waiting.get(name)?.({} as DnsAnswer);
    },
  };
}

describe('deadlines (clock moved by hand)', () => {
  test('the deadline shrinks as answers arrive, and expiring one shrinks the rest', async () => {
    let now = 0;
    const r = manualResolver();
    const set = new LookupSet(r, { timeout: { t: 10, tMin: 2 }, clock: () => now });
    const names = ['a', 'b', 'c', 'd', 'e'].map((n) => `${n}.bl.test`);
    const lookups = names.map((n) => set.start(n, 'A'));
    assert.equal(set.deadline(lookups[4]!), 10_000);
    for (const n of names.slice(0, 4)) r.release(n);
    await Promise.all(lookups.slice(0, 4).map((l) => l.promise));
    // 4 of 5 done: 10 - 8 * 0.8^2 = 4.88 s.
    assert.equal(set.deadline(lookups[4]!), 4_880);
    now = 4_879;
    assert.equal(set.expireDue(), false);
    assert.equal(lookups[4]!.result(), undefined);
    now = 4_880;
    assert.equal(set.expireDue(), true);
    assert.equal(lookups[4]!.result()?.status, 'TIMEOUT');
    assert.equal(lookups[0]!.result()?.status, 'NOERROR');
  });

  test("outcomes() counts the set's lookups by how they ended (hamletd's DNS metrics)", async () => {
    let now = 0;
    const r = manualResolver();
    const set = new LookupSet(r, { timeout: { t: 10, tMin: 2 }, clock: () => now });
    const [a, b] = [set.start('a.bl.test', 'A'), set.start('b.bl.test', 'A'), set.start('c.bl.test', 'TXT')];
    assert.deepEqual(set.outcomes(), { pending: 3 });
    r.release('a.bl.test');
    r.release('b.bl.test');
    await Promise.all([a!.promise, b!.promise]);
    now = 60_000;
    set.expireDue();
    assert.deepEqual(set.outcomes(), { NOERROR: 2, TIMEOUT: 1 });
  });

  test('a lookup started later is measured from its own start; a per-zone timeout applies to it alone', () => {
    let now = 0;
    const set = new LookupSet(manualResolver(), { clock: () => now });
    const first = set.start('a.bl.test', 'A');
    now = 1_000;
    const second = set.start('b.other.test', 'A', { t: 2, tMin: 1 });
    assert.equal(set.deadline(first), 15_000);
    assert.equal(set.deadline(second), 3_000);
  });

  test('one lookup per (name, type): case and trailing dot do not matter, the type does', () => {
    const r = manualResolver();
    const set = new LookupSet(r);
    const a = set.start('2.0.0.127.zen.test', 'A');
    assert.equal(set.start('2.0.0.127.ZEN.test.', 'A'), a);
    assert.notEqual(set.start('2.0.0.127.zen.test', 'TXT'), a);
    assert.equal(set.get('2.0.0.127.zen.test.', 'A'), a);
    assert.deepEqual(r.asked, ['2.0.0.127.zen.test', '2.0.0.127.zen.test']);
    set.abandon();
    assert.equal(a.result()?.status, 'TIMEOUT');
  });
});

describe('harvest against a DNS server', () => {
  let server: TestDnsServer;
  let resolver: Resolver;
  before(async () => {
    server = await TestDnsServer.start();
    for (const n of ['a', 'b', 'c', 'd']) server.add(`${n}.fast.test`, 'A', '127.0.0.2');
    server.add('x.slow.test', 'A', '127.0.0.3').behave('slow.test', { delayMs: 150 });
    server.add('x.never.test', 'A', '127.0.0.4').behave('never.test', { drop: true });
    resolver = new Resolver({ servers: [server.spec], resolvConf: parseResolvConf(''), tryTimeoutMs: 5_000, attempts: 1 });
  });
  after(async () => {
    resolver.close();
    await server.stop();
  });

  test('results are there synchronously after harvest; a slow answer within the deadline counts', async () => {
    resolver.clearCache();
    const set = new LookupSet(resolver, { timeout: { t: 3, tMin: 1 } });
    const fast = set.start('a.fast.test', 'A');
    const slow = set.start('x.slow.test', 'A');
    assert.equal(fast.result(), undefined);
    await set.harvest();
    assert.equal(set.pending, 0);
    assert.equal(fast.result()?.records[0]?.type, 'A');
    assert.equal(slow.result()?.status, 'NOERROR');
  });

  test('a zone that never answers ends the harvest at the shrunk deadline, other answers intact', async () => {
    resolver.clearCache();
    const set = new LookupSet(resolver, { timeout: { t: 2, tMin: 0.2 } });
    const fast = ['a', 'b', 'c', 'd'].map((n) => set.start(`${n}.fast.test`, 'A'));
    const never = set.start('x.never.test', 'A');
    const started = Date.now();
    await set.harvest();
    const took = Date.now() - started;
    // 4 of 5 answered: 2 - 1.8 * 0.64 = 0.848 s, not the full 2 s.
    // Below the full 2 s even on a loaded host.
    assert.ok(took >= 800 && took < 1_900, `harvest took ${took} ms`);
    assert.equal(never.result()?.status, 'TIMEOUT');
    for (const l of fast) assert.equal(l.result()?.status, 'NOERROR');
  });

  test('alone, a lookup that never answers waits the full rbl_timeout', async () => {
    const set = new LookupSet(resolver, { timeout: { t: 0.4, tMin: 0.1 } });
    const never = set.start('y.never.test', 'A');
    const started = Date.now();
    await set.harvest();
    const took = Date.now() - started;
    assert.ok(took >= 390 && took < 1_200, `harvest took ${took} ms`);
    assert.equal(never.result()?.status, 'TIMEOUT');
  });

  test('two scans asking the same name at once put one query on the wire', async () => {
    resolver.clearCache();
    const before = server.count('b.fast.test');
    const s1 = new LookupSet(resolver);
    const s2 = new LookupSet(resolver);
    s1.start('b.fast.test', 'A');
    s2.start('b.fast.test', 'A');
    await Promise.all([s1.harvest(), s2.harvest()]);
    assert.equal(server.count('b.fast.test') - before, 1);
  });
});
