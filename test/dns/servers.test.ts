/** `dns_server` specs and resolv.conf, table-driven. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseResolvConf, parseServerSpec, readResolvConf } from '../../src/dns/servers';

describe('dns_server specs', () => {
  const cases: [string, ReturnType<typeof parseServerSpec>][] = [
    ['127.0.0.1', { address: '127.0.0.1', port: 53, family: 4 }],
    ['127.0.0.1:5353', { address: '127.0.0.1', port: 5353, family: 4 }],
    ['[127.0.0.1]:53', { address: '127.0.0.1', port: 53, family: 4 }],
    ['::1', { address: '::1', port: 53, family: 6 }],
    ['[::1]:5300', { address: '::1', port: 5300, family: 6 }],
    ['fe80::1%lo0', { address: 'fe80::1%lo0', port: 53, family: 6 }],
    ['[fe80::1%lo0]:53', { address: 'fe80::1%lo0', port: 53, family: 6 }],
    ['ns.example.com', 'not an IP address: ns.example.com'],
    ['127.0.0.1:0', 'bad port in 127.0.0.1:0'],
    ['127.0.0.1:70000', 'bad port in 127.0.0.1:70000'],
    ['[::1]:', 'not an IP address: [::1]:'],
  ];
  for (const [spec, want] of cases) test(spec, () => assert.deepEqual(parseServerSpec(spec), want));
});

describe('resolv.conf', () => {
  test('nameservers in order, options read, comments and bad lines ignored', () => {
    const conf = parseResolvConf(
      ['# generated', 'search example.com', 'nameserver 192.0.2.53', 'nameserver 2001:db8::53 ; second', 'nameserver bogus',
        'options timeout:2 attempts:3', 'options rotate use-vc'].join('\n'),
    );
    assert.deepEqual(conf.servers.map((s) => `${s.address}:${s.port}`), ['192.0.2.53:53', '2001:db8::53:53']);
    assert.deepEqual([conf.timeoutSec, conf.attempts, conf.rotate, conf.useTcp], [2, 3, true, true]);
  });

  test('defaults: the local host, 5 s, 2 attempts; options bounded as the C library bounds them', () => {
    const empty = parseResolvConf('');
    assert.deepEqual(empty.servers, [{ address: '127.0.0.1', port: 53, family: 4 }]);
    assert.deepEqual([empty.timeoutSec, empty.attempts, empty.rotate], [5, 2, false]);
    const big = parseResolvConf('options timeout:99 attempts:9');
    assert.deepEqual([big.timeoutSec, big.attempts], [30, 5]);
  });

  test('a missing file reads as an empty one', () => {
    assert.deepEqual(readResolvConf('/nonexistent/resolv.conf'), parseResolvConf(''));
  });
});
