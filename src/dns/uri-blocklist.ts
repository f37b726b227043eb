/**
 * URI blocklists (`urirhsbl`, `urirhssub`): which hosts of a message's URIs are asked about,
 * and the name asked. A host is trimmed to its registrable domain (`foo.bar.co.uk` ->
 * `bar.co.uk`) unless the rule has `tflags notrim`; an IP host is asked reversed, as a DNSBL
 * asks (observed from SpamAssassin 4.0.1: `http://1.2.3.0/` -> `0.3.2.1.zone`).
 */
import { isIpHost, registrableDomain, type DomainOptions } from '../message/domain';
import { uriHost } from '../message/uris';
import type { MessageUri } from '../message/types';
import { dnsblQueryName, rhsblQueryName } from './blocklist';

/** A rule's tflags that change what it asks. */
export interface UriRuleFlags {
  /** `notrim`: ask about the full host name. */
  readonly notrim?: boolean;
  /** `ips_only`: only URIs whose host is an IP address. */
  readonly ipsOnly?: boolean;
  /** `domains_only`: only URIs whose host is a name. */
  readonly domainsOnly?: boolean;
}

/** One URI host a message's lookups use. */
export interface UriHost {
  /** The host, lower-cased (an IP without brackets). */
  readonly host: string;
  /** Its registrable domain (the IP itself for an IP host). */
  readonly domain: string;
}

export interface UriHostOptions {
  /** `uridnsbl_skip_domain`: skipped when the registrable domain or the full host is listed. */
  readonly skipDomains?: ReadonlySet<string>;
  /**
   * `uridnsbl_max_domains` (default 20): at most this many distinct hosts (SpamAssassin 4.0.1
   * was observed to ask about 2 of `a.one.com b.one.com c.one.com` under a `notrim` rule with 2).
   */
  readonly maxDomains?: number;
  /** `uridnsbl_skip_mailto` (default on): leave mailto: addresses out. */
  readonly skipMailto?: boolean;
  /** `util_rb_tld` / `util_rb_2tld` / `util_rb_3tld`. */
  readonly domain?: DomainOptions;
  /**
   * With `parse_dkim_uris` (default on), the `d=` domains of the message's DKIM-Signature
   * headers (src/dns/dkim-uris.ts): SpamAssassin 4.0.1 adds each as a `domainkeys:` URI that
   * the URI lists are asked about (and `uri` rules do not match).
   */
  readonly dkimDomains?: readonly string[];
}

/**
 * Which hosts come first when there are more than `uridnsbl_max_domains`, observed from
 * SpamAssassin 4.0.1 with small maxima: hosts of HTML anchors (their redirect targets
 * included), then of forms, then of images, then of the other kinds (DKIM `d=` domains,
 * schemeless `www.` text, other tags), then URIs written with their scheme in text. Within a
 * rank SpamAssassin's order varies from run to run (hash order); here it is the order found.
 */
function rank(sources: readonly string[], schemeless: boolean): number {
  if (sources.includes('a')) return 0;
  if (sources.includes('form')) return 1;
  if (sources.includes('img')) return 2;
  return sources.every((s) => s === 'parsed') && !schemeless ? 4 : 3;
}
const DKIM_RANK = 3;

/** True when a text URI was written without a scheme (`www.foo.com`). */
const isSchemeless = (raw: string): boolean => !/^[a-z][a-z0-9+.-]*:/i.test(raw);

/**
 * The hosts of `uris` (every canonical variant: redirect targets count, as in SpamAssassin)
 * and of the DKIM domains that the URI lists are asked about, each once, the preferred kinds
 * first (see `rank`), at most `maxDomains`.
 */
export function uriblHosts(uris: readonly MessageUri[], opts: UriHostOptions = {}): UriHost[] {
  const skip = opts.skipDomains ?? new Set<string>();
  const skipMailto = opts.skipMailto ?? true;
  const found = new Map<string, { host: UriHost; rank: number; order: number }>();
  const consider = (hostText: string, r: number): void => {
    const host = hostText.replace(/^\[|\]$/g, '');
    const seen = found.get(host);
    if (seen) {
      if (r < seen.rank) found.set(host, { ...seen, rank: r });
      return;
    }
    const domain = registrableDomain(host, opts.domain);
    if (domain === '' || skip.has(domain) || skip.has(host)) return;
    found.set(host, { host: { host, domain }, rank: r, order: found.size });
  };
  for (const u of uris) {
    const r = rank(u.sources, isSchemeless(u.raw));
    const hosts = new Set<string>();
    if (u.host !== '' && !(skipMailto && u.scheme === 'mailto')) hosts.add(u.host);
    for (const c of u.cleaned) {
      if (c === u.url || (skipMailto && /^mailto:/i.test(c))) continue;
      const h = uriHost(c, opts.domain)?.host;
      if (h) hosts.add(h);
    }
    for (const h of hosts) consider(h, r);
  }
  for (const d of opts.dkimDomains ?? []) {
    const h = uriHost(`domainkeys:${d}`, opts.domain)?.host;
    if (h) consider(h, DKIM_RANK);
  }
  const max = opts.maxDomains ?? 20;
  return [...found.values()]
    .sort((a, b) => a.rank - b.rank || a.order - b.order)
    .slice(0, Math.max(0, max))
    .map((f) => f.host);
}

/** The name a `urirhsbl` / `urirhssub` rule asks `zone` for `h`; undefined when its tflags skip it. */
export function uriRhsblQueryName(h: UriHost, zone: string, flags: UriRuleFlags = {}): string | undefined {
  if (isIpHost(h.host)) {
    if (flags.domainsOnly || h.host.includes(':')) return undefined;
    return dnsblQueryName(h.host, zone);
  }
  if (flags.ipsOnly) return undefined;
  return rhsblQueryName(flags.notrim ? h.host : h.domain, zone);
}
