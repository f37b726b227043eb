/**
 * The relay addresses a scan's `check_rbl` sets choose from (`rblQueryIps`), read off the
 * message's Received chain. `originating_ip_headers` addresses come into the chain as
 * synthetic relays after the Received ones (src/message/relays.ts); they are kept apart here
 * because the set suffixes treat them apart.
 */
import type { Relay, RelayChain } from '../message/types';
import type { RblIpSources } from './rbl-relays';

/** How relays.ts writes the synthetic line of an `originating_ip_headers` address. */
const ORIGINATING = 'from X-Originating-IP: ';

const isOriginating = (r: Relay): boolean => r.source.startsWith(ORIGINATING);

/** The sources of a chain (relay lists newest first, as the chain keeps them). */
export function rblSources(chain: RelayChain): RblIpSources {
  const originating = chain.all.filter(isOriginating);
  const trusted = new Set(originating.filter((r) => r.trusted).map((r) => r.ip));
  return {
    untrusted: chain.untrusted.filter((r) => !isOriginating(r)).map((r) => r.ip),
    external: chain.external.filter((r) => !isOriginating(r)).map((r) => r.ip),
    originating: originating.map((r) => r.ip),
    isTrusted: (ip) => trusted.has(ip),
  };
}
