/**
 * The DNS settings of a rule set, read from its options with SpamAssassin 4.0.1's syntax and
 * defaults: `dns_server` / `clear_dns_servers`, `dns_options`, `rbl_timeout` (general and per
 * zone), `dns_available`, `skip_rbl_checks`, `skip_uribl_checks`, `dns_query_restriction`,
 * `dns_block_rule` / `dns_block_time`, and `-L` (local tests only). Each of these options is kept
 * line by line in order (options/option-values.ts); a bad line is reported by the parser with
 * file:line and dropped (setting-lines.ts), so the lines before it stay in force, as in SpamAssassin.
 */
import { optList, type OptionValues } from '../options/option-values';
import { applyDnsOptions, DEFAULT_DNS_OPTIONS, type DnsOptions } from './dns-options';
import { DEFAULT_RBL_TIMEOUT, rblTimeout, type RblTimeout } from './rbl-timeout';
import type { Resolver, ResolverOptions } from './resolver';
import type * as ResolverModule from './resolver';
import type { DnsServer } from './servers';
import {
  parseBlockRule, parseBlockTime, parseDnsAvailable, parseQueryRestriction, parseRblTimeoutLine, parseServerLine, parseYesNo,
} from './setting-lines';

export interface DnsSettings {
  /** Network tests run at all: not `-L` / `--local`, and `dns_available` is not `no`. */
  readonly network: boolean;
  /** `dns_available`: `test` means "check at start-up" with `testDomains` (or built-in ones when empty). */
  readonly available: 'yes' | 'no' | 'test';
  readonly testDomains: readonly string[];
  /** `dns_server` entries left after the last `clear_dns_servers`; empty means /etc/resolv.conf. */
  readonly servers: readonly DnsServer[];
  readonly options: DnsOptions;
  /** The general `rbl_timeout`; `byZone` holds the per-zone lines (keys lower case, no dots at the ends). */
  readonly rblTimeout: RblTimeout;
  readonly rblTimeoutByZone: ReadonlyMap<string, RblTimeout>;
  readonly skipRblChecks: boolean;
  readonly skipUriblChecks: boolean;
  /** `dns_query_restriction`, for `queryAllowed` (keys lower case, `*` for everything). */
  readonly queryRestrictions: ReadonlyMap<string, 'allow' | 'deny'>;
  /** `dns_block_rule RULE domain...`: the domains a hit of RULE blocks (kept; not acted on yet). */
  readonly blockRules: ReadonlyMap<string, readonly string[]>;
  /** `dns_block_time`, seconds a block lasts. */
  readonly blockTimeSec: number;
}

/** What the command line adds: `-L` / `--local`. */
export interface DnsSettingsInput {
  readonly localOnly: boolean;
}

const DEFAULT_BLOCK_TIME = 300;

/**
 * The DNS settings of `o` (a rule set's options). The parser has reported bad lines with
 * file:line and dropped them (`checkDnsSettingLine`); any left (options built by hand) are skipped.
 */
export function dnsSettings(o: OptionValues, input: DnsSettingsInput): DnsSettings {
  /** Each good line of `name`, through `parse`. */
  const each = <T>(name: string, parse: (v: string) => T | string): T[] => {
    const out: T[] = [];
    for (const line of optList(o, name)) {
      const r = parse(line.trim());
      if (typeof r !== 'string') out.push(r);
    }
    return out;
  };
  const last = <T>(name: string, parse: (v: string) => T | string, dflt: T): T => each(name, parse).at(-1) ?? dflt;

  // An empty value leaves the setting as it was, silently, as in SpamAssassin.
  const flag = (name: string): boolean => each(name, parseYesNo).filter((b) => b !== null).at(-1) ?? false;
  const avail = last('dns_available', parseDnsAvailable, { available: 'yes' as const, testDomains: [] });

  const servers = each('dns_server', parseServerLine);

  // Each line changes only the options it names (in hand-built options a bad word is skipped).
  let options = DEFAULT_DNS_OPTIONS;
  for (const line of optList(o, 'dns_options')) options = applyDnsOptions(options, line).options;

  // The general t_min stays until a later line gives another; a zone's line replaces that zone's setting.
  let t = DEFAULT_RBL_TIMEOUT.t;
  let tMin: number | undefined;
  const byZone = new Map<string, RblTimeout>();
  for (const l of each('rbl_timeout', parseRblTimeoutLine)) {
    // (rblTimeout only refuses negative seconds, which the line parser already did.)
    if (l.zone !== undefined) byZone.set(l.zone, rblTimeout(l.t, l.tMin) as RblTimeout);
    else [t, tMin] = [l.t, l.tMin ?? tMin];
  }

  const restrictions = new Map<string, 'allow' | 'deny'>();
  for (const [verb, domains] of each('dns_query_restriction', parseQueryRestriction)) {
    for (const d of domains) restrictions.set(d, verb);
  }

  const blockRules = new Map<string, string[]>();
  for (const [rule, domains] of each('dns_block_rule', parseBlockRule)) {
    const list = blockRules.get(rule) ?? [];
    for (const d of domains) if (!list.includes(d)) list.push(d);
    blockRules.set(rule, list);
  }

  return {
    network: !input.localOnly && avail.available !== 'no',
    available: avail.available,
    testDomains: avail.testDomains,
    servers,
    options,
    rblTimeout: rblTimeout(t, tMin) as RblTimeout,
    rblTimeoutByZone: byZone,
    skipRblChecks: flag('skip_rbl_checks'),
    skipUriblChecks: flag('skip_uribl_checks'),
    queryRestrictions: restrictions,
    blockRules,
    blockTimeSec: last('dns_block_time', parseBlockTime, DEFAULT_BLOCK_TIME),
  };
}

/** A server as `dns_server` (and the resolver) take it. */
function serverSpec(s: DnsServer): string {
  return s.family === 6 ? `[${s.address}]:${s.port}` : `${s.address}:${s.port}`;
}

/** How the resolver is built from the settings (its servers, EDNS0 size and rotation). */
export function resolverOptions(s: DnsSettings): ResolverOptions {
  return { servers: s.servers.map(serverSpec), ednsPayload: s.options.ednsPayload, rotate: s.options.rotate };
}

/**
 * The process's resolver for these settings, or undefined when network tests are off (`-L`,
 * `dns_available no`): then nothing may query. `extra` sets what the config does not (tests:
 * try timeout, clock).
 */
export function resolverFor(s: DnsSettings, extra: Partial<ResolverOptions> = {}): Resolver | undefined {
  if (!s.network) return undefined;
  // Loaded here, not with the settings: a `-L` run reads its settings and never builds a resolver.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { Resolver: ResolverClass } = require('./resolver') as typeof ResolverModule;
  return new ResolverClass({ ...resolverOptions(s), ...extra });
}
