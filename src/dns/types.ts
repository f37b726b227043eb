/**
 * What a DNS lookup gives back: typed records plus a status that tells "listed", "not
 * listed", "the server failed" and "no answer in time" apart. Lookups never throw: a
 * blocklist rule reads a status, it does not catch.
 */
import { stripTrailingDots } from '../message/domain';

/** The record types hamlet asks for (blocklists, SPF, DKIM, DMARC, URIBL name servers). */
export type QueryType = 'A' | 'AAAA' | 'TXT' | 'MX' | 'NS' | 'PTR' | 'CNAME' | 'SOA' | 'SRV';

/**
 * How a lookup ended. `NOERROR` with no records is "no data" (the name exists, not with this
 * type); `TIMEOUT` is "no server answered in time"; `ERROR` covers an unreadable answer or a
 * network error after every retry.
 */
export type DnsStatus = 'NOERROR' | 'NXDOMAIN' | 'SERVFAIL' | 'REFUSED' | 'FORMERR' | 'NOTIMP' | 'TIMEOUT' | 'ERROR';

interface RecordBase {
  /** Owner name, lower-cased, without a trailing dot. */
  readonly name: string;
  /** Seconds the record may be cached. */
  readonly ttl: number;
}

export interface AddressRecord extends RecordBase {
  readonly type: 'A' | 'AAAA';
  readonly address: string;
}

export interface TxtRecord extends RecordBase {
  readonly type: 'TXT';
  /** The character-strings as sent, each byte a char (latin1), as Perl holds them. */
  readonly strings: readonly string[];
}

export interface MxRecord extends RecordBase {
  readonly type: 'MX';
  readonly priority: number;
  readonly exchange: string;
}

export interface NameRecord extends RecordBase {
  readonly type: 'NS' | 'PTR' | 'CNAME';
  /** The target name, lower-cased, without a trailing dot. */
  readonly value: string;
}

export interface SoaRecord extends RecordBase {
  readonly type: 'SOA';
  readonly mname: string;
  readonly rname: string;
  readonly serial: number;
  readonly refresh: number;
  readonly retry: number;
  readonly expire: number;
  readonly minimum: number;
}

export interface SrvRecord extends RecordBase {
  readonly type: 'SRV';
  readonly priority: number;
  readonly weight: number;
  readonly port: number;
  readonly target: string;
}

/** Any other type, kept as its raw RDATA. */
export interface OtherRecord extends RecordBase {
  readonly type: 'OTHER';
  readonly rrtype: string;
  readonly data: Buffer;
}

export type DnsRecord = AddressRecord | TxtRecord | MxRecord | NameRecord | SoaRecord | SrvRecord | OtherRecord;

/** The outcome of one (name, type) lookup. */
export interface DnsAnswer {
  /** The name asked for, lower-cased, without a trailing dot. */
  readonly name: string;
  readonly type: QueryType;
  readonly status: DnsStatus;
  /** The answer section (a CNAME chain comes first), empty unless `status` is NOERROR. */
  readonly records: readonly DnsRecord[];
  /** The SOA records of the authority section (a negative answer's zone), when there were any. */
  readonly authority?: readonly SoaRecord[];
  /**
   * Seconds this answer may be cached: the smallest record TTL, or for a negative answer the
   * SOA minimum (RFC 2308), 0 when it must not be cached.
   */
  readonly ttl: number;
  /** True when it came from the process cache rather than the network. */
  readonly cached: boolean;
}

/** A name in the form the resolver keys on: lower case, no trailing dot. */
export function canonicalName(name: string): string {
  return stripTrailingDots(name).toLowerCase();
}

/** The records of `answer` whose type is the one asked for (a CNAME chain left out). */
export function recordsOfType<T extends DnsRecord['type']>(answer: DnsAnswer, type: T): (DnsRecord & { readonly type: T })[] {
  return answer.records.filter((r): r is DnsRecord & { readonly type: T } => r.type === type);
}

/** The A / AAAA addresses in `answer`. */
export function answerAddresses(answer: DnsAnswer): string[] {
  return recordsOfType(answer, answer.type === 'AAAA' ? 'AAAA' : 'A').map((r) => r.address);
}

/** The TXT strings of each TXT record in `answer`, joined per record (as SPF and DKIM read them). */
export function answerTexts(answer: DnsAnswer): string[] {
  return recordsOfType(answer, 'TXT').map((r) => r.strings.join(''));
}
