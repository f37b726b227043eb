/**
 * How the auto-welcomelist names a sender: the From address, lower-cased, and
 * the network it sends from, written as SpamAssassin 4.0.1 writes it (observed
 * in its database): IPv4 as the masked address cut to the octets the mask
 * touches (`203.0` for /16, `203.99.112` for /20, `0` for /0); IPv6 as masked
 * 16-bit groups in upper-case four-digit hex, cut to the groups the mask touches,
 * with `::` after a cut (`2001:0DB8:ABCD::` for /48); `none` when there is no
 * public IP. An IPv4-mapped IPv6 address counts as IPv4.
 */
import type { RelayChain } from '../message/types';

/** The key part for "no usable IP" (local mail, private relays only, or an address added by hand). */
export const NO_IP = 'none';

/**
 * The address as the AWL stores it: ASCII letters lower-cased (SpamAssassin
 * lower-cases bytes, so `Þ` stays `Þ`: seen on a Big5 address in the corpus),
 * with the characters it replaces for safety (NUL `;` `'` `"` `!` `|`) turned into `_`.
 */
export function awlAddress(addr: string): string {
  return addr.trim().replace(/[A-Z]+/g, (s) => s.toLowerCase()).replace(/[\0;'"!|]/g, '_');
}

function parseIpv4(s: string): number[] | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(s);
  if (!m) return undefined;
  const o = [m[1], m[2], m[3], m[4]].map(Number);
  return o.every((n) => n <= 255) ? o : undefined;
}

/** Eight 16-bit groups, or undefined when `s` is not an IPv6 address. */
function parseIpv6(s: string): number[] | undefined {
  let t = s.replace(/%.*$/, '');
  // A dotted-quad tail (::ffff:1.2.3.4) becomes two groups.
  const dotted = /^(.*:)(\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3})$/.exec(t);
  if (dotted) {
    const v4 = parseIpv4(dotted[2]!);
    if (!v4) return undefined;
    t = `${dotted[1]}${((v4[0]! << 8) | v4[1]!).toString(16)}:${((v4[2]! << 8) | v4[3]!).toString(16)}`;
  }
  const halves = t.split('::');
  if (halves.length > 2) return undefined;
  const part = (h: string): string[] => (h === '' ? [] : h.split(':'));
  const head = part(halves[0]!);
  const tail = halves.length === 2 ? part(halves[1]!) : [];
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined;
  const groups = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...tail];
  if (!groups.every((g) => /^[0-9a-f]{1,4}$/i.test(g))) return undefined;
  return groups.map((g) => parseInt(g, 16));
}

/** Keep the top `mask` bits of `units` (each `width` bits wide) and the units the mask touches (at least one). */
function maskUnits(units: readonly number[], width: number, mask: number): number[] {
  const keep = Math.max(1, Math.ceil(mask / width));
  const out: number[] = [];
  for (let i = 0; i < keep; i++) {
    const bits = Math.min(width, Math.max(0, mask - i * width));
    const m = bits === 0 ? 0 : ((0xffff << (width - bits)) & ((1 << width) - 1));
    out.push(units[i]! & m);
  }
  return out;
}

/**
 * The AWL's network key for an originating IP: masked to `ipv4MaskLen` /
 * `ipv6MaskLen` bits. `none` when `ip` is undefined or not an IP address.
 */
export function awlIpKey(ip: string | undefined, ipv4MaskLen = 16, ipv6MaskLen = 48): string {
  if (ip === undefined) return NO_IP;
  const s = ip.trim().replace(/^\[|\]$/g, '').replace(/^ipv6:/i, '');
  const v4 = parseIpv4(s);
  if (v4) return maskUnits(v4, 8, ipv4MaskLen).join('.');
  const v6 = parseIpv6(s);
  if (!v6) return NO_IP;
  if (v6.slice(0, 5).every((g) => g === 0) && v6[5] === 0xffff) {
    return maskUnits([v6[6]! >> 8, v6[6]! & 0xff, v6[7]! >> 8, v6[7]! & 0xff], 8, ipv4MaskLen).join('.');
  }
  const kept = maskUnits(v6, 16, ipv6MaskLen).map((g) => g.toString(16).toUpperCase().padStart(4, '0'));
  return kept.join(':') + (kept.length < 8 ? '::' : '');
}

/**
 * The IP the AWL keys on: the oldest relay in the Received chain (trusted or
 * not) with a public address, i.e. the host the mail first entered the public
 * internet from. SpamAssassin 4.0.1 does this (observed; `sa-awl`'s manual: "the
 * last Received header that contains a public IP address"), which is not always the
 * last untrusted relay: with `trusted_networks` covering public hops and no
 * untrusted relay, a trusted public hop is used. undefined when every relay is private.
 */
export function originatingIp(relays: RelayChain): string | undefined {
  for (let i = relays.all.length - 1; i >= 0; i--) {
    const r = relays.all[i]!;
    if (r.ip !== '' && !r.ipPrivate) return r.ip;
  }
  return undefined;
}
