/**
 * What network tests need for the life of a process: the DNS settings of a rule set and one
 * resolver (shared cache, queries in flight) per set of servers, and the zones a
 * `dns_block_rule` hit has blocked for `dns_block_time`. `-L` / `--local` and `dns_available no`
 * give no runtime at all: nothing may query.
 */
import type { RuleSet } from '../config/compile';
import type { NetScan } from '../dns/net-scan';
import type * as NetScanModule from '../dns/net-scan';
import type { QueryFn } from '../dns/lookup-set';
import { tightestZone } from '../dns/query-policy';
import type { Resolver, ResolverOptions } from '../dns/resolver';
import { dnsSettings, resolverFor, resolverOptions, type DnsSettings } from '../dns/settings';
import type { Message } from '../message/types';
import { lazy } from '../util/lazy';

// A scan's lookups load with the first runtime (the resolver with resolverFor): a `-L` run has none.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const netScanModule = lazy(() => require('../dns/net-scan') as typeof NetScanModule);

export interface NetRuntimeOptions {
  /** `-L` / `--local`: no network tests. */
  readonly localOnly: boolean;
  /** Resolver settings the configuration does not give (tests: try timeout, cache size). */
  readonly resolver?: Partial<ResolverOptions>;
  /** A resolver to use instead of building one (tests, benches that count queries). */
  readonly query?: QueryFn;
  /** Milliseconds clock for blocks (tests). */
  readonly clock?: () => number;
}

/** Domains whose NS records `dns_available test` asks for when the line names none (any three). */
const DEFAULT_TEST_DOMAINS = ['apache.org', 'debian.org', 'kernel.org', 'wikipedia.org', 'w3.org', 'ietf.org', 'iana.org', 'mozilla.org', 'python.org', 'gnu.org', 'mit.edu', 'eff.org'];
/** How long a `dns_available test` verdict holds (SpamAssassin's `dns_test_interval` default). */
const TEST_INTERVAL_MS = 600_000;

export class NetRuntime {
  private readonly blockedUntil = new Map<string, number>();
  private readonly clock: () => number;
  private probe: { readonly at: number; readonly ok: Promise<boolean> } | undefined;

  constructor(
    readonly settings: DnsSettings,
    readonly resolver: QueryFn,
    private readonly owned: Resolver | undefined,
    clock?: () => number,
  ) {
    this.clock = clock ?? Date.now;
  }

  /**
   * Whether DNS can be used: always, unless `dns_available test`, which asks three of its test
   * domains (or built-in ones) for their NS records and counts DNS as working when one answers;
   * the verdict is kept for ten minutes. Undefined when no test is needed (no waiting).
   */
  available(): Promise<boolean> | undefined {
    if (this.settings.available !== 'test') return undefined;
    const now = this.clock();
    if (!this.probe || now - this.probe.at > TEST_INTERVAL_MS) this.probe = { at: now, ok: this.testDns() };
    return this.probe.ok;
  }

  private async testDns(): Promise<boolean> {
    const list = this.settings.testDomains.length > 0 ? [...this.settings.testDomains] : [...DEFAULT_TEST_DOMAINS];
    const picked: string[] = [];
    while (picked.length < 3 && list.length > 0) picked.push(list.splice(Math.floor(Math.random() * list.length), 1)[0]!);
    const answers = await Promise.all(picked.map((d) => this.resolver.query(d, 'NS')));
    return answers.some((a) => a.status === 'NOERROR' && a.records.some((r) => r.type === 'NS'));
  }

  /** A scan's network state for `msg`. */
  scanFor(msg: Message, rules: RuleSet): NetScan {
    return new (netScanModule().NetScan)({
      msg,
      options: rules.options,
      parseOptions: rules.parseOptions,
      settings: this.settings,
      resolver: this.resolver,
      blocked: (name) => this.isBlocked(name),
      clock: this.clock,
    });
  }

  /** After a scan: block the zones of every `dns_block_rule` whose rule hit, for `dns_block_time`. */
  noteHits(hit: (rule: string) => boolean): void {
    for (const [rule, domains] of this.settings.blockRules) {
      if (!hit(rule)) continue;
      for (const d of domains) this.blockedUntil.set(d, this.clock() + this.settings.blockTimeSec * 1000);
    }
  }

  /** True while a query for `name` falls in a blocked zone. */
  isBlocked(name: string): boolean {
    if (this.blockedUntil.size === 0) return false;
    const until = tightestZone(name, this.blockedUntil);
    return until !== undefined && until > this.clock();
  }

  /** Close the resolver this runtime built (its sockets). */
  close(): void {
    this.owned?.close();
  }
}

/** Resolvers by their settings: rule sets (users' prefs) with the same servers share one. */
const resolvers = new Map<string, Resolver>();

/** The network runtime for `rules`, or undefined when network tests are off. */
export function netRuntimeFor(rules: RuleSet, opts: NetRuntimeOptions): NetRuntime | undefined {
  const settings = dnsSettings(rules.options, { localOnly: opts.localOnly });
  if (!settings.network) return undefined;
  if (opts.query) return new NetRuntime(settings, opts.query, undefined, opts.clock);
  if (opts.resolver) {
    const own = resolverFor(settings, opts.resolver)!;
    return new NetRuntime(settings, own, own, opts.clock);
  }
  const key = JSON.stringify(resolverOptions(settings));
  let r = resolvers.get(key);
  if (!r) resolvers.set(key, (r = resolverFor(settings)!));
  return new NetRuntime(settings, r, undefined, opts.clock);
}

/** Close every shared resolver (a one-shot CLI run at its end, a worker stopping). */
export function closeResolvers(): void {
  for (const r of resolvers.values()) r.close();
  resolvers.clear();
}
