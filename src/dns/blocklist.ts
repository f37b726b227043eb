/**
 * Query names for DNS blocklists: an IP reversed under a zone (IPv4 by octet, IPv6 by nibble,
 * RFC 5782), and a domain prepended to a zone (right-hand-side lists).
 */
import { isIP } from 'node:net';
import { canonicalName } from './types';

/** `1.2.3.4` -> `4.3.2.1`; an IPv6 address -> its 32 nibbles reversed; undefined for a non-address. */
export function reverseIp(ip: string): string | undefined {
  let text = ip.replace(/^\[|\]$/g, '').replace(/^IPv6:/i, '').replace(/%.*$/, '');
  // An IPv4-mapped IPv6 address is listed as the IPv4 address it carries.
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(text);
  if (mapped) text = mapped[1]!;
  const kind = isIP(text);
  if (kind === 4) return text.split('.').map(Number).reverse().join('.');
  if (kind === 6) return ipv6Nibbles(text).reverse().join('.');
  return undefined;
}

/** The 32 hex nibbles of an IPv6 address (already known valid), most significant first. */
function ipv6Nibbles(text: string): string[] {
  let s = text.toLowerCase();
  // A trailing dotted quad is two more groups.
  const v4 = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(s);
  if (v4) {
    const [a, b, c, d] = v4.slice(1).map(Number) as [number, number, number, number];
    s = s.slice(0, v4.index) + ((a << 8) | b).toString(16) + ':' + ((c << 8) | d).toString(16);
  }
  const [head, tail] = s.includes('::') ? s.split('::') : [s, undefined];
  const headGroups = head ? head.split(':') : [];
  const tailGroups = tail ? tail.split(':') : [];
  const zeros = tail === undefined ? [] : Array<string>(8 - headGroups.length - tailGroups.length).fill('0');
  return [...headGroups, ...zeros, ...tailGroups].flatMap((g) => [...g.padStart(4, '0')]);
}

/** The name to ask a DNSBL zone about `ip` (undefined when `ip` is not an address). */
export function dnsblQueryName(ip: string, zone: string): string | undefined {
  const rev = reverseIp(ip);
  return rev === undefined ? undefined : `${rev}.${canonicalName(zone)}`;
}

/** The name to ask a right-hand-side list about `domain`. */
export function rhsblQueryName(domain: string, zone: string): string {
  return `${canonicalName(domain)}.${canonicalName(zone)}`;
}

/** A dotted-quad IPv4 address as an unsigned 32-bit number; undefined for anything else. */
export function ipv4ToInt(ip: string): number | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(ip);
  if (!m) return undefined;
  const octets = m.slice(1).map(Number);
  if (octets.some((o) => o > 255)) return undefined;
  return ((octets[0]! << 24) >>> 0) + (octets[1]! << 16) + (octets[2]! << 8) + octets[3]!;
}

/**
 * True for an answer a blocklist can mean: an address in 127.0.0.0/8. Observed from
 * SpamAssassin 4.0.1: any other A answer (a wildcarding resolver's, say) hits no rule.
 */
export function isListingAddress(address: string): boolean {
  const n = ipv4ToInt(address);
  return n !== undefined && n >>> 24 === 127;
}
