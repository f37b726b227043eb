/**
 * Host -> registrable domain, and "is this a real TLD". SpamAssassin reads its TLD
 * lists from config (`util_rb_tld`, `util_rb_2tld`, `util_rb_3tld`); without config we
 * fall back to the Public Suffix List through tldts.
 */
import type * as Tldts from 'tldts';
import type * as Net from 'node:net';
import { detach } from '../util/detach';
import { lazy } from '../util/lazy';

// tldts (the Public Suffix List, ~20 ms to load) only when a host is looked up.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const tldts = lazy(() => require('tldts') as typeof Tldts);

/** TLD lists from config; any list left out falls back to the Public Suffix List. */
export interface DomainOptions {
  /** `util_rb_tld`: every valid top-level domain (lower case). */
  readonly validTlds?: ReadonlySet<string>;
  /** `util_rb_2tld`: two-label public suffixes such as `co.uk`. */
  readonly twoLevel?: ReadonlySet<string>;
  /** `util_rb_3tld`: three-label public suffixes. */
  readonly threeLevel?: ReadonlySet<string>;
}

const IPV4ISH = /^\d{1,3}(?:\.\d{1,3}){3}$/;

/** What the Public Suffix List says of a host, as far as hamlet asks. */
interface SuffixInfo {
  readonly domain: string | null;
  readonly isIcann: boolean | null;
}

/**
 * The Public Suffix List's answers per host, a bounded number of them: hosts recur across a
 * mail stream (list footers, trackers, the sender's own), and each tldts look-up parses the
 * host again (on TRAIN, 5,300 look-ups of 2,050 hosts). Keys are detached copies: hosts are
 * cut from a message, whose text a key would otherwise keep alive.
 */
const suffixes = new Map<string, SuffixInfo>();
const SUFFIX_CACHE_LIMIT = 4096;
function publicSuffixInfo(h: string): SuffixInfo {
  let info = suffixes.get(h);
  if (info === undefined) {
    if (suffixes.size >= SUFFIX_CACHE_LIMIT) suffixes.clear();
    const parsed = tldts().parse(h, { allowPrivateDomains: false });
    info = { domain: parsed.domain, isIcann: parsed.isIcann };
    suffixes.set(detach(h), info);
  }
  return info;
}

/** Hex digits, `:` and `.`: all an IPv6 address has before its `%zone`. */
const IPV6_CHARS = /^[0-9a-fA-F:.]*(?:%|$)/;

// node:net loads ~15 ms of stream code in a fresh process, and its isIPv6() compiles a large regex
// on first use: only a host made of IPv6 characters needs it.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const net = lazy(() => require('node:net') as typeof Net);
function isIPv6(h: string): boolean {
  return IPV6_CHARS.test(h) && net().isIPv6(h);
}

/** True for dotted-quad or IPv6 literals (with or without brackets). */
export function isIpHost(host: string): boolean {
  const h = host.startsWith('[') || host.endsWith(']') ? host.replace(/^\[|\]$/g, '') : host;
  // Any IPv4 address isIP accepts is dotted-quad-ish: only an IPv6 one needs a closer look.
  return IPV4ISH.test(h) || (h.includes(':') && isIPv6(h));
}

/** `h` without trailing dots. */
export function stripTrailingDots(h: string): string {
  let end = h.length;
  while (end > 0 && h.charCodeAt(end - 1) === 0x2e) end--;
  return end === h.length ? h : h.slice(0, end);
}

/** The registrable domain of `host` (lower-cased), the IP itself for IP hosts, '' when none. */
export function registrableDomain(host: string, opts: DomainOptions = {}): string {
  const h = stripTrailingDots(host.toLowerCase());
  if (h === '') return '';
  if (isIpHost(h)) return h.replace(/^\[|\]$/g, '');
  return nameRegistrableDomain(h, opts);
}

/** registrableDomain for a name already lower-cased, without trailing dots, and not an IP. */
export function nameRegistrableDomain(h: string, opts: DomainOptions): string {
  const lastDot = h.lastIndexOf('.');
  if (lastDot < 0) return '';
  if (opts.twoLevel || opts.threeLevel) {
    const labels = h.split('.');
    const last = (n: number) => labels.slice(-n).join('.');
    if (labels.length >= 4 && opts.threeLevel?.has(last(3))) return last(4);
    if (labels.length >= 3 && opts.twoLevel?.has(last(2))) return last(3);
    return last(2);
  }
  const parsed = publicSuffixInfo(h);
  if (parsed.domain) return parsed.domain;
  // The last two labels.
  return lastDot === 0 ? h : h.slice(h.lastIndexOf('.', lastDot - 1) + 1);
}

/** True when the host ends in a known TLD (or is an IP). */
export function hasValidTld(host: string, opts: DomainOptions = {}): boolean {
  const h = stripTrailingDots(host.toLowerCase());
  if (isIpHost(h)) return true;
  return nameHasValidTld(h, opts);
}

/** hasValidTld for a name already lower-cased, without trailing dots, and not an IP. */
export function nameHasValidTld(h: string, opts: DomainOptions): boolean {
  const tld = h.slice(h.lastIndexOf('.') + 1);
  if (tld === '' || tld === h) return false;
  if (opts.validTlds) return opts.validTlds.has(tld);
  return publicSuffixInfo(h).isIcann === true;
}

/** A DNS label character (`_` included); `-` is allowed too, but not first or last. */
function isLabelChar(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39) || c === 0x5f;
}

/** A valid DNS host name: lower-case ASCII, 2+ labels, trailing dots ignored, no `_` in the last two labels. */
export function isFqdnValid(host: string): boolean {
  const h = stripTrailingDots(host);
  if (h.length > 253) return false;
  const lastDot = h.lastIndexOf('.');
  if (lastDot < 0) return false;
  // Labels starting after this dot are the last two: underscores are allowed in DNS names, but not there.
  const lastTwoFrom = lastDot > 0 ? h.lastIndexOf('.', lastDot - 1) : -1;
  for (let start = 0; ; ) {
    let end = h.indexOf('.', start);
    if (end < 0) end = h.length;
    if (end === start || end - start > 63) return false;
    if (!isLabelChar(h.charCodeAt(start)) || !isLabelChar(h.charCodeAt(end - 1))) return false;
    for (let i = start; i < end; i++) {
      const c = h.charCodeAt(i);
      if (!isLabelChar(c) && c !== 0x2d) return false;
      if (c === 0x5f && start > lastTwoFrom) return false;
    }
    if (end === h.length) return true;
    start = end + 1;
  }
}
