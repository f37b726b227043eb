/**
 * Received headers -> the relay chain, split into trusted/untrusted and
 * internal/external. With no networks configured, trust is inferred: a hop
 * from a private address or an authenticated hop is trusted, the first other
 * hop and everything after it are not.
 */
import { NetSet } from '../util/cidr';
import { headersNamed } from './headers';
import { parseReceived } from './received';
import type { HeaderField, Relay, RelayChain } from './types';

export interface RelayOptions {
  /** `trusted_networks`; undefined means "not configured" (infer). */
  readonly trusted?: NetSet;
  /** `internal_networks`; undefined means "not configured". */
  readonly internal?: NetSet;
  /** `msa_networks`: relays after one of these are trusted. */
  readonly msa?: NetSet;
  /** `originating_ip_headers`: single-IP headers read as extra hops. */
  readonly originatingIpHeaders?: readonly string[];
}

const PRIVATE_V4 = /^(?:10|127|169\.254|172\.(?:1[6-9]|2\d|3[01])|192\.168|100\.(?:6[4-9]|[7-9]\d|1[01]\d|12[0-7]))\./;

/** Reserved / private address ranges a relay from inside our own network would use. */
export function isPrivateIp(ip: string): boolean {
  const s = ip.toLowerCase().replace(/^ipv6:/, '');
  if (PRIVATE_V4.test(s)) return true;
  const mapped = /^[0:]*:ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(s);
  if (mapped) return PRIVATE_V4.test(mapped[1]!);
  if (/^fe[89ab][0-9a-f]:/.test(s)) return true;
  return /^[0:]+:0{0,3}1$/.test(s) && s.includes(':');
}

function asString(r: Relay): string {
  return (
    `[ ip=${r.ip} rdns=${r.rdns} helo=${r.helo} by=${r.by} ident=${r.ident} envfrom=${r.envfrom} ` +
    `intl=${r.internal ? 1 : 0} id=${r.id} auth=${r.auth} msa=${r.msa ? 1 : 0} ]`
  );
}

/** Unfolded value of each Received header, plus synthetic ones for `originating_ip_headers`. */
function receivedLines(headers: readonly HeaderField[], opts: RelayOptions): string[] {
  const lines: string[] = [];
  for (const h of headers) {
    if (h.key !== 'received') continue;
    lines.push(h.value.includes('\n') ? h.value.replace(/\r?\n[ \t]+/g, ' ') : h.value);
  }
  for (const name of opts.originatingIpHeaders ?? []) {
    const h = headersNamed(headers, name)[0];
    const m = h && /((?:\d{1,3}\.){3}\d{1,3}|[0-9a-f]*:[0-9a-f:.]+)/i.exec(h.value);
    if (m) lines.push(`from X-Originating-IP: ${m[1]}`);
  }
  return lines;
}

/** The chain of relays recorded in the header block, newest first. */
export function buildRelayChain(headers: readonly HeaderField[], opts: RelayOptions = {}): RelayChain {
  const lines = receivedLines(headers, opts);
  let trusted = opts.trusted;
  let internal = opts.internal;
  const configured = trusted !== undefined || internal !== undefined;
  if (configured) {
    trusted ??= internal;
    internal ??= trusted;
  }
  let inTrusted = true;
  let inInternal = true;
  let foundMsa = false;
  let skipped = 0;
  let unparseable = 0;
  let all: Relay[] = [];
  let fetchersAllowed = true;
  // Index (among Received headers, from the top) of the last one added by a trusted / internal hop.
  let lastTrustedIndex = -1;
  let lastInternalIndex = -1;
  for (const line of lines) {
    const parsed = parseReceived(line);
    if (parsed === 'fetcher' || parsed === undefined || parsed === 'skip') {
      if (inTrusted) lastTrustedIndex++;
      if (inInternal) lastInternalIndex++;
      // Everything above a fetch from our own mailbox is local; start over below it.
      if (parsed === 'fetcher' && fetchersAllowed) all = all.filter((r) => !r.trusted);
      if (parsed === undefined) unparseable++;
      skipped++;
      continue;
    }
    const ipPrivate = isPrivateIp(parsed.ip);
    let msa = false;
    if (inTrusted && !foundMsa) {
      if (!configured) {
        if (!ipPrivate && !parsed.auth) {
          inTrusted = false;
          inInternal = false;
        }
      } else if (!parsed.auth && !isLoopback(parsed.ip) && !trusted!.contains(parsed.ip)) {
        inTrusted = false;
        inInternal = false;
      } else {
        if (inInternal && !parsed.auth && !isLoopback(parsed.ip) && !internal!.contains(parsed.ip)) inInternal = false;
        if (opts.msa?.contains(parsed.ip)) {
          foundMsa = true;
          msa = true;
        }
      }
    }
    // Spelled out rather than spread: object spread plus extra keys is a slow path in V8.
    all.push({
      ip: parsed.ip,
      rdns: parsed.rdns,
      helo: parsed.helo,
      by: parsed.by,
      id: parsed.id,
      ident: parsed.ident,
      envfrom: parsed.envfrom,
      auth: parsed.auth,
      noReverseDns: parsed.noReverseDns,
      ipPrivate,
      trusted: inTrusted,
      internal: inInternal,
      msa,
      source: line,
    });
    if (inTrusted) lastTrustedIndex++;
    if (inInternal) lastInternalIndex++;
    fetchersAllowed = inTrusted;
  }
  const trustedRelays: Relay[] = [];
  const untrusted: Relay[] = [];
  const internalRelays: Relay[] = [];
  const external: Relay[] = [];
  for (const r of all) {
    (r.trusted ? trustedRelays : untrusted).push(r);
    (r.internal ? internalRelays : external).push(r);
  }
  return new Chain(all, trustedRelays, untrusted, internalRelays, external, skipped, unparseable, lastTrustedIndex, lastInternalIndex, untrusted[0]?.ip);
}

const joinRelays = (rs: readonly Relay[]): string => rs.map(asString).join(' ');

/** A chain as a class: its lazy pseudo-headers cost no closures or accessor literal per message. */
class Chain implements RelayChain {
  /** Only header rules on X-Spam-Relays-* read these strings: built on first use (a private field, so a spread copies no cache). */
  #pseudo: RelayChain['pseudoHeaders'] | undefined;

  constructor(
    readonly all: Relay[],
    readonly trusted: Relay[],
    readonly untrusted: Relay[],
    readonly internal: Relay[],
    readonly external: Relay[],
    readonly skipped: number,
    readonly unparseable: number,
    readonly lastTrustedIndex: number,
    readonly lastInternalIndex: number,
    readonly lastUntrustedIp: string | undefined,
  ) {}

  get pseudoHeaders(): RelayChain['pseudoHeaders'] {
    return (this.#pseudo ??= {
      trusted: joinRelays(this.trusted),
      untrusted: joinRelays(this.untrusted),
      internal: joinRelays(this.internal),
      external: joinRelays(this.external),
    });
  }
}

/** Loopback is always trusted once networks are configured. */
function isLoopback(ip: string): boolean {
  return /^127\./.test(ip) || ip === '::1';
}
