/**
 * URI blocklists (`urirhsbl`, `urirhssub`): which hosts of a message's URIs are asked about,
 * and the name asked. A host is trimmed to its registrable domain (`foo.bar.co.uk` ->
 * `bar.co.uk`) unless the rule has `tflags notrim`; an IP host is asked reversed, as a DNSBL
 * asks (observed from SpamAssassin 4.0.1: `http://1.2.3.0/` -> `0.3.2.1.zone`).
 */
import { isIpHost, registrableDomain, type DomainOptions } from '../message/domain';
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
}

/** The hosts of `uris` the URI lists are asked about, each once, in the order first found. */
export function uriblHosts(uris: readonly MessageUri[], opts: UriHostOptions = {}): UriHost[] {
  const skip = opts.skipDomains ?? new Set<string>();
  const max = opts.maxDomains ?? 20;
  const hosts = new Map<string, UriHost>();
  for (const u of uris) {
    if (hosts.size >= max) break;
    if (u.host === '' || ((opts.skipMailto ?? true) && u.scheme === 'mailto')) continue;
    const host = u.host.replace(/^\[|\]$/g, '');
    if (hosts.has(host)) continue;
    const domain = registrableDomain(host, opts.domain);
    if (domain === '' || skip.has(domain) || skip.has(host)) continue;
    hosts.set(host, { host, domain });
  }
  return [...hosts.values()];
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
