/**
 * `check_dns_sender` (NO_DNS_FOR_FROM): asks for the A and MX records of the envelope sender's
 * domain. Observed from SpamAssassin 4.0.1 against a test DNS server: it asks exactly these two
 * queries (the host of the first `EnvelopeFrom` address with a dot in it, lower-cased), yet hits
 * only when an answer that ended NXDOMAIN or SERVFAIL still carries A or MX records, both of
 * them; NXDOMAIN, no data, SERVFAIL and timeouts alike leave the rule unhit. The same
 * condition is kept here, so that hamlet scores the rule as SpamAssassin does.
 * `skip_rbl_checks` turns it off.
 */
import type { NetScan } from '../dns/net-scan';
import type { DnsAnswer, QueryType } from '../dns/types';
import { headerValues } from '../message/header-access';
import { request } from './header-get';
import type { EvalDef } from './registry';

const TYPES: readonly QueryType[] = ['A', 'MX'];

/** The envelope sender's domain, or undefined when there is none with a dot. */
function senderHost(net: NetScan): string | undefined {
  for (const from of headerValues(net.msg, request('EnvelopeFrom:addr'))) {
    const m = /@([^@\s]+\.[^@\s]+)/.exec(from.replace(/\.{2,}/g, '.'));
    if (m) return m[1]!.toLowerCase();
  }
  return undefined;
}

/** An answer that counts as a failure in SpamAssassin's test: a failure code with records of the asked kind. */
function failedWithRecords(a: DnsAnswer | undefined): boolean {
  return a !== undefined && (a.status === 'NXDOMAIN' || a.status === 'SERVFAIL') && a.records.some((r) => r.type === 'A' || r.type === 'MX');
}

export const dnsSenderEvals: readonly EvalDef[] = [
  {
    name: 'check_dns_sender',
    areas: ['header'],
    net: {
      start(net) {
        const host = senderHost(net);
        if (net.settings.skipRblChecks || host === undefined) return;
        for (const t of TYPES) net.query(host, t);
      },
    },
    fn(ctx) {
      const net = ctx.net;
      const host = net && !net.settings.skipRblChecks ? senderHost(net) : undefined;
      if (!net || host === undefined) return false;
      return TYPES.every((t) => failedWithRecords(net.lookup(host, t)?.result()));
    },
  },
];
