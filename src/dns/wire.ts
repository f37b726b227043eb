/**
 * DNS messages to and from bytes (through dns-packet), and a response read into a
 * `DnsAnswer`: records typed, the rcode a status, the cache lifetime worked out.
 */
import type * as Packet from 'dns-packet';
import { lazy } from '../util/lazy';
import { canonicalName, type DnsAnswer, type DnsRecord, type DnsStatus, type QueryType, type SoaRecord } from './types';

// Loaded on the first query: a run without network tests (-L) never pays for it.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const packet = lazy(() => require('dns-packet') as typeof Packet);

/** A decoded response, reduced to what the resolver checks before it accepts it. */
export interface WireResponse {
  readonly id: number;
  readonly truncated: boolean;
  readonly questionName: string;
  readonly questionType: string;
  readonly packet: Packet.DecodedPacket;
}

const RCODES: Record<number, DnsStatus> = { 0: 'NOERROR', 1: 'FORMERR', 2: 'SERVFAIL', 3: 'NXDOMAIN', 4: 'NOTIMP', 5: 'REFUSED' };

/**
 * A recursive query for (name, type). `ednsPayload` > 512 adds an EDNS0 OPT record
 * offering that UDP payload size (SpamAssassin's `dns_options edns=4096` default).
 */
export function encodeQuery(id: number, name: string, type: QueryType, ednsPayload: number): Buffer {
  const q: Packet.Packet = {
    type: 'query',
    id,
    flags: packet().RECURSION_DESIRED,
    questions: [{ type, name, class: 'IN' }],
  };
  if (ednsPayload > 512) {
    q.additionals = [{ type: 'OPT', name: '.', udpPayloadSize: ednsPayload, extendedRcode: 0, ednsVersion: 0, flags: 0, flag_do: false, options: [] }];
  }
  return packet().encode(q);
}

/** Decode a response; undefined when the bytes are not a DNS response with one question. */
export function decodeResponse(bytes: Buffer): WireResponse | undefined {
  let p: Packet.DecodedPacket;
  try {
    p = packet().decode(bytes);
  } catch {
    return undefined;
  }
  const q = p.questions?.[0];
  if (!p.flag_qr || !q) return undefined;
  return { id: p.id ?? -1, truncated: p.flag_tc, questionName: canonicalName(q.name), questionType: q.type, packet: p };
}

/** The status a response's rcode stands for (an unknown one is an error). */
export function responseStatus(r: WireResponse): DnsStatus {
  return RCODES[(r.packet.flags ?? 0) & 0xf] ?? 'ERROR';
}

/** Bounds on how long a negative answer is cached (RFC 2308 suggests at most 3 hours). */
export const NEGATIVE_TTL_MAX = 3 * 3600;

/** Read a response to (name, type) into an answer. */
export function toAnswer(name: string, type: QueryType, r: WireResponse): DnsAnswer {
  const status = responseStatus(r);
  if (status !== 'NOERROR' && status !== 'NXDOMAIN') return failure(name, type, status);
  const records: DnsRecord[] = [];
  for (const a of r.packet.answers ?? []) {
    const rec = toRecord(a);
    if (rec) records.push(rec);
  }
  const positive = status === 'NOERROR' && records.some((x) => x.type === type || (x.type === 'OTHER' && x.rrtype === type));
  const soas = (r.packet.authorities ?? []).map(toRecord).filter((x): x is SoaRecord => x?.type === 'SOA');
  return {
    name, type, status, records: status === 'NOERROR' ? records : [], ttl: positive ? minTtl(records) : negativeTtl(r), cached: false,
    ...(soas.length > 0 && { authority: soas }),
  };
}

/** An answer that carries only a status (SERVFAIL, TIMEOUT, ...): never cached. */
export function failure(name: string, type: QueryType, status: DnsStatus): DnsAnswer {
  return { name, type, status, records: [], ttl: 0, cached: false };
}

function minTtl(records: readonly DnsRecord[]): number {
  let ttl = Infinity;
  for (const r of records) ttl = Math.min(ttl, r.ttl);
  return ttl === Infinity ? 0 : ttl;
}

// RFC 2308: a negative answer lives for min(SOA TTL, SOA minimum); with no SOA it is not cached.
function negativeTtl(r: WireResponse): number {
  for (const a of r.packet.authorities ?? []) {
    if (a.type !== 'SOA') continue;
    return Math.max(0, Math.min(a.ttl ?? 0, a.data.minimum ?? 0, NEGATIVE_TTL_MAX));
  }
  return 0;
}

function toRecord(a: Packet.Answer): DnsRecord | undefined {
  if (a.type === 'OPT') return undefined;
  const name = canonicalName(a.name);
  const ttl = a.ttl ?? 0;
  switch (a.type) {
    case 'A':
    case 'AAAA':
      return { type: a.type, name, ttl, address: a.data };
    case 'NS':
    case 'PTR':
    case 'CNAME':
      return { type: a.type, name, ttl, value: canonicalName(a.data) };
    case 'TXT': {
      const parts = Array.isArray(a.data) ? a.data : [a.data];
      return { type: 'TXT', name, ttl, strings: parts.map((p) => (Buffer.isBuffer(p) ? p.toString('latin1') : p)) };
    }
    case 'MX':
      return { type: 'MX', name, ttl, priority: a.data.preference ?? 0, exchange: canonicalName(a.data.exchange) };
    case 'SOA': {
      const d = a.data;
      return {
        type: 'SOA', name, ttl, mname: canonicalName(d.mname), rname: canonicalName(d.rname),
        serial: d.serial ?? 0, refresh: d.refresh ?? 0, retry: d.retry ?? 0, expire: d.expire ?? 0, minimum: d.minimum ?? 0,
      };
    }
    case 'SRV':
      return { type: 'SRV', name, ttl, priority: a.data.priority ?? 0, weight: a.data.weight ?? 0, port: a.data.port, target: canonicalName(a.data.target) };
    default:
      return { type: 'OTHER', name, ttl, rrtype: a.type, data: Buffer.isBuffer(a.data) ? a.data : Buffer.alloc(0) };
  }
}
