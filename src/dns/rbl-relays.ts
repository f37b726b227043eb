/**
 * Which relay IPs a `check_rbl` set asks its zone about. The set name's suffix chooses, as
 * SpamAssassin's Conf documentation describes; the details below were observed from
 * SpamAssassin 4.0.1 against a test DNS server (which addresses it queried, in which order):
 * - no suffix: the untrusted relays, then the untrusted `originating_ip_headers` addresses,
 *   asked most remote first, at most 9;
 * - `-notfirsthop`: the external relays and originating addresses less the last (most remote)
 *   one, unless it is the only one; of those, only the untrusted ones;
 * - `-lastexternal`: only the external relay that handed the message to our network, and only
 *   when it is untrusted;
 * - `-firsttrusted`: only the relay that connected to our most remote trusted relay;
 * - `-untrusted`: the untrusted ones except that one.
 * Private addresses are never asked about, and each address once (dropped before the cuts).
 */
import { isPrivateIp } from '../message/relays';

/** The addresses the choice is made from; relay lists newest first, as `RelayChain` keeps them. */
export interface RblIpSources {
  /** IPs of the untrusted relays. */
  readonly untrusted: readonly string[];
  /** IPs of the external relays (not internal_networks). */
  readonly external: readonly string[];
  /** Addresses read from `originating_ip_headers` (when the chain does not already hold them). */
  readonly originating?: readonly string[];
  /** trusted_networks, for the originating addresses. */
  readonly isTrusted?: (ip: string) => boolean;
  /** At most this many addresses for a plain set (most remote first; default 9). */
  readonly maxIps?: number;
}

/** How a set name selects (its suffix). */
export type RblSelection = 'all' | 'notfirsthop' | 'lastexternal' | 'firsttrusted' | 'untrusted';

const SUFFIX = /-(notfirsthop|lastexternal|firsttrusted|untrusted)$/;

/** The selection a set name asks for. */
export function rblSelection(set: string): RblSelection {
  const m = SUFFIX.exec(set);
  return m ? (m[1] as RblSelection) : 'all';
}

/** Public addresses, each once, in the order given. */
export function publicIps(ips: readonly string[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const ip of ips) {
    if (ip === '' || isPrivateIp(ip) || seen.has(ip)) continue;
    seen.add(ip);
    out.push(ip);
  }
  return out;
}

/** The addresses set `set` queries, in query order. */
export function rblQueryIps(set: string, src: RblIpSources): string[] {
  const selection = rblSelection(set);
  const isTrusted = src.isTrusted ?? (() => false);
  const originating = (src.originating ?? []).filter((ip) => !isTrusted(ip));
  const ips = publicIps([...src.untrusted, ...originating]);
  const untrusted = new Set(ips);
  if (selection === 'lastexternal') return publicIps(src.external).slice(0, 1).filter((ip) => untrusted.has(ip));
  if (selection === 'notfirsthop') {
    const ext = publicIps([...src.external, ...originating]);
    // The most remote hop is the sender's own host: a dial-up address there is expected, unless it sent straight to us.
    if (ext.length > 1) ext.pop();
    return ext.filter((ip) => untrusted.has(ip));
  }
  if (selection === 'firsttrusted') return ips.slice(0, 1);
  if (selection === 'untrusted') return ips.slice(1);
  return ips.reverse().slice(0, src.maxIps ?? 9);
}
