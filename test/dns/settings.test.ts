/**
 * DNS settings read from .cf lines through the real parser: values and defaults checked against
 * SpamAssassin 4.0.1's (observed with its Conf object), bad values as lint, ordering of
 * clear_dns_servers, per-zone rbl_timeout, -L, and a resolver built from the settings that asks
 * the test DNS server.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { newDraft } from '../../src/config/draft';
import { parseConfigText } from '../../src/config/parser';
import type { OptionValues } from '../../src/options/option-values';
import { parseResolvConf } from '../../src/dns/servers';
import { answerAddresses } from '../../src/dns/types';
import { dnsSettings, resolverFor, resolverOptions, type DnsSettings } from '../../src/dns/settings';
import { queryAllowed, timeoutForName } from '../../src/dns/query-policy';
import { TestDnsServer } from '../helpers/dns-server';

/** Parse .cf text (file dns.cf) as hamlet does; the parser's lint as `file:line: text`. */
function parse(text: string): { options: OptionValues; lint: string[]; rules: string[] } {
  const draft = newDraft();
  parseConfigText(draft, text, 'dns.cf', { user: false, resolve: (_f, t) => t, readInclude: () => undefined });
  const lint = draft.lint.map((l) => `${l.at?.file}:${l.at?.line}: ${l.text}`);
  return { options: Object.fromEntries(draft.options), lint, rules: [...draft.rules.keys()] };
}

function settingsOf(text: string, localOnly = false): { s: DnsSettings; lint: string[] } {
  const p = parse(text);
  return { s: dnsSettings(p.options, { localOnly }), lint: p.lint };
}

const ALL_DIRECTIVES = `
dns_server 127.0.0.1
clear_dns_servers
dns_server [::1]:5353
dns_options rotate, edns=1400
dns_available test: a.example b.example
skip_rbl_checks 1
skip_uribl_checks yes
dns_query_restriction deny spamhaus.org
clear_dns_query_restriction
dns_query_restriction allow zen.spamhaus.org
dns_block_rule URIBL_BLOCKED multi.uribl.com
dns_block_time 600
rbl_timeout 10 2
rbl_timeout 5 1 bl.example
`;

test('every DNS directive is known to the parser and kept as an option', () => {
  const p = parse(ALL_DIRECTIVES);
  assert.deepEqual(p.lint, []);
  for (const name of ['dns_server', 'dns_options', 'dns_available', 'skip_rbl_checks', 'skip_uribl_checks', 'dns_query_restriction', 'dns_block_rule', 'dns_block_time', 'rbl_timeout']) {
    assert.ok(p.options[name] !== undefined, `${name} kept`);
  }
});

test('dns_block_rule does not replace the rule it names', () => {
  // The stock files define the rule first, then name it in dns_block_rule.
  const p = parse("header URIBL_BLOCKED eval:check_rbl_sub('x', '127.0.0.1')\ndns_block_rule URIBL_BLOCKED multi.uribl.com\n");
  assert.deepEqual(p.rules, ['URIBL_BLOCKED']);
  assert.deepEqual(p.options.dns_block_rule, ['URIBL_BLOCKED multi.uribl.com']);
});

test('defaults (no DNS lines): SpamAssassin 4.0.1 defaults', () => {
  const { s, lint } = settingsOf('');
  assert.deepEqual(lint, []);
  assert.equal(s.network, true);
  assert.equal(s.available, 'yes');
  assert.deepEqual(s.servers, []);
  assert.deepEqual(s.options, { v4: true, v6: true, rotate: false, dns0x20: false, ednsPayload: 4096 });
  assert.deepEqual(s.rblTimeout, { t: 15, tMin: 3 });
  assert.equal(s.rblTimeoutByZone.size, 0);
  assert.equal(s.skipRblChecks, false);
  assert.equal(s.skipUriblChecks, false);
  assert.equal(s.queryRestrictions.size, 0);
  assert.equal(s.blockRules.size, 0);
  assert.equal(s.blockTimeSec, 300);
});

describe('valid values', () => {
  const cases: [string, string, (s: DnsSettings) => unknown, unknown][] = [
    ['dns_server ipv4', 'dns_server 127.0.0.1', (s) => s.servers, [{ address: '127.0.0.1', port: 53, family: 4 }]],
    ['dns_server ip:port', 'dns_server 127.0.0.1:5353', (s) => s.servers, [{ address: '127.0.0.1', port: 5353, family: 4 }]],
    ['dns_server [v4]:port', 'dns_server [127.0.0.1]:54', (s) => s.servers, [{ address: '127.0.0.1', port: 54, family: 4 }]],
    ['dns_server [v6]:port', 'dns_server [::1]:5300', (s) => s.servers, [{ address: '::1', port: 5300, family: 6 }]],
    ['dns_server bare v6 with scope', 'dns_server fe80::1%lo0', (s) => s.servers, [{ address: 'fe80::1%lo0', port: 53, family: 6 }]],
    ['dns_server repeated adds', 'dns_server 10.0.0.1\ndns_server 10.0.0.2:5300', (s) => s.servers.map((x) => `${x.address}:${x.port}`), ['10.0.0.1:53', '10.0.0.2:5300']],
    ['dns_options add up over lines', 'dns_options rotate, edns=1400\ndns_options NoV6', (s) => s.options, { v4: true, v6: false, rotate: true, dns0x20: false, ednsPayload: 1400 }],
    ['dns_options edns without value', 'dns_options edns', (s) => s.options.ednsPayload, 1220],
    ['dns_available no', 'dns_available no', (s) => [s.available, s.network], ['no', false]],
    ['dns_available test', 'dns_available test', (s) => [s.available, s.testDomains, s.network], ['test', [], true]],
    ['dns_available test: domains', 'dns_available test: A.example b.example', (s) => [s.available, s.testDomains], ['test', ['a.example', 'b.example']]],
    ['dns_available test:domain', 'dns_available test:a.example', (s) => s.testDomains, ['a.example']],
    ['skip_rbl_checks 1', 'skip_rbl_checks 1', (s) => s.skipRblChecks, true],
    ['skip_rbl_checks Yes', 'skip_rbl_checks Yes', (s) => s.skipRblChecks, true],
    ['skip_rbl_checks then 0', 'skip_rbl_checks 1\nskip_rbl_checks 0', (s) => s.skipRblChecks, false],
    ['skip_rbl_checks empty keeps it', 'skip_rbl_checks yes\nskip_rbl_checks', (s) => s.skipRblChecks, true],
    ['skip_uribl_checks yes', 'skip_uribl_checks yes', (s) => s.skipUriblChecks, true],
    ['dns_query_restriction', 'dns_query_restriction DENY Spamhaus.org. x.org\ndns_query_restriction allow zen.spamhaus.org',
      (s) => [...s.queryRestrictions], [['spamhaus.org', 'deny'], ['x.org', 'deny'], ['zen.spamhaus.org', 'allow']]],
    ['dns_query_restriction later line wins', 'dns_query_restriction deny a.org\ndns_query_restriction allow a.org', (s) => [...s.queryRestrictions], [['a.org', 'allow']]],
    ['clear_dns_query_restriction', 'dns_query_restriction deny a.org\nclear_dns_query_restriction\ndns_query_restriction deny b.org', (s) => [...s.queryRestrictions], [['b.org', 'deny']]],
    ['dns_block_rule accumulates', 'dns_block_rule FOO a.org B.org\ndns_block_rule BAR c.org\ndns_block_rule FOO d.org a.org',
      (s) => [...s.blockRules], [['FOO', ['a.org', 'b.org', 'd.org']], ['BAR', ['c.org']]]],
    ['dns_block_time', 'dns_block_time 1.5', (s) => s.blockTimeSec, 1.5],
    ['rbl_timeout t', 'rbl_timeout 10', (s) => s.rblTimeout, { t: 10, tMin: 2 }],
    ['rbl_timeout t t_min', 'rbl_timeout 10 4', (s) => s.rblTimeout, { t: 10, tMin: 4 }],
    ['rbl_timeout t_min stays for a later t', 'rbl_timeout 10 4\nrbl_timeout 20', (s) => s.rblTimeout, { t: 20, tMin: 4 }],
    ['rbl_timeout t below t_min starts at t_min', 'rbl_timeout 2 4', (s) => s.rblTimeout, { t: 4, tMin: 4 }],
    ['rbl_timeout units', 'rbl_timeout 3m 5s', (s) => s.rblTimeout, { t: 180, tMin: 5 }],
    ['rbl_timeout decimal', 'rbl_timeout 1.5', (s) => s.rblTimeout, { t: 1.5, tMin: 1.5 * 0.2 }],
  ];
  for (const [name, cf, get, want] of cases) {
    test(name, () => {
      const { s, lint } = settingsOf(cf);
      assert.deepEqual(lint, []);
      assert.deepEqual(get(s), want);
    });
  }
});

describe('invalid values are lint errors at file:line; the setting keeps its previous good value', () => {
  const cases: [string, string, (s: DnsSettings) => unknown, unknown][] = [
    ['dns_server 1.2.3', 'dns_server 10.0.0.1\ndns_server 1.2.3', (s) => s.servers.length, 1],
    ['dns_server bad port', 'dns_server 127.0.0.1:99999', (s) => s.servers.length, 0],
    ['dns_server empty', 'dns_server', (s) => s.servers.length, 0],
    ['dns_server two addresses', 'dns_server 10.0.0.1 10.0.0.2', (s) => s.servers.length, 0],
    // The words before the bad one apply, the rest are dropped (as SpamAssassin does).
    ['dns_options bogus', 'dns_options rotate bogus nov6', (s) => [s.options.rotate, s.options.v6], [true, true]],
    ['dns_options bad first word', 'dns_options rotate\ndns_options v4=1 nov6', (s) => [s.options.rotate, s.options.v6], [true, true]],
    ['dns_options EDNS0 below 512', 'dns_options edns=100', (s) => s.options.ednsPayload, 4096],
    ['dns_available YES (case matters)', 'dns_available no\ndns_available YES', (s) => s.available, 'no'],
    ['dns_available test: without domains', 'dns_available test:', (s) => s.available, 'yes'],
    ['skip_rbl_checks on', 'skip_rbl_checks on', (s) => s.skipRblChecks, false],
    ['skip_uribl_checks 2', 'skip_uribl_checks 1\nskip_uribl_checks 2', (s) => s.skipUriblChecks, true],
    ['dns_query_restriction maybe', 'dns_query_restriction maybe x.org', (s) => s.queryRestrictions.size, 0],
    ['dns_query_restriction without domain', 'dns_query_restriction deny', (s) => s.queryRestrictions.size, 0],
    ['dns_block_rule without domain', 'dns_block_rule FOO', (s) => s.blockRules.size, 0],
    ['dns_block_time with a unit', 'dns_block_time 2m', (s) => s.blockTimeSec, 300],
    ['rbl_timeout abc', 'rbl_timeout abc', (s) => s.rblTimeout, { t: 15, tMin: 3 }],
    ['rbl_timeout negative', 'rbl_timeout 9\nrbl_timeout -1', (s) => s.rblTimeout.t, 9],
    ['rbl_timeout exponent', 'rbl_timeout 1.5e3', (s) => s.rblTimeout.t, 15],
    ['rbl_timeout three numbers', 'rbl_timeout 5 1 2', (s) => s.rblTimeoutByZone.size, 0],
    ['rbl_timeout zone with trailing dot', 'rbl_timeout 7 1 .Example.COM.', (s) => s.rblTimeoutByZone.size, 0],
  ];
  for (const [name, cf, get, want] of cases) {
    test(name, () => {
      const { s, lint } = settingsOf(cf);
      const lines = cf.split('\n');
      const directive = lines.at(-1)!.split(' ')[0];
      assert.equal(lint.length, 1, `one message: ${lint.join(' | ')}`);
      assert.match(lint[0]!, new RegExp(`^dns\\.cf:${lines.length}: config: invalid '${directive}' value`));
      assert.deepEqual(get(s), want);
    });
  }
});

describe('clear_dns_servers drops the servers before it, not after', () => {
  const cases: [string, string[]][] = [
    ['dns_server 10.0.0.1\nclear_dns_servers\ndns_server 10.0.0.2', ['10.0.0.2']],
    ['dns_server 10.0.0.1\ndns_server 10.0.0.2\nclear_dns_servers', []],
    ['clear_dns_servers\ndns_server 10.0.0.1\ndns_server 10.0.0.2', ['10.0.0.1', '10.0.0.2']],
    ['dns_server 10.0.0.1\nclear_dns_servers\ndns_server 10.0.0.2\nclear_dns_servers\ndns_server 10.0.0.3', ['10.0.0.3']],
  ];
  for (const [cf, want] of cases) {
    test(cf.replace(/\n/g, ' / '), () => assert.deepEqual(settingsOf(cf).s.servers.map((x) => x.address), want));
  }
});

test('per-zone rbl_timeout: its own setting for the zone and names under it, the general one elsewhere', () => {
  const { s, lint } = settingsOf('rbl_timeout 5 1 .Example.COM\nrbl_timeout 6 Zone.ORG\nrbl_timeout 7 2 example.com\nrbl_timeout 1h 5 x.com\nrbl_timeout 8');
  assert.deepEqual(lint, []);
  assert.deepEqual([...s.rblTimeoutByZone], [
    ['example.com', { t: 7, tMin: 2 }],
    ['zone.org', { t: 6, tMin: 6 * 0.2 }],
    ['x.com', { t: 3600, tMin: 5 }],
  ]);
  assert.deepEqual(s.rblTimeout, { t: 8, tMin: 8 * 0.2 });
  assert.deepEqual(timeoutForName('2.0.0.127.bl.example.com', s.rblTimeout, s.rblTimeoutByZone), { t: 7, tMin: 2 });
  assert.deepEqual(timeoutForName('2.0.0.127.other.test', s.rblTimeout, s.rblTimeoutByZone), s.rblTimeout);
});

test('dns_query_restriction settings drive queryAllowed', () => {
  const { s } = settingsOf('dns_query_restriction deny spamhaus.org\ndns_query_restriction allow zen.spamhaus.org');
  assert.equal(queryAllowed('2.0.0.127.zen.spamhaus.org', s.queryRestrictions), true);
  assert.equal(queryAllowed('2.0.0.127.pbl.spamhaus.org', s.queryRestrictions), false);
  assert.equal(queryAllowed('2.0.0.127.bl.example', s.queryRestrictions), true);
});

describe('-L / --local and dns_available no turn network tests off', () => {
  const cases: [string, string, boolean, boolean][] = [
    ['default', '', false, true],
    ['-L', '', true, false],
    ['-L with dns_available yes', 'dns_available yes', true, false],
    ['dns_available no', 'dns_available no', false, false],
    ['dns_available test', 'dns_available test', false, true],
  ];
  for (const [name, cf, localOnly, network] of cases) {
    test(name, () => {
      const { s } = settingsOf(cf, localOnly);
      assert.equal(s.network, network);
      // No resolver at all when off, so nothing can query.
      const r = resolverFor(s, { resolvConf: parseResolvConf('') });
      assert.equal(r !== undefined, network);
      r?.close();
    });
  }
});

test('resolverOptions: servers, EDNS0 size and rotation from the settings', () => {
  const { s } = settingsOf('dns_server 10.0.0.1\ndns_server [::1]:5300\ndns_options rotate edns=1232');
  assert.deepEqual(resolverOptions(s), { servers: ['10.0.0.1:53', '[::1]:5300'], ednsPayload: 1232, rotate: true });
});

describe('a resolver built from the settings asks the configured server', () => {
  let server: TestDnsServer;
  before(async () => {
    server = await TestDnsServer.start();
    server.add('host.settings.test', 'A', '192.0.2.7').add('plain.settings.test', 'A', '192.0.2.8');
  });
  after(() => server.stop());

  test('dns_server 127.0.0.1:PORT after clear_dns_servers, EDNS0 as configured', async () => {
    const { s, lint } = settingsOf(`dns_server 192.0.2.99\nclear_dns_servers\ndns_server ${server.spec}\n`);
    assert.deepEqual(lint, []);
    // resolv.conf is left out: the servers must come from the settings.
    const r = resolverFor(s, { resolvConf: parseResolvConf('nameserver 192.0.2.98'), tryTimeoutMs: 3_000, attempts: 1 })!;
    try {
      assert.deepEqual(r.servers, [{ address: '127.0.0.1', port: server.port, family: 4 }]);
      const a = await r.query('host.settings.test', 'A');
      assert.equal(a.status, 'NOERROR');
      assert.deepEqual(answerAddresses(a), ['192.0.2.7']);
      assert.equal(server.count('host.settings.test', 'A'), 1);
      assert.equal(server.received.at(-1)!.edns, true);
    } finally {
      r.close();
    }
  });

  test('dns_options noedns sends plain DNS', async () => {
    const { s } = settingsOf(`dns_server ${server.spec}\ndns_options noedns\n`);
    const r = resolverFor(s, { resolvConf: parseResolvConf(''), tryTimeoutMs: 3_000, attempts: 1 })!;
    try {
      const a = await r.query('plain.settings.test', 'A');
      assert.deepEqual(answerAddresses(a), ['192.0.2.8']);
      assert.equal(server.received.at(-1)!.edns, false);
    } finally {
      r.close();
    }
  });
});

test('options built by hand: bad lines are skipped, not thrown', () => {
  const s = dnsSettings({ dns_server: ['bogus', '10.0.0.1'], rbl_timeout: ['x', '9 1'], skip_rbl_checks: ['maybe'], dns_options: ['rotate bogus'] }, { localOnly: false });
  assert.deepEqual(s.servers.map((x) => x.address), ['10.0.0.1']);
  assert.deepEqual(s.rblTimeout, { t: 9, tMin: 1 });
  assert.equal(s.skipRblChecks, false);
  assert.equal(s.options.rotate, true);
});
