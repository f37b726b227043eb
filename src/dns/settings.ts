/**
 * The DNS settings of a rule set, read from its options with SpamAssassin 4.0.1's syntax and
 * defaults: `dns_server` / `clear_dns_servers`, `dns_options`, `rbl_timeout` (general and per
 * zone), `dns_available`, `skip_rbl_checks`, `skip_uribl_checks`, `dns_query_restriction`,
 * `dns_block_rule` / `dns_block_time`, and `-L` (local tests only). Each of these options is kept
 * line by line in order (config/options.ts), so a bad line is reported and skipped while the
 * lines before it stay in force, as SpamAssassin does. Bad values become lint messages.
 */
import type { LintMessage } from '../config/draft';
import { optList, type OptionValues } from '../config/options';
import { applyDnsOptions, DEFAULT_DNS_OPTIONS, type DnsOptions } from './dns-options';
import { DEFAULT_RBL_TIMEOUT, rblTimeout, type RblTimeout } from './rbl-timeout';
import { Resolver, type ResolverOptions } from './resolver';
import { parseServerSpec, type DnsServer } from './servers';

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
// A number of seconds, optionally with a unit, as rbl_timeout takes it (SpamAssassin rejects exponents).
const DURATION = /^(\d+(?:\.\d*)?|\.\d+)([smhdw]?)$/i;
const UNIT_SECONDS: Readonly<Record<string, number>> = { '': 1, s: 1, m: 60, h: 3600, d: 86_400, w: 604_800 };

function seconds(word: string): number | undefined {
  const m = DURATION.exec(word);
  return m ? Number(m[1]) * UNIT_SECONDS[m[2].toLowerCase()] : undefined;
}

/** A domain as the DNS directives compare it: lower case, no dots at the ends. */
function domainKey(d: string): string {
  return d.toLowerCase().replace(/^\.+|\.+$/g, '');
}

function yesNo(v: string): boolean | string {
  const s = v.toLowerCase();
  if (s === '1' || s === 'yes') return true;
  if (s === '0' || s === 'no') return false;
  return 'expected 0, 1, yes or no';
}

interface RblTimeoutLine {
  readonly t: number;
  readonly tMin: number | undefined;
  readonly zone: string | undefined;
}

/** `rbl_timeout t [t_min] [zone]`: a zone is told from a number by ending in a letter. */
function parseRblTimeoutLine(v: string): RblTimeoutLine | string {
  const words = v.split(/\s+/).filter(Boolean);
  const t = words.length > 0 ? seconds(words[0]) : undefined;
  if (t === undefined || words.length > 3) return 'expected t [t_min] [zone] (seconds, optionally with s, m, h, d or w)';
  let tMin: number | undefined;
  let rest = words.slice(1);
  if (rest.length > 0 && seconds(rest[0]) !== undefined) {
    tMin = seconds(rest[0]);
    rest = rest.slice(1);
  }
  if (rest.length > 1) return 'expected t [t_min] [zone]';
  const zone = rest[0];
  // SpamAssassin strips a leading dot but rejects a trailing one (the zone must end with a letter).
  if (zone !== undefined && !/[a-z]$/i.test(zone)) return `zone must end with a letter: ${zone}`;
  return { t, tMin, zone: zone === undefined ? undefined : domainKey(zone) };
}

function parseDnsAvailable(v: string): { available: 'yes' | 'no' | 'test'; testDomains: string[] } | string {
  if (v === 'yes' || v === 'no' || v === 'test') return { available: v, testDomains: [] };
  const m = /^test:\s*(\S.*)$/.exec(v);
  if (!m) return 'expected yes, no, test or test: domain...';
  return { available: 'test', testDomains: m[1].split(/\s+/).map(domainKey) };
}

function parseBlockTime(v: string): number | string {
  return /^-?\d+(?:\.\d+)?$/.test(v) ? Number(v) : 'expected a number of seconds';
}

/**
 * The DNS settings of `o` (a rule set's options), with lint messages for bad values. Options
 * carry no positions, so the messages name the directive and the value instead of file:line.
 */
export function dnsSettings(o: OptionValues, input: DnsSettingsInput): { settings: DnsSettings; lint: LintMessage[] } {
  const lint: LintMessage[] = [];
  const bad = (name: string, value: string, why: string): void => {
    lint.push({ level: 'error', at: undefined, text: `config: invalid '${name}' value '${value}': ${why}` });
  };
  /** Each line of `name` through `parse`; bad lines are reported and skipped. */
  const each = <T>(name: string, parse: (v: string) => T | string): T[] => {
    const out: T[] = [];
    for (const line of optList(o, name)) {
      const r = parse(line.trim());
      if (typeof r === 'string') bad(name, line, r);
      else out.push(r);
    }
    return out;
  };
  const last = <T>(name: string, parse: (v: string) => T | string, dflt: T): T => each(name, parse).at(-1) ?? dflt;

  // An empty value leaves the setting as it was, silently, as in SpamAssassin.
  const flag = (name: string): boolean => each(name, (v) => (v === '' ? null : yesNo(v))).filter((b) => b !== null).at(-1) ?? false;
  const avail = last('dns_available', parseDnsAvailable, { available: 'yes' as const, testDomains: [] });

  const servers = each('dns_server', (v) => (v === '' || /\s/.test(v) ? 'expected one address[:port]' : parseServerSpec(v)));

  let options = DEFAULT_DNS_OPTIONS;
  for (const line of optList(o, 'dns_options')) {
    const r = applyDnsOptions(options, line);
    for (const e of r.errors) bad('dns_options', line, e);
    options = r.options;
  }

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
  for (const [verb, domains] of each('dns_query_restriction', (v) => {
    const [word, ...rest] = v.split(/\s+/);
    const verbLower = word.toLowerCase();
    if ((verbLower !== 'allow' && verbLower !== 'deny') || rest.length === 0) return 'expected allow|deny domain...';
    return [verbLower as 'allow' | 'deny', rest.map(domainKey)] as const;
  })) {
    for (const d of domains) restrictions.set(d, verb);
  }

  const blockRules = new Map<string, string[]>();
  for (const [rule, domains] of each('dns_block_rule', (v) => {
    const [name, ...rest] = v.split(/\s+/);
    return rest.length === 0 ? 'expected RULE domain...' : ([name, rest.map(domainKey)] as const);
  })) {
    const list = blockRules.get(rule) ?? [];
    for (const d of domains) if (!list.includes(d)) list.push(d);
    blockRules.set(rule, list);
  }

  const settings: DnsSettings = {
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
  return { settings, lint };
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
  return s.network ? new Resolver({ ...resolverOptions(s), ...extra }) : undefined;
}
