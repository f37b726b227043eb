/**
 * hamlet's side of bench:network: one message through the check pipeline (src/check) with
 * network tests on (the bench's DNS server) or off, timed. Each networked check gets its own
 * network runtime with a fresh resolver and no cache, so the queries the server counts per
 * message are what one message costs, as SpamAssassin (which keeps no DNS cache between
 * messages) is counted.
 */
import type { RuleSet } from '../../src/config/compile';
import { check, netRuntimeFor } from '../../src/check/index';

export interface HamletNetResult {
  /** Scored rules hit (the `tests=` list). */
  readonly tests: readonly string[];
  /** Wall time of the check in milliseconds. */
  readonly ms: number;
  /** Milliseconds per pipeline step (src/check/steps.ts names). */
  readonly steps: ReadonlyMap<string, number>;
}

/** Check `raw` with `rules`; `network` false is `-L` (score set 0, no lookups). */
export async function hamletCheck(raw: Buffer, rules: RuleSet, network: boolean): Promise<HamletNetResult> {
  const t0 = performance.now();
  const net = network ? netRuntimeFor(rules, { localOnly: false, resolver: { cacheSize: 0 } }) : undefined;
  const steps = new Map<string, number>();
  try {
    const c = await check(raw, rules, { net, onStep: (name, ms) => steps.set(name, ms) });
    return { tests: c.result.tests, ms: performance.now() - t0, steps };
  } finally {
    net?.close();
  }
}
