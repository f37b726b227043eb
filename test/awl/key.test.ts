import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { awlAddress, awlIpKey, originatingIp } from '../../src/awl/key';
import { parseMessage } from '../../src/message/parse';
import { NetSet } from '../../src/util/cidr';
import { mail } from './helpers';

describe('awlIpKey: the network part of the key, as SpamAssassin 4.0.1 writes it', () => {
  // Every expected value below was read from a real SpamAssassin 4.0.1 AWL database.
  const v4: [number, string][] = [
    [0, '0'], [8, '203'], [12, '203.96'], [16, '203.99'], [20, '203.99.112'], [24, '203.99.113'], [31, '203.99.113.76'], [32, '203.99.113.77'],
  ];
  for (const [mask, want] of v4) it(`IPv4 /${mask}`, () => assert.equal(awlIpKey('203.99.113.77', mask, 48), want));
  const v6: [number, string][] = [
    [0, '0000::'], [16, '2001::'], [48, '2001:0DB8:ABCD::'], [52, '2001:0DB8:ABCD:1000::'], [56, '2001:0DB8:ABCD:1200::'],
    [64, '2001:0DB8:ABCD:1234::'], [100, '2001:0DB8:ABCD:1234:5678:9ABC:D000::'], [128, '2001:0DB8:ABCD:1234:5678:9ABC:DEF0:1357'],
  ];
  for (const [mask, want] of v6) it(`IPv6 /${mask}`, () => assert.equal(awlIpKey('2001:db8:abcd:1234:5678:9abc:def0:1357', 16, mask), want));
  it('IPv6 shorthand and the IPv6: prefix of Received headers', () => {
    assert.equal(awlIpKey('2001:db8:abcd:12::5'), '2001:0DB8:ABCD::');
    assert.equal(awlIpKey('IPv6:2001:db8:ab:12::5'), '2001:0DB8:00AB::');
    assert.equal(awlIpKey('::1', 16, 128), '0000:0000:0000:0000:0000:0000:0000:0001');
  });
  it('an IPv4-mapped IPv6 address is keyed as IPv4', () => assert.equal(awlIpKey('::ffff:203.0.113.9'), '203.0'));
  it('no IP, or not an IP: none', () => {
    assert.equal(awlIpKey(undefined), 'none');
    assert.equal(awlIpKey('not-an-ip'), 'none');
    assert.equal(awlIpKey('300.1.2.3'), 'none');
    assert.equal(awlIpKey('1:2:3'), 'none');
  });
});

describe('awlAddress', () => {
  it('lower-cases and replaces the characters SpamAssassin replaces', () => {
    assert.equal(awlAddress('Friend@Example.COM'), 'friend@example.com');
    assert.equal(awlAddress('a|b;c"d\'e!f@x.com'), 'a_b_c_d_e_f@x.com');
  });
  it('only ASCII letters are lower-cased (SpamAssassin lower-cases bytes; corpus spam-2/00706)', () => {
    assert.equal(awlAddress('\xa4o\xb1\xb6\xac\xec\xa7\xde@MX.serv.net'), '\xa4o\xb1\xb6\xac\xec\xa7\xde@mx.serv.net');
  });
});

describe('originatingIp: the oldest relay with a public address', () => {
  const ipOf = (ips: string[], trusted?: string): string | undefined => {
    const opts = trusted ? { relays: { trusted: (() => { const s = new NetSet(); s.add(trusted); return s; })() } } : {};
    return originatingIp(parseMessage(mail('a@x.com', ips, 'hi'), opts).relays);
  };
  // Chains and answers observed with SpamAssassin 4.0.1 (which key each message got).
  it('private hop, then two public hops: the oldest public one', () => assert.equal(ipOf(['10.0.0.2', '198.51.100.7', '203.0.113.5']), '203.0.113.5'));
  it('the sender LAN behind a public hop: the public hop', () => assert.equal(ipOf(['10.0.0.2', '198.51.100.7', '192.168.0.3']), '198.51.100.7'));
  it('trusted public hop, untrusted public hop: the untrusted (older) one', () => assert.equal(ipOf(['198.51.100.7', '203.0.113.5'], '198.51.100.0/24'), '203.0.113.5'));
  it('no untrusted relay at all: a trusted public hop still counts', () => assert.equal(ipOf(['198.51.100.7', '10.1.1.1'], '198.51.100.0/24'), '198.51.100.7'));
  it('only private hops: none', () => assert.equal(ipOf(['192.168.1.5']), undefined));
  it('no Received header: none', () => assert.equal(ipOf([]), undefined));
});
