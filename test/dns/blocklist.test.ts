/** Blocklist query names and answer addresses, table-driven. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { dnsblQueryName, ipv4ToInt, isListingAddress, reverseIp, rhsblQueryName } from '../../src/dns/blocklist';

describe('reverseIp', () => {
  const cases: [string, string | undefined][] = [
    ['192.0.2.1', '1.2.0.192'],
    ['[192.0.2.1]', '1.2.0.192'],
    ['::ffff:192.0.2.1', '1.2.0.192'],
    ['2001:db8::1', '1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2'],
    ['2001:DB8:0:0:1:0:0:abcd', 'd.c.b.a.0.0.0.0.0.0.0.0.1.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2'],
    ['IPv6:2001:db8::', '0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2'],
    ['::1', '1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0'],
    ['64:ff9b::192.0.2.1', '1.0.2.0.0.0.0.c.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.b.9.f.f.4.6.0.0'],
    ['fe80::1%eth0', '1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.e.f'],
    ['256.1.1.1', undefined],
    ['example.com', undefined],
    ['', undefined],
  ];
  for (const [ip, want] of cases) test(ip || '(empty)', () => assert.equal(reverseIp(ip), want));
});

describe('query names', () => {
  test('DNSBL: reversed address under the zone, its trailing dot dropped', () => {
    assert.equal(dnsblQueryName('192.0.2.99', 'zen.spamhaus.org.'), '99.2.0.192.zen.spamhaus.org');
    assert.equal(dnsblQueryName('2001:db8::1', 'ZEN.example'), '1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.zen.example');
    assert.equal(dnsblQueryName('not-an-ip', 'zen.example'), undefined);
  });
  test('RHSBL: the domain prepended', () => {
    assert.equal(rhsblQueryName('Example.COM.', 'dbl.spamhaus.org.'), 'example.com.dbl.spamhaus.org');
  });
});

describe('answer addresses', () => {
  const ints: [string, number | undefined][] = [
    ['127.0.0.2', 0x7f000002],
    ['255.255.255.255', 0xffffffff],
    ['0.0.0.0', 0],
    ['127.0.0.256', undefined],
    ['127.0.0', undefined],
  ];
  for (const [ip, n] of ints) test(`ipv4ToInt ${ip}`, () => assert.equal(ipv4ToInt(ip), n));
  const listing: [string, boolean][] = [
    ['127.0.0.2', true],
    ['127.255.255.254', true],
    ['1.2.3.4', false],
    ['126.0.0.2', false],
    ['::1', false],
  ];
  for (const [ip, want] of listing) test(`isListingAddress ${ip}`, () => assert.equal(isListingAddress(ip), want));
});
