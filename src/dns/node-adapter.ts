/**
 * Our resolver behind the interface `dns.promises.resolve(name, type)` has, which is what
 * mailauth (SPF, DKIM, DMARC, ARC) takes as its `resolver` option: so those checks share the
 * scan's cache and servers. Answers have Node's shapes and failures Node's error codes
 * (`ENOTFOUND` for NXDOMAIN, `ENODATA` for no records of the type, ...).
 */
import type { QueryFn } from './lookup-set';
import { recordsOfType, type DnsAnswer, type DnsStatus, type QueryType } from './types';

/** The resolver signature of `dns.promises.resolve`. */
export type NodeStyleResolve = (name: string, type?: string) => Promise<unknown>;

/** An Error as Node's resolver rejects with. */
export interface NodeDnsError extends Error {
  code: string;
  syscall: string;
  hostname: string;
}

const ERROR_CODES: Record<Exclude<DnsStatus, 'NOERROR'>, string> = {
  NXDOMAIN: 'ENOTFOUND',
  SERVFAIL: 'ESERVFAIL',
  REFUSED: 'EREFUSED',
  FORMERR: 'EFORMERR',
  NOTIMP: 'ENOTIMP',
  TIMEOUT: 'ETIMEOUT',
  ERROR: 'ECONNREFUSED',
};

const SUPPORTED: ReadonlySet<string> = new Set(['A', 'AAAA', 'TXT', 'MX', 'NS', 'PTR', 'CNAME', 'SOA', 'SRV']);

/** `dns.promises.resolve` over `resolver` (type defaults to A, as Node's does). */
export function nodeStyleResolver(resolver: QueryFn): NodeStyleResolve {
  return async (name: string, type = 'A') => {
    const rrtype = type.toUpperCase();
    if (!SUPPORTED.has(rrtype)) throw dnsError('ENOTIMP', name, rrtype);
    const answer = await resolver.query(name, rrtype as QueryType);
    if (answer.status !== 'NOERROR') throw dnsError(ERROR_CODES[answer.status], name, rrtype);
    // Node's ENODATA is an empty answer section; records of other types only (a CNAME) give [].
    const values = answer.records.length === 0 ? undefined : nodeShape(answer);
    if (values === undefined) throw dnsError('ENODATA', name, rrtype);
    return values;
  };
}

function nodeShape(a: DnsAnswer): unknown {
  switch (a.type) {
    case 'A':
    case 'AAAA':
      return recordsOfType(a, a.type).map((r) => r.address);
    case 'TXT':
      return recordsOfType(a, 'TXT').map((r) => [...r.strings]);
    case 'MX':
      return recordsOfType(a, 'MX').map((r) => ({ exchange: r.exchange, priority: r.priority }));
    case 'NS':
    case 'PTR':
    case 'CNAME':
      return recordsOfType(a, a.type).map((r) => r.value);
    case 'SRV':
      return recordsOfType(a, 'SRV').map((r) => ({ name: r.target, port: r.port, priority: r.priority, weight: r.weight }));
    case 'SOA': {
      const s = recordsOfType(a, 'SOA')[0];
      return s && { nsname: s.mname, hostmaster: s.rname, serial: s.serial, refresh: s.refresh, retry: s.retry, expire: s.expire, minttl: s.minimum };
    }
  }
}

function dnsError(code: string, hostname: string, rrtype: string): NodeDnsError {
  const syscall = `query${rrtype.charAt(0)}${rrtype.slice(1).toLowerCase()}`;
  return Object.assign(new Error(`${syscall} ${code} ${hostname}`), { code, syscall, hostname });
}
