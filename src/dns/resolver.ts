/**
 * The resolver scans use: UDP queries to the configured servers (or resolv.conf's), a
 * timeout per try and rounds of tries across the servers, TCP when an answer comes back
 * truncated, one query on the wire per (name, type) however many callers ask at once, and a
 * per-process cache that honours TTLs. `query` never rejects: failures are statuses.
 */
import { nodeCrypto } from '../util/node-crypto';
import { setMaxListeners } from 'node:events';
import { TtlCache, type Clock } from './cache';
import { parseServerSpec, readResolvConf, type DnsServer, type ResolvConf } from './servers';
import { tcpExchange, UdpChannel, type ExchangeResult } from './transport';
import { canonicalName, type DnsAnswer, type DnsStatus, type QueryType } from './types';
import { decodeResponse, encodeQuery, failure, toAnswer, type WireResponse } from './wire';

/** How a resolver is set up; every field has a default. */
export interface ResolverOptions {
  /** `dns_server` entries (`ip`, `ip:port`, `[ipv6]:port`); when empty, resolv.conf's servers. */
  readonly servers?: readonly string[];
  /** resolv.conf already read (tests), else read from `resolvConfPath`. */
  readonly resolvConf?: ResolvConf;
  readonly resolvConfPath?: string;
  /** Milliseconds to wait for each try (resolv.conf `timeout:`, default 5 s). */
  readonly tryTimeoutMs?: number;
  /** Rounds over the server list (resolv.conf `attempts:`, default 2). */
  readonly attempts?: number;
  /** EDNS0 UDP payload size offered; 512 or less sends no OPT record (default 4096, as SpamAssassin). */
  readonly ednsPayload?: number;
  /** Start each query at the next server (resolv.conf `options rotate`). */
  readonly rotate?: boolean;
  /** Most answers cached (default 10,000); 0 turns the cache off. */
  readonly cacheSize?: number;
  /** Longest a positive answer is cached, seconds (default one day), whatever its TTL. */
  readonly maxTtlSec?: number;
  /** Milliseconds clock for cache expiry. */
  readonly clock?: Clock;
}

/** Counters tests and benches read. */
export interface ResolverStats {
  /** Queries that went to the network (one per (name, type) however many asked at once). */
  queries: number;
  /** Packets sent, UDP and TCP, retries included. */
  packets: number;
  cacheHits: number;
  /** Callers that joined a query already in flight. */
  joined: number;
}

/** Thrown at construction only, for a `dns_server` entry that is not an address (user input). */
export class DnsConfigError extends Error {
  readonly code = 'HAMLET_ERR_DNS_SERVER';
}

const DEFAULT_CACHE = 10_000;
const DEFAULT_MAX_TTL = 86_400;
// Statuses after which the next server is asked, as the C library does.
const TRY_NEXT: ReadonlySet<DnsStatus> = new Set(['SERVFAIL', 'REFUSED', 'NOTIMP', 'FORMERR']);

/** True when `name` fits DNS: labels of 1 to 63 bytes, at most 253 bytes in all. */
export function isQueryableName(name: string): boolean {
  // The common case, plain ASCII, is checked by one regex; other names byte by byte.
  if (/^(?:[\x21-\x2d\x2f-\x7e]{1,63}\.)*[\x21-\x2d\x2f-\x7e]{1,63}$/.test(name)) return name.length <= 253;
  if (name === '' || Buffer.byteLength(name) > 253) return false;
  return name.split('.').every((label) => label.length > 0 && Buffer.byteLength(label) <= 63);
}

export class Resolver {
  readonly servers: readonly DnsServer[];
  readonly stats: ResolverStats = { queries: 0, packets: 0, cacheHits: 0, joined: 0 };
  private readonly tryTimeoutMs: number;
  private readonly attempts: number;
  private readonly ednsPayload: number;
  private readonly rotate: boolean;
  private readonly useTcp: boolean;
  private readonly maxTtlSec: number;
  private readonly cache: TtlCache<DnsAnswer>;
  private readonly inFlight = new Map<string, Promise<DnsAnswer>>();
  private readonly closing = new AbortController();
  private readonly udp = { 4: new UdpChannel(4), 6: new UdpChannel(6) };
  private nextServer = 0;

  constructor(opts: ResolverOptions = {}) {
    const conf = opts.resolvConf ?? readResolvConf(opts.resolvConfPath);
    if (opts.servers && opts.servers.length > 0) {
      this.servers = opts.servers.map((spec) => {
        const s = parseServerSpec(spec);
        if (typeof s === 'string') throw new DnsConfigError(s);
        return s;
      });
    } else {
      this.servers = conf.servers;
    }
    this.tryTimeoutMs = opts.tryTimeoutMs ?? conf.timeoutSec * 1000;
    this.attempts = Math.max(1, opts.attempts ?? conf.attempts);
    this.ednsPayload = opts.ednsPayload ?? 4096;
    this.rotate = opts.rotate ?? conf.rotate;
    this.useTcp = conf.useTcp;
    this.maxTtlSec = opts.maxTtlSec ?? DEFAULT_MAX_TTL;
    this.cache = new TtlCache(opts.cacheSize ?? DEFAULT_CACHE, opts.clock ?? Date.now);
    // Every exchange in flight listens on this signal: a scan has dozens at once.
    setMaxListeners(0, this.closing.signal);
  }

  /** Look up (name, type): from the cache, by joining a query in flight, or from the network. */
  query(name: string, type: QueryType): Promise<DnsAnswer> {
    const qname = canonicalName(name);
    const key = `${type} ${qname}`;
    const hit = this.cache.get(key);
    if (hit) {
      this.stats.cacheHits++;
      return Promise.resolve({ ...hit, cached: true });
    }
    const pending = this.inFlight.get(key);
    if (pending) {
      this.stats.joined++;
      return pending;
    }
    // A name DNS cannot carry (a 64-byte label from a hostile URI, say) is never sent.
    if (!isQueryableName(qname)) return Promise.resolve(failure(qname, type, 'ERROR'));
    this.stats.queries++;
    const p = this.ask(qname, type).then((answer) => {
      this.inFlight.delete(key);
      this.cache.set(key, answer, Math.min(answer.ttl, this.maxTtlSec));
      return answer;
    });
    this.inFlight.set(key, p);
    return p;
  }

  /** Stop every query in flight (they answer TIMEOUT); the resolver is not used afterwards. */
  close(): void {
    this.closing.abort();
    this.udp[4].close();
    this.udp[6].close();
  }

  /** Forget every cached answer. */
  clearCache(): void {
    this.cache.clear();
  }

  // Rounds of tries over the servers; the first NOERROR / NXDOMAIN wins.
  private async ask(name: string, type: QueryType): Promise<DnsAnswer> {
    let last: DnsStatus = 'TIMEOUT';
    const first = this.rotate ? this.nextServer++ % this.servers.length : 0;
    for (let round = 0; round < this.attempts; round++) {
      for (let i = 0; i < this.servers.length; i++) {
        if (this.closing.signal.aborted) return failure(name, type, 'TIMEOUT');
        const server = this.servers[(first + i) % this.servers.length]!;
        const r = await this.tryServer(server, name, type);
        if (typeof r === 'string') {
          if (r !== 'TIMEOUT' || last === 'TIMEOUT') last = r;
          continue;
        }
        const answer = toAnswer(name, type, r);
        if (!TRY_NEXT.has(answer.status)) return answer;
        last = answer.status;
      }
    }
    return failure(name, type, last);
  }

  // One try: UDP, then TCP to the same server when the UDP answer is truncated.
  private async tryServer(server: DnsServer, name: string, type: QueryType): Promise<WireResponse | DnsStatus> {
    const channel = this.udp[server.family];
    const id = this.useTcp ? nodeCrypto().randomInt(0, 0x10000) : channel.freeId();
    const query = encodeQuery(id, name, type, this.ednsPayload);
    let decoded: WireResponse | undefined;
    const accept = (b: Buffer): boolean => {
      const r = decodeResponse(b);
      if (!r || r.id !== id || r.questionName !== name || r.questionType !== type) return false;
      decoded = r;
      return true;
    };
    const signal = this.closing.signal;
    this.stats.packets++;
    let result: ExchangeResult = this.useTcp
      ? await tcpExchange(server, query, this.tryTimeoutMs, accept, signal)
      : await channel.exchange(server, id, query, this.tryTimeoutMs, accept, signal);
    if ('bytes' in result && decoded?.truncated && !this.useTcp) {
      this.stats.packets++;
      decoded = undefined;
      result = await tcpExchange(server, query, this.tryTimeoutMs, accept, signal);
    }
    if ('bytes' in result && decoded) return decoded;
    return 'failed' in result && result.failed === 'error' ? 'ERROR' : 'TIMEOUT';
  }
}
