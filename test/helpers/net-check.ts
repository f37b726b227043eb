/**
 * Scan a message with network tests on against a test DNS server, the way the check pipeline
 * does (start lookups -> local rules -> harvest -> network rules, metas): for the network evals'
 * table tests. `cf` is the whole configuration (no stock rules are read).
 */
import { compileDraft, type RuleSet } from '../../src/config/compile';
import { newDraft } from '../../src/config/draft';
import { parseConfigText } from '../../src/config/parser';
import { NetScan } from '../../src/dns/net-scan';
import { Resolver } from '../../src/dns/resolver';
import { dnsSettings } from '../../src/dns/settings';
import { finishScan, scanLocal } from '../../src/engine/scanner';
import type { ScanResult } from '../../src/engine/types';
import { parseMessage } from '../../src/message/parse';
import { networkRules, startLookups } from '../../src/check/start-lookups';
import type { TestDnsServer } from './dns-server';

/** Rules compiled from `cf` lines (one string, newline-separated). */
export function rulesFrom(cf: string): RuleSet {
  const d = newDraft();
  parseConfigText(d, cf, 'test.cf', { user: false, resolve: (_f, t) => t, readInclude: () => undefined });
  return compileDraft(d);
}

export interface NetCheck {
  readonly result: ScanResult;
  readonly net: NetScan;
}

/**
 * Scan `raw` with `rules`, network on, resolving through `server` (1 s tries, no retries beyond
 * one round). `afterStart` runs once the rules have started their lookups (a test starts a
 * stand-in for another area's wait there, e.g. mailauth's).
 */
export async function netCheck(raw: string | Buffer, rules: RuleSet, server: TestDnsServer, afterStart?: (net: NetScan) => void): Promise<NetCheck> {
  const msg = parseMessage(Buffer.isBuffer(raw) ? raw : Buffer.from(raw, 'latin1'), rules.parseOptions);
  const settings = dnsSettings(rules.options, { localOnly: false });
  const resolver = new Resolver({ servers: [server.spec], tryTimeoutMs: 1000, attempts: 1, cacheSize: 0 });
  try {
    const net = new NetScan({ msg, options: rules.options, parseOptions: rules.parseOptions, settings, resolver });
    startLookups(net, networkRules(rules.compiled, 1));
    afterStart?.(net);
    const local = scanLocal(msg, rules.compiled, { net, scoreSet: 1 });
    await net.harvest();
    return { result: finishScan(local), net };
  } finally {
    resolver.close();
  }
}
