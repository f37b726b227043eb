/** Sub-tests: check_rbl's (as SpamAssassin 4.0.1 was observed to read them) and urirhssub's (as documented). */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseRblSubtest, rblAnswerValues, rblSubtestMatch, type RblSubtest } from '../../src/dns/rbl-subtest';
import { parseUriSubtest, uriSubtestMatches, type UriSubtest } from '../../src/dns/uri-subtest';
import type { DnsAnswer, DnsRecord } from '../../src/dns/types';

function aAnswer(...addresses: string[]): DnsAnswer {
  const records: DnsRecord[] = addresses.map((address) => ({ type: 'A', name: 'q.bl.test', ttl: 60, address }));
  return { name: 'q.bl.test', type: 'A', status: 'NOERROR', records, ttl: 60, cached: false };
}

function rbl(text: string | undefined): RblSubtest {
  const s = parseRblSubtest(text);
  assert.ok(!('error' in s), `sub-test ${text} did not parse`);
  return s as RblSubtest;
}

describe('check_rbl sub-tests (observed from SpamAssassin 4.0.1)', () => {
  // Answer -> which of these sub-tests hit; SpamAssassin's hits for each answer, from one run each.
  const subtests = ['', '127.0.0.2', '8', '127.0.0.8-127.0.0.15', '^127\\.0\\.0\\.1[01]$', '256'];
  const table: [string, string[]][] = [
    ['127.0.0.2', ['', '127.0.0.2']],
    ['127.0.0.8', ['', '8']],
    ['127.0.0.9', ['', '8']],
    ['127.0.0.10', ['', '8', '^127\\.0\\.0\\.1[01]$']],
    ['127.0.0.12', ['', '8']],
    ['127.0.0.4', ['']],
    ['127.0.1.0', ['', '256']],
    ['1.2.3.4', []],
    ['1.0.0.8', []],
  ];
  for (const [address, hits] of table) {
    test(`answer ${address}`, () => {
      const values = rblAnswerValues(aAnswer(address));
      const got = subtests.filter((s) => rblSubtestMatch(rbl(s), values) !== undefined);
      assert.deepEqual(got, hits);
    });
  }

  test('several A records: the first that passes is reported', () => {
    assert.equal(rblSubtestMatch(rbl('8'), rblAnswerValues(aAnswer('127.0.0.2', '127.0.0.10'))), '127.0.0.10');
  });

  test('TXT answers are matched by regex on their text, strings joined', () => {
    const txt: DnsAnswer = {
      name: 'q.bl.test', type: 'TXT', status: 'NOERROR', ttl: 60, cached: false,
      records: [{ type: 'TXT', name: 'q.bl.test', ttl: 60, strings: ['Blocked - see https://www.Spam', 'Cop.net/bl.shtml'] }],
    };
    assert.equal(rblSubtestMatch(rbl('(?i:spamcop)'), rblAnswerValues(txt)), 'Blocked - see https://www.SpamCop.net/bl.shtml');
    assert.equal(rblSubtestMatch(rbl('spamcop'), rblAnswerValues(txt)), undefined);
  });

  test('failures and NXDOMAIN give nothing to match', () => {
    for (const status of ['NXDOMAIN', 'SERVFAIL', 'TIMEOUT'] as const) {
      assert.deepEqual(rblAnswerValues({ ...aAnswer('127.0.0.2'), status }), []);
    }
  });

  test('a regex that cannot be translated is an error, not a throw', () => {
    assert.ok('error' in parseRblSubtest('(?{ code })'));
  });
});

describe('urirhssub sub-tests (URIDNSBL documentation)', () => {
  const table: [string, UriSubtest | string, [string, boolean][]][] = [
    ['127.0.1.2', { kind: 'equal', value: 0x7f000102 }, [['127.0.1.2', true], ['127.0.1.3', false]]],
    ['127.0.1.20-127.0.1.39', { kind: 'range', low: 0x7f000114, high: 0x7f000127 }, [['127.0.1.20', true], ['127.0.1.39', true], ['127.0.1.40', false], ['127.0.1.19', false]]],
    ['127.2.3.0/255.255.255.0', { kind: 'masked', value: 0x7f020300, mask: 0xffffff00 }, [['127.2.3.77', true], ['127.2.4.77', false]]],
    ['0.0.0.16/0.0.0.16', { kind: 'masked', value: 16, mask: 16 }, [['127.0.0.16', true], ['127.0.0.17', true], ['127.0.0.15', false]]],
    ['0x10/0x10', { kind: 'masked', value: 16, mask: 16 }, [['127.0.0.48', true], ['127.0.0.32', false]]],
    ['16', { kind: 'bits', mask: 16 }, [['127.0.0.16', true], ['127.0.0.18', true], ['127.0.0.2', false], ['1.0.0.16', false]]],
    ['0x10', { kind: 'bits', mask: 16 }, [['127.0.0.16', true], ['127.0.0.8', false]]],
    // From the live run: urirhssub ... 8 hit on 127.0.0.8 and 127.0.0.12, not on 127.0.0.2 or 1.0.0.8.
    ['8', { kind: 'bits', mask: 8 }, [['127.0.0.8', true], ['127.0.0.12', true], ['127.0.0.2', false], ['1.0.0.8', false]]],
    ['0xFFFFFFFF', { kind: 'bits', mask: 0xffffffff }, [['127.0.0.1', true]]],
    ['127.0.0.x', 'sub-test 127.0.0.x: expected m, n1-n2 or n/m (decimal, 0x hex or dotted quad)', []],
    ['0x123456789', 'sub-test 0x123456789: expected m, n1-n2 or n/m (decimal, 0x hex or dotted quad)', []],
    ['1-2-3', 'sub-test 1-2-3: expected m, n1-n2 or n/m (decimal, 0x hex or dotted quad)', []],
  ];
  for (const [text, parsed, answers] of table) {
    test(text, () => {
      const got = parseUriSubtest(text);
      assert.deepEqual(got, typeof parsed === 'string' ? { error: parsed } : parsed);
      for (const [address, want] of answers) assert.equal(uriSubtestMatches(got as UriSubtest, address), want, address);
    });
  }
});
