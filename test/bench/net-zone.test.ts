/**
 * bench:network's test zone: the zones and sub-tests read from rule files, and the zone built
 * from a discovery pass's queries (a fixed share listed with codes the sub-tests accept, SPF
 * passing the relays of the messages that name a domain, DMARC only where the domain exists).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { blocklistZones } from '../../bench/lib/net-zone-rules';
import { buildZone, nameHash } from '../../bench/lib/net-zone';
import type { Received } from '../../bench/lib/dns-thread';

const CF = [
  "header T_ZA eval:check_rbl('za-lastexternal', 'za.example.test.')",
  "header T_ZA_8 eval:check_rbl_sub('za-lastexternal', '8')",
  "header T_ZA_R eval:check_rbl_sub('za-lastexternal', '^127\\.0\\.2\\.\\d+$')",
  "header T_ZA_BLOCKED eval:check_rbl_sub('za-lastexternal', '1')",
  'dns_block_rule T_ZA_BLOCKED za.example.test',
  "header T_ZT eval:check_rbl_txt('zt', 'zt.example.test.', '(?i:zt)')",
  'urirhssub T_ZU zu.example.test. A 127.0.1.4',
  'uridnssub T_ZI zi.example.test. A 127.0.0.3',
  'askdns T_ZK _AUTHORDOMAIN_.zk.example.test. A /^127\\.2\\.0\\.14$/',
  'askdns T_HELO _LASTEXTERNALHELO_ A /./',
].join('\n');

function withRules<T>(fn: (dir: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'hamlet-net-zone-'));
  try {
    writeFileSync(join(dir, '50_zones.cf'), CF + '\n');
    return fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('zones and sub-tests come from the rule files; dns_block_rule rules are kept apart', () => {
  const zones = withRules((d) => blocklistZones([d]));
  assert.deepEqual([...zones.keys()].sort(), ['za.example.test', 'zi.example.test', 'zk.example.test', 'zt.example.test', 'zu.example.test']);
  const za = zones.get('za.example.test')!;
  assert.deepEqual(za.subtests.map((s) => s.rule), ['T_ZA_8', 'T_ZA_R']);
  assert.deepEqual(za.blocking.map((s) => s.rule), ['T_ZA_BLOCKED']);
  assert.ok(za.subtests[0]!.match('127.0.0.8') && !za.subtests[0]!.match('127.0.0.4'));
  assert.ok(za.subtests[1]!.match('127.0.2.9') && !za.subtests[1]!.match('127.0.3.9'));
  assert.equal(zones.get('zt.example.test')!.txt, true);
  assert.equal(zones.get('zi.example.test')!.byIp, true);
  assert.equal(zones.get('zu.example.test')!.byIp, false);
  assert.ok(zones.get('zk.example.test')!.subtests[0]!.match('127.2.0.14'));
});

test('a fixed share of the names asked is listed, with codes a sub-test accepts and no blocking rule does', () => {
  const zones = withRules((d) => blocklistZones([d]));
  const queries: Received[] = [];
  for (let i = 0; i < 400; i++) queries.push([`${i % 250}.${i >> 3}.2.45.za.example.test`, 'A'], [`dom${i}.com.zu.example.test`, 'A']);
  queries.push(['9.9.9.9.zt.example.test', 'TXT'], ['1.1.1.1.zt.example.test', 'TXT'], ['8.8.8.8.zt.example.test', 'TXT'], ['7.7.7.7.zt.example.test', 'TXT']);
  {
    const a = buildZone({ queries, zones, files: [] });
    const b = buildZone({ queries, zones, files: [] });
    assert.deepEqual(a.records, b.records, 'the same zone on every run');
    const listed = new Set(a.records.map((r) => r.name));
    const unique = new Set(queries.map((q) => q[0]));
    const share = listed.size / unique.size;
    assert.ok(share > 0.15 && share < 0.35, `share ${share}`);
    for (const r of a.records) {
      if (r.name.endsWith('.za.example.test')) {
        assert.ok(zones.get('za.example.test')!.subtests.some((s) => s.match(r.data as string)), `${r.name} ${String(r.data)}`);
        assert.equal(Number((r.data as string).split('.')[3]) % 2, 0, `${String(r.data)} would hit the dns_block_rule rule`);
      }
      if (r.name.endsWith('.zu.example.test')) assert.equal(r.data, '127.0.1.4');
      if (r.type === 'TXT') assert.match(String(r.data), /zt\.example\.test/);
    }
    assert.ok(a.records.some((r) => r.name.endsWith('.zu.example.test')));
  }
});

test('SPF passes the relays of messages naming the domain; DMARC only where the domain has an MX', () => {
  const zones = withRules((d) => blocklistZones([d]));
  const dir = mkdtempSync(join(tmpdir(), 'hamlet-net-zone-msg-'));
  try {
    // Domains whose hashes pick SPF "pass" and a DMARC record, found by search so the test does not depend on the hash's values.
    const pass = Array.from({ length: 200 }, (_x, i) => `d${i}.example.org`).find((d) => nameHash(d, 'policy') % 2 === 0 && (nameHash(d, 'policy') >>> 1) % 5 === 0)!;
    const withMx = Array.from({ length: 200 }, (_x, i) => `m${i}.example.org`).filter((d) => nameHash(d, 'dmarc') % 2 === 0);
    const file = join(dir, 'm1.eml');
    writeFileSync(file, `Received: from a.${pass} (a.${pass} [203.0.113.7])\n\tby mx.local; Mon, 7 Dec 2026 00:00:00 +0000\nFrom: x@${pass}\n\nhi\n`);
    const z = buildZone({ queries: [[pass, 'TXT'], ...withMx.map((d): Received => [d, 'MX'])], zones, files: [file] });
    const spf = z.records.find((r) => r.name === pass && r.type === 'TXT')!;
    assert.equal((spf.data as string[]).join(''), 'v=spf1 ip4:203.0.113.7 -all');
    for (const d of withMx) assert.ok(z.records.some((r) => r.name === d && r.type === 'MX'), d);
    const dmarc = z.records.filter((r) => r.name.startsWith('_dmarc.'));
    assert.ok(dmarc.length > 0 && dmarc.length < withMx.length, `${dmarc.length} of ${withMx.length}`);
    for (const r of dmarc) assert.match(String(r.data), /^v=DMARC1; p=(reject|quarantine|none);/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
