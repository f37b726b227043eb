/**
 * Which relays a check_rbl set queries. Each row is a chain SpamAssassin 4.0.1 was run on
 * (trusted_networks 10/8 plus 1.1.1.1, internal_networks 10/8) against a test DNS server, with
 * the addresses it was seen to query, in order.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { publicIps, rblQueryIps, rblSelection, type RblIpSources } from '../../src/dns/rbl-relays';

interface Row {
  readonly chain: string;
  readonly src: RblIpSources;
  readonly want: Record<string, string[]>;
}

const rows: Row[] = [
  {
    chain: '1.1.1.1 (trusted, external), 2.2.2.2, 3.3.3.3, 5.5.5.5; X-Originating-IP 4.4.4.4',
    src: { untrusted: ['2.2.2.2', '3.3.3.3', '5.5.5.5'], external: ['1.1.1.1', '2.2.2.2', '3.3.3.3', '5.5.5.5'], originating: ['4.4.4.4'] },
    want: {
      t: ['4.4.4.4', '5.5.5.5', '3.3.3.3', '2.2.2.2'],
      'n-notfirsthop': ['2.2.2.2', '3.3.3.3', '5.5.5.5'],
      'l-lastexternal': [],
      'f-firsttrusted': ['2.2.2.2'],
      'u-untrusted': ['3.3.3.3', '5.5.5.5', '4.4.4.4'],
    },
  },
  {
    chain: '10.1.1.1 (internal), 2.2.2.2, 3.3.3.3',
    src: { untrusted: ['2.2.2.2', '3.3.3.3'], external: ['2.2.2.2', '3.3.3.3'] },
    want: { t: ['3.3.3.3', '2.2.2.2'], 'n-notfirsthop': ['2.2.2.2'], 'l-lastexternal': ['2.2.2.2'], 'f-firsttrusted': ['2.2.2.2'], 'u-untrusted': ['3.3.3.3'] },
  },
  {
    chain: '2.2.2.2 only; X-Originating-IP 4.4.4.4',
    src: { untrusted: ['2.2.2.2'], external: ['2.2.2.2'], originating: ['4.4.4.4'] },
    want: { t: ['4.4.4.4', '2.2.2.2'], 'n-notfirsthop': ['2.2.2.2'], 'l-lastexternal': ['2.2.2.2'], 'f-firsttrusted': ['2.2.2.2'], 'u-untrusted': ['4.4.4.4'] },
  },
  {
    chain: '1.1.1.1 (trusted, external), 2.2.2.2',
    src: { untrusted: ['2.2.2.2'], external: ['1.1.1.1', '2.2.2.2'] },
    want: { t: ['2.2.2.2'], 'n-notfirsthop': [], 'l-lastexternal': [], 'f-firsttrusted': ['2.2.2.2'], 'u-untrusted': [] },
  },
  {
    chain: '2.2.2.2 only',
    src: { untrusted: ['2.2.2.2'], external: ['2.2.2.2'] },
    want: { t: ['2.2.2.2'], 'n-notfirsthop': ['2.2.2.2'], 'l-lastexternal': ['2.2.2.2'], 'f-firsttrusted': ['2.2.2.2'], 'u-untrusted': [] },
  },
  {
    chain: '10.1.1.1 (internal), 2.2.2.2, 192.168.1.1, 3.3.3.3, 2.2.2.2 again',
    src: { untrusted: ['2.2.2.2', '192.168.1.1', '3.3.3.3', '2.2.2.2'], external: ['2.2.2.2', '192.168.1.1', '3.3.3.3', '2.2.2.2'] },
    want: { t: ['3.3.3.3', '2.2.2.2'], 'n-notfirsthop': ['2.2.2.2'], 'l-lastexternal': ['2.2.2.2'], 'f-firsttrusted': ['2.2.2.2'], 'u-untrusted': ['3.3.3.3'] },
  },
];

describe('rblQueryIps (observed from SpamAssassin 4.0.1)', () => {
  for (const row of rows) {
    for (const [set, want] of Object.entries(row.want)) {
      test(`${row.chain}: ${set}`, () => assert.deepEqual(rblQueryIps(set, row.src), want));
    }
  }
});

describe('rules of the selection', () => {
  test('a trusted originating address is left out', () => {
    const src = { untrusted: ['2.2.2.2'], external: ['2.2.2.2'], originating: ['4.4.4.4', '10.0.0.9'], isTrusted: (ip: string) => ip === '4.4.4.4' };
    assert.deepEqual(rblQueryIps('t', src), ['2.2.2.2']);
  });
  test('a plain set asks about at most maxIps addresses, the most remote first', () => {
    const untrusted = Array.from({ length: 12 }, (_, i) => `192.0.2.${i + 1}`);
    assert.deepEqual(rblQueryIps('t', { untrusted, external: untrusted }), untrusted.slice(3).reverse());
    assert.equal(rblQueryIps('t', { untrusted, external: untrusted, maxIps: 2 }).length, 2);
  });
  const selections: [string, string][] = [
    ['zen', 'all'],
    ['zen-lastexternal', 'lastexternal'],
    ['iadb-firsttrusted', 'firsttrusted'],
    ['sorbs-notfirsthop', 'notfirsthop'],
    ['x-untrusted', 'untrusted'],
    ['notfirsthop-not', 'all'],
  ];
  for (const [set, want] of selections) test(`set ${set} -> ${want}`, () => assert.equal(rblSelection(set), want));
  test('publicIps drops private, loopback, link-local and repeats', () => {
    assert.deepEqual(publicIps(['10.1.1.1', '8.8.8.8', '127.0.0.1', '::1', 'fe80::1', '8.8.8.8', '', '2001:db8::5']), ['8.8.8.8', '2001:db8::5']);
  });
});
