/** dns_query_restriction and per-zone rbl_timeout: the tightest listed zone decides. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { queryAllowed, timeoutForName } from '../../src/dns/query-policy';

describe('dns_query_restriction', () => {
  // The Conf documentation's example: deny dnswl.org surbl.org; allow zen.spamhaus.org; deny spamhaus.org mailspike.net spamcop.net.
  const r = new Map<string, 'allow' | 'deny'>([
    ['dnswl.org', 'deny'], ['surbl.org', 'deny'], ['zen.spamhaus.org', 'allow'],
    ['spamhaus.org', 'deny'], ['mailspike.net', 'deny'], ['spamcop.net', 'deny'],
  ]);
  const cases: [string, boolean][] = [
    ['2.0.0.127.zen.spamhaus.org', true],
    ['example.com.dbl.spamhaus.org', false],
    ['2.0.0.127.list.dnswl.org', false],
    ['2.0.0.127.bl.spamcop.net.', false],
    ['2.0.0.127.ZEN.SPAMHAUS.ORG', true],
    ['example.com.multi.uribl.com', true],
    ['notspamhaus.org', true],
  ];
  for (const [name, want] of cases) test(`${name} -> ${want ? 'allowed' : 'denied'}`, () => assert.equal(queryAllowed(name, r), want));

  test("'deny *' blocks all but what is allowed", () => {
    const only = new Map<string, 'allow' | 'deny'>([['*', 'deny'], ['zen.spamhaus.org', 'allow']]);
    assert.equal(queryAllowed('2.0.0.127.zen.spamhaus.org', only), true);
    assert.equal(queryAllowed('example.com.multi.uribl.com', only), false);
  });
});

describe('rbl_timeout per zone', () => {
  const general = { t: 15, tMin: 3 };
  const zones = new Map([['uribl.com', { t: 5, tMin: 1 }], ['multi.uribl.com', { t: 2, tMin: 1 }]]);
  const cases: [string, { t: number; tMin: number }][] = [
    ['example.com.multi.uribl.com', { t: 2, tMin: 1 }],
    ['example.com.black.uribl.com', { t: 5, tMin: 1 }],
    ['2.0.0.127.zen.spamhaus.org', general],
  ];
  for (const [name, want] of cases) test(name, () => assert.deepEqual(timeoutForName(name, general, zones), want));
});
