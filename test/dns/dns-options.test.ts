/** dns_options lines, table-driven from the Conf documentation's description. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyDnsOptions, DEFAULT_DNS_OPTIONS, type DnsOptions } from '../../src/dns/dns-options';

const cases: [string, Partial<DnsOptions>, string[]][] = [
  ['rotate', { rotate: true }, []],
  ['NoV6, norotate', { v6: false }, []],
  ['noedns', { ednsPayload: 512 }, []],
  ['edns', { ednsPayload: 1220 }, []],
  ['edns0=1410', { ednsPayload: 1410 }, []],
  ['edns=100', { ednsPayload: 512 }, []],
  ['dns0x20 nov4', { dns0x20: true, v4: false }, []],
  ['rotate bogus v6=3', { rotate: true }, ['dns_options: unknown option bogus', 'dns_options: unknown option v6=3']],
];
for (const [line, changed, errors] of cases) {
  test(`dns_options ${line}`, () => {
    assert.deepEqual(applyDnsOptions(DEFAULT_DNS_OPTIONS, line), { options: { ...DEFAULT_DNS_OPTIONS, ...changed }, errors });
  });
}

test('a later line changes only what it names', () => {
  const first = applyDnsOptions(DEFAULT_DNS_OPTIONS, 'rotate noedns').options;
  assert.deepEqual(applyDnsOptions(first, 'nov6').options, { ...DEFAULT_DNS_OPTIONS, rotate: true, ednsPayload: 512, v6: false });
});
