/**
 * check_rbl, check_rbl_txt, check_rbl_sub and check_rbl_accreditor against a real DNS server on
 * 127.0.0.1: listed / not listed / SERVFAIL / timeout / truncated (TCP), sub-tests, set
 * suffixes, one query per address however many rules share a set, skip_rbl_checks, the _RBL_ tag.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseMessage } from '../../src/message/parse';
import { finishScan, scanLocal } from '../../src/engine/scanner';
import { TestDnsServer } from '../helpers/dns-server';
import { netCheck, rulesFrom } from '../helpers/net-check';
import { relayedMessage, rev } from '../helpers/rbl-message';

let server: TestDnsServer;

// trusted_networks: 10/8 and 1.1.1.1, so 1.1.1.1 is a trusted external hop.
const NETS = ['trusted_networks 10.0.0.0/8 1.1.1.1', 'internal_networks 10.0.0.0/8', 'rbl_timeout 2 1'];

before(async () => {
  server = await TestDnsServer.start();
  server
    .add(`${rev('2.2.2.2')}.bl.test`, 'A', '127.0.0.2')
    .add(`${rev('3.3.3.3')}.bl.test`, 'A', '127.0.0.10')
    .add(`${rev('3.3.3.3')}.bl.test`, 'A', '127.0.0.4')
    .add(`${rev('2.2.2.2')}.txt.test`, 'TXT', 'listed, see https://bl.example/2.2.2.2')
    .add(`${rev('2.2.2.2')}.wild.test`, 'A', '10.9.8.7')
    .add(`${rev('2.2.2.2')}.slow.test`, 'A', '127.0.0.2')
    .add(`${rev('2.2.2.2')}.tcp.test`, 'A', '127.0.0.2')
    .add(`${rev('2.2.2.2')}.fail.test`, 'A', '127.0.0.2')
    .behave('slow.test', { drop: true })
    .behave('tcp.test', { truncate: true })
    .behave('fail.test', { servfail: true });
});

after(async () => {
  await server.stop();
});

/** The rules that hit when `cf` (plus the network settings) scans `msg`. */
async function hits(cf: string[], msg: string): Promise<string[]> {
  const { result } = await netCheck(msg, rulesFrom([...NETS, ...cf].join('\n')), server);
  return [...result.counts.keys()].filter((n) => n.startsWith('Z_')).sort();
}

const rule = (name: string, test: string): string[] => [`header ${name} eval:${test}`, `tflags ${name} net`, `score ${name} 0.1`];

// Relay chain: 10.1.1.1 (internal) then 2.2.2.2 (the hop that reached us) then 3.3.3.3.
const MSG = relayedMessage(['10.1.1.1', '2.2.2.2', '3.3.3.3']);

describe('check_rbl outcomes', () => {
  const rows: { what: string; test: string; hit: boolean }[] = [
    { what: 'listed', test: "check_rbl('a', 'bl.test.')", hit: true },
    { what: 'not listed (NXDOMAIN)', test: "check_rbl('a', 'none.test.')", hit: false },
    { what: 'SERVFAIL', test: "check_rbl('a', 'fail.test.')", hit: false },
    { what: 'timeout', test: "check_rbl('a', 'slow.test.')", hit: false },
    { what: 'truncated: answered over TCP', test: "check_rbl('a', 'tcp.test.')", hit: true },
    { what: 'answer outside 127/8', test: "check_rbl('a', 'wild.test.')", hit: false },
    { what: 'TXT listed', test: "check_rbl_txt('t', 'txt.test.')", hit: true },
    { what: 'TXT regex sub-test', test: "check_rbl_txt('t', 'txt.test.', '(?i:SEE HTTPS)')", hit: true },
    { what: 'TXT regex sub-test, no match', test: "check_rbl_txt('t', 'txt.test.', 'spamcop')", hit: false },
    { what: 'exact sub-test', test: "check_rbl('a', 'bl.test.', '127.0.0.4')", hit: true },
    { what: 'exact sub-test, no match', test: "check_rbl('a', 'bl.test.', '127.0.0.3')", hit: false },
    { what: 'bitmask sub-test', test: "check_rbl('a', 'bl.test.', '8')", hit: true },
    { what: 'bitmask sub-test, no match', test: "check_rbl('a', 'bl.test.', '1')", hit: false },
    { what: 'range as a regex', test: "check_rbl('a', 'bl.test.', '^127\\.0\\.0\\.1[01]$')", hit: true },
  ];
  for (const row of rows) {
    test(`${row.what}: ${row.hit ? 'hits' : 'no hit'}`, async () => {
      assert.deepEqual(await hits(rule('Z_R', row.test), MSG), row.hit ? ['Z_R'] : []);
    });
  }

  test('a truncated answer was asked again over TCP', async () => {
    assert.ok(server.received.some((q) => q.name === `${rev('2.2.2.2')}.tcp.test` && q.transport === 'tcp'));
  });
});

describe('check_rbl_sub', () => {
  test('reads its set and asks nothing itself; each address asked once for the set', async () => {
    server.received.length = 0;
    const cf = [
      ...rule('Z_MAIN', "check_rbl('zen', 'bl.test.')"),
      ...rule('Z_SAME', "check_rbl('zen', 'bl.test.', '127.0.0.2')"),
      ...rule('Z_SUB4', "check_rbl_sub('zen', '127.0.0.4')"),
      ...rule('Z_SUB8', "check_rbl_sub('zen', '8')"),
      ...rule('Z_SUB3', "check_rbl_sub('zen', '127.0.0.3')"),
      ...rule('Z_OTHER', "check_rbl_sub('other', '127.0.0.2')"),
    ];
    assert.deepEqual(await hits(cf, MSG), ['Z_MAIN', 'Z_SAME', 'Z_SUB4', 'Z_SUB8']);
    assert.equal(server.count(`${rev('2.2.2.2')}.bl.test`, 'A'), 1);
    assert.equal(server.count(`${rev('3.3.3.3')}.bl.test`, 'A'), 1);
    assert.equal(server.received.length, 2);
  });
});

describe('set suffixes choose the relays', () => {
  const rows: { set: string; asked: string[] }[] = [
    { set: 'all', asked: ['3.3.3.3', '2.2.2.2'] },
    { set: 'x-lastexternal', asked: ['2.2.2.2'] },
    { set: 'x-notfirsthop', asked: ['2.2.2.2'] },
    { set: 'x-firsttrusted', asked: ['2.2.2.2'] },
    { set: 'x-untrusted', asked: ['3.3.3.3'] },
  ];
  for (const row of rows) {
    test(row.set, async () => {
      server.received.length = 0;
      await hits(rule('Z_S', `check_rbl('${row.set}', 'sets.test.')`), MSG);
      assert.deepEqual(server.received.map((q) => rev(q.name.replace(/\.sets\.test$/, ''))).sort(), [...row.asked].sort());
    });
  }

  test('originating_ip_headers addresses are asked by a plain set', async () => {
    server.received.length = 0;
    const msg = relayedMessage(['10.1.1.1', '2.2.2.2'], 'X-Originating-IP: [4.4.4.4]\n');
    await hits(['clear_originating_ip_headers', 'originating_ip_headers X-Originating-IP', ...rule('Z_S', "check_rbl('o', 'orig.test.')")], msg);
    assert.deepEqual(server.received.map((q) => q.name), [`${rev('4.4.4.4')}.orig.test`, `${rev('2.2.2.2')}.orig.test`]);
  });

  test('a trusted-only chain asks nothing', async () => {
    server.received.length = 0;
    assert.deepEqual(await hits(rule('Z_S', "check_rbl('a', 'bl.test.')"), relayedMessage(['10.1.1.1', '10.2.2.2'])), []);
    assert.equal(server.received.length, 0);
  });
});

describe('switches and arguments', () => {
  test('skip_rbl_checks: no queries, no hits', async () => {
    server.received.length = 0;
    assert.deepEqual(await hits(['skip_rbl_checks 1', ...rule('Z_R', "check_rbl('a', 'bl.test.')"), ...rule('Z_S', "check_rbl_sub('a', '2')")], MSG), []);
    assert.equal(server.received.length, 0);
  });

  test('without network (-L) the rules run, read nothing and do not hit', () => {
    const rs = rulesFrom([...NETS, ...rule('Z_R', "check_rbl('a', 'bl.test.')"), ...rule('Z_S', "check_rbl_sub('a', '2')")].join('\n'));
    const result = finishScan(scanLocal(parseMessage(Buffer.from(MSG), rs.parseOptions), rs.compiled, { scoreSet: 0 }));
    assert.deepEqual([...result.counts.keys()].filter((n) => n.startsWith('Z_')), []);
    assert.equal(result.evalFailures, undefined);
  });

  test('a bad sub-test disables its rule at compile time, with the reason', () => {
    const rs = rulesFrom([...rule('Z_BAD', "check_rbl_sub('a', '(?<=x+)y(')"), ...rule('Z_OK', "check_rbl('a', 'bl.test.')")].join('\n'));
    const bad = rs.disabled.find((d) => d.name === 'Z_BAD');
    assert.match(bad?.reason ?? '', /check_rbl_sub: sub-test/);
    assert.equal(rs.disabled.some((d) => d.name === 'Z_OK'), false);
  });

  test('check_rbl with no zone is disabled', () => {
    const rs = rulesFrom(rule('Z_NOZONE', "check_rbl('a')").join('\n'));
    assert.match(rs.disabled.find((d) => d.name === 'Z_NOZONE')?.reason ?? '', /needs a zone/);
  });

  test('check_rbl_accreditor asks only when the Accreditor header names it', async () => {
    const cf = [...rule('Z_FOO', "check_rbl_accreditor('acc', 'bl.test.', '', 'foo')"), ...rule('Z_BAR', "check_rbl_accreditor('acc2', 'bl.test.', '', 'bar')")];
    server.received.length = 0;
    assert.deepEqual(await hits(cf, relayedMessage(['10.1.1.1', '2.2.2.2'], 'Accreditor: Foo; x=1, baz\n')), ['Z_FOO']);
    assert.equal(server.received.length, 1);
    assert.deepEqual(await hits(cf, MSG), []);
  });
});

describe('the _RBL_ tag', () => {
  test('lists each answer with records, TXT marked, whether or not a rule hit', async () => {
    const cf = [
      ...rule('Z_A', "check_rbl('a', 'bl.test.', '127.0.0.99')"), ...rule('Z_T', "check_rbl_txt('t', 'txt.test.')"),
      ...rule('Z_N', "check_rbl('n', 'none.test.')"), ...rule('Z_W', "check_rbl('w', 'wild.test.')"),
    ];
    const { net } = await netCheck(MSG, rulesFrom([...NETS, ...cf].join('\n')), server);
    assert.deepEqual((net.tags.get('RBL') ?? '').split('\n').sort(), [
      `<dns:${rev('2.2.2.2')}.bl.test> [127.0.0.2]`,
      `<dns:${rev('2.2.2.2')}.txt.test?type=TXT> [listed, see https://bl.example/2.2.2.2]`,
      `<dns:${rev('2.2.2.2')}.wild.test> [10.9.8.7]`,
      `<dns:${rev('3.3.3.3')}.bl.test> [127.0.0.10, 127.0.0.4]`,
    ]);
  });

  test('absent when nothing is listed', async () => {
    const { net } = await netCheck(MSG, rulesFrom([...NETS, ...rule('Z_N', "check_rbl('n', 'none.test.')")].join('\n')), server);
    assert.equal(net.tags.has('RBL'), false);
  });
});
