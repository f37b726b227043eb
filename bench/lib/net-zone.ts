/**
 * bench:network's test zone, built from what SpamAssassin asked on the sample (a discovery pass
 * answered NXDOMAIN): a fixed share of the names queried in each blocklist zone the stock rules
 * use is listed, with return codes their sub-tests test; SPF records (pass / fail / softfail /
 * neutral / +all) for half the domains whose TXT records were asked; and half the domains whose
 * MX was asked (SpamAssassin's DMARC plugin asks MX, NS, A, AAAA to see that the author domain
 * exists, and asks `_dmarc` only when it does) get an MX record and then a DMARC record
 * (reject / quarantine / none) or none. Which names get what is decided by a hash of the name,
 * so the zone is the same on every run of the same sample.
 */
import { readFileSync } from 'node:fs';
import { isListingAddress } from '../../src/dns/blocklist';
import type { TestRecord } from '../../test/helpers/dns-server';
import type { Received } from './dns-thread';
import type { ZoneSubtest, ZoneUse } from './net-zone-rules';

/** FNV-1a of `salt:s`: the bench's only source of choice. */
export function nameHash(s: string, salt = ''): number {
  let h = 0x811c9dc5;
  for (const c of `${salt}:${s}`) h = Math.imul(h ^ c.charCodeAt(0), 0x01000193) >>> 0;
  return h;
}

/** What the zone holds, by kind, for the bench's report. */
export interface ZoneCounts {
  listed: number;
  listedZones: number;
  spf: Record<string, number>;
  dmarc: Record<string, number>;
}

export interface TestZone {
  readonly records: TestRecord[];
  readonly counts: ZoneCounts;
}

/** Addresses a sub-test can be answered with: every dotted quad the rules name, and a grid of 127/8. */
function candidatePool(zones: Iterable<ZoneUse>): string[] {
  const pool = new Set<string>();
  for (const z of zones) for (const s of z.subtests) for (const m of s.text.matchAll(/\b\d+\.\d+\.\d+\.\d+\b/g)) pool.add(m[0]);
  for (const a of [0, 1, 2, 3, 101, 255]) for (const b of [0, 1, 2, 3, 15, 100, 101, 102, 200, 201, 202, 255]) for (let c = 0; c < 256; c++) pool.add(`127.${a}.${b}.${c}`);
  return [...pool].filter(isListingAddress);
}

/** The longest zone `name` is under. */
function zoneOf(name: string, zones: ReadonlyMap<string, ZoneUse>): ZoneUse | undefined {
  for (let i = name.indexOf('.'); i >= 0; i = name.indexOf('.', i + 1)) {
    const z = zones.get(name.slice(i + 1));
    if (z) return z;
  }
  return undefined;
}

/**
 * Half the domains whose NS SpamAssassin asked (URIDNSBL, for uridnsbl / uridnssub rules) get a
 * name server with an address; `asks` are the queries the IP-keyed URI lists will then see,
 * listed like the discovered ones.
 */
function nameServerRecords(queries: readonly Received[], zones: ReadonlyMap<string, ZoneUse>): { records: TestRecord[]; asks: Received[] } {
  const byIp = [...zones.values()].filter((z) => z.byIp);
  const records: TestRecord[] = [];
  const asks: Received[] = [];
  const done = new Set<string>();
  for (const [d, type] of queries) {
    if (type !== 'NS' || done.has(d) || zoneOf(d, zones)) continue;
    done.add(d);
    const h = nameHash(d, 'ns');
    if (h % 2 !== 0) continue;
    const ip = `${[45, 62, 77, 89, 91, 185, 193, 212][h % 8]}.${(h >>> 8) & 255}.${(h >>> 16) & 255}.${1 + ((h >>> 24) % 254)}`;
    records.push({ name: d, type: 'NS', data: `ns1.${d}`, ttl: 300 }, { name: `ns1.${d}`, type: 'A', data: ip, ttl: 300 });
    for (const z of byIp) asks.push([`${ip.split('.').reverse().join('.')}.${z.zone}`, 'A']);
  }
  return { records, asks };
}

/** Queries counted by what they ask: `zone TYPE` for blocklists, else `_dmarc` / `_domainkey` / `other` and the type. */
export function queryKinds(queries: readonly Received[], zones: ReadonlyMap<string, ZoneUse>): Map<string, number> {
  const out = new Map<string, number>();
  for (const [name, type] of queries) {
    const where = zoneOf(name, zones)?.zone ?? (name.startsWith('_dmarc.') ? '_dmarc' : name.includes('._domainkey.') ? '_domainkey' : 'other');
    const k = `${where} ${type}`;
    out.set(k, (out.get(k) ?? 0) + 1);
  }
  return out;
}

/** Split a TXT value into the <= 255-byte strings a record carries. */
const txtStrings = (s: string): string[] => s.match(/.{1,250}/g) ?? [''];

/** Public IPv4 addresses in a message's Received fields, for SPF records that pass it. */
function receivedIps(head: string): string[] {
  const ips = new Set<string>();
  for (const f of head.split(/\n(?=\S)/)) {
    if (!/^received:/i.test(f)) continue;
    for (const m of f.matchAll(/\b(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\b/g)) {
      const [a, b] = [Number(m[1]), Number(m[2])];
      if (a === 10 || a === 127 || a === 0 || a > 223 || (a === 192 && b === 168) || (a === 172 && b >= 16 && b < 32)) continue;
      ips.add(m[0]);
    }
  }
  return [...ips];
}

export interface ZoneInput {
  /** Every (name, type) SpamAssassin asked in the discovery pass. */
  readonly queries: readonly Received[];
  readonly zones: ReadonlyMap<string, ZoneUse>;
  /** The sample's files (SPF passes the relays of the messages that name a domain in their header). */
  readonly files: readonly string[];
  /** 1 in `share` queried blocklist names is listed (4). */
  readonly share?: number;
}

/** Build the zone. */
export function buildZone(input: ZoneInput): TestZone {
  const share = input.share ?? 4;
  const pool = candidatePool(input.zones.values());
  const accepted = new Map<ZoneSubtest, string[]>();
  const codesFor = (z: ZoneUse, s: ZoneSubtest): string[] => {
    let c = accepted.get(s);
    if (!c) accepted.set(s, (c = pool.filter((a) => s.match(a) && !z.blocking.some((b) => b.match(a)))));
    return c;
  };
  const records: TestRecord[] = [];
  const counts: ZoneCounts = { listed: 0, listedZones: 0, spf: {}, dmarc: {} };
  const listedZones = new Set<string>();
  const seen = new Set<string>();
  const txtDomains: string[] = [];
  const mxDomains: string[] = [];
  const nsRecords = nameServerRecords(input.queries, input.zones);
  records.push(...nsRecords.records);
  for (const [name, type] of [...input.queries, ...nsRecords.asks]) {
    const key = `${name} ${type}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const z = zoneOf(name, input.zones);
    if (!z) {
      if (type === 'TXT' && !name.includes('._domainkey.') && !name.startsWith('_dmarc.')) txtDomains.push(name);
      if (type === 'MX') mxDomains.push(name);
      continue;
    }
    const h = nameHash(name, 'list');
    if (h % share !== 0) continue;
    counts.listed++;
    listedZones.add(z.zone);
    if (type === 'TXT') {
      records.push({ name, type, data: `listed in ${z.zone} by the hamlet bench`, ttl: 300 });
      continue;
    }
    if (type !== 'A') continue;
    // One code from a sub-test chosen by the hash; a quarter of listings carry a second one.
    const usable = z.subtests.filter((s) => codesFor(z, s).length > 0);
    const pick = (salt: string): string => {
      if (usable.length === 0) return '127.0.0.2';
      const s = usable[nameHash(name, salt) % usable.length]!;
      const c = codesFor(z, s);
      return c[nameHash(name, salt + 'code') % c.length]!;
    };
    const codes = new Set([pick('first')]);
    if (nameHash(name, 'second') % 4 === 0) codes.add(pick('second'));
    for (const c of codes) if (!z.blocking.some((b) => b.match(c))) records.push({ name, type: 'A', data: c, ttl: 300 });
  }
  counts.listedZones = listedZones.size;
  records.push(...spfRecords(txtDomains, input.files, counts), ...dmarcRecords(mxDomains, counts));
  return { records, counts };
}

const bump = (m: Record<string, number>, k: string): void => void (m[k] = (m[k] ?? 0) + 1);

/** Half the domains asked MX exist (an MX record); of those, 3 in 4 publish a DMARC policy. */
function dmarcRecords(domains: readonly string[], counts: ZoneCounts): TestRecord[] {
  const out: TestRecord[] = [];
  for (const d of domains) {
    const h = nameHash(d, 'dmarc');
    if (h % 2 !== 0) continue;
    out.push({ name: d, type: 'MX', data: { preference: 10, exchange: `mx.${d}` }, ttl: 300 });
    const p = ['reject', 'quarantine', 'none', 'absent'][(h >>> 1) % 4]!;
    bump(counts.dmarc, p);
    if (p !== 'absent') out.push({ name: `_dmarc.${d}`, type: 'TXT', data: `v=DMARC1; p=${p}; pct=100`, ttl: 300 });
  }
  return out;
}

/** SPF for half the domains SpamAssassin asked TXT of. */
function spfRecords(names: readonly string[], files: readonly string[], counts: ZoneCounts): TestRecord[] {
  const heads = files.map((f) => {
    const t = readFileSync(f, 'latin1');
    const end = t.search(/\n\r?\n/);
    return end < 0 ? t : t.slice(0, end);
  });
  const lowHeads = heads.map((h) => h.toLowerCase());
  const out: TestRecord[] = [];
  for (const name of names) {
    const h = nameHash(name, 'policy');
    if (h % 2 !== 0) continue;
    const kind = ['pass', 'fail', 'softfail', 'neutral', 'plusall'][(h >>> 1) % 5]!;
    let spf: string;
    if (kind === 'pass') {
      const ips = new Set<string>();
      heads.forEach((head, i) => {
        if (lowHeads[i]!.includes(name)) for (const ip of receivedIps(head)) ips.add(ip);
      });
      spf = `v=spf1 ${[...ips].slice(0, 12).map((ip) => `ip4:${ip}`).join(' ')} -all`.replace(/ {2}/g, ' ');
    } else {
      spf = { fail: 'v=spf1 ip4:192.0.2.1 -all', softfail: 'v=spf1 ~all', neutral: 'v=spf1 ?all', plusall: 'v=spf1 +all' }[kind]!;
    }
    bump(counts.spf, kind);
    out.push({ name, type: 'TXT', data: txtStrings(spf), ttl: 300 });
  }
  return out;
}
