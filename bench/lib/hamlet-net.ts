/**
 * hamlet's side of bench:network: one message through the check path with network tests on
 * (the bench's DNS server) or off, timed. Each networked check gets a fresh resolver with no
 * cache, so the queries the server counts per message are what one message costs, as
 * SpamAssassin (which keeps no DNS cache between messages) is counted.
 */
import type { RuleSet } from '../../src/config/compile';
import { NetScan } from '../../src/dns/net-scan';
import { Resolver } from '../../src/dns/resolver';
import { dnsSettings, resolverOptions } from '../../src/dns/settings';
import { finishScan, scanLocal } from '../../src/engine/scanner';
import { parseMessage } from '../../src/message/parse';
import { networkRules, startLookups } from '../../src/check/start-lookups';

export interface HamletNetResult {
  /** Scored rules hit (the `tests=` list). */
  readonly tests: readonly string[];
  /** Wall time of parse + scan (+ lookups) in milliseconds. */
  readonly ms: number;
}

/** Check `raw` with `rules`; `network` false is `-L` (score set 0, no lookups). */
export async function hamletCheck(raw: Buffer, rules: RuleSet, network: boolean): Promise<HamletNetResult> {
  const t0 = performance.now();
  const msg = parseMessage(raw, rules.parseOptions);
  const settings = dnsSettings(rules.options, { localOnly: !network });
  if (!settings.network) {
    const r = finishScan(scanLocal(msg, rules.compiled, { scoreSet: 0 }));
    return { tests: r.tests, ms: performance.now() - t0 };
  }
  const resolver = new Resolver({ ...resolverOptions(settings), cacheSize: 0 });
  try {
    const net = new NetScan({ msg, options: rules.options, parseOptions: rules.parseOptions, settings, resolver });
    startLookups(net, networkRules(rules.compiled, 1));
    const local = scanLocal(msg, rules.compiled, { net, scoreSet: 1 });
    await net.harvest();
    return { tests: finishScan(local).tests, ms: performance.now() - t0 };
  } finally {
    resolver.close();
  }
}
