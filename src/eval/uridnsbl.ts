/**
 * URIDNSBL: `body NAME eval:check_uridnsbl('NAME')` hits when a URI host of the message is
 * listed in the zone the `urirhsbl` / `urirhssub` / `urinsrhs*` / `urifullnsrhs*` / `uridns*`
 * line of that name gives (src/dns/uri-list-defs.ts). The start asks the zone about each host
 * (or first resolves the hosts' name servers, or their addresses, then asks about those); the
 * eval then reads the answers. Facts from SpamAssassin 4.0.1 (its documentation, and runs
 * against a test DNS server, test/eval/uridnsbl-sa.test.ts):
 * - an IP host is asked reversed, and only when it is a public IPv4 address; `domains_only`
 *   rules skip IP hosts, `ips_only` rules skip names; `notrim` asks the full host name;
 * - the name-server forms look up the NS of the host's registrable domain; `urinsrhs*` then
 *   ask about each name server's registrable domain, `urifullnsrhs*` its full name;
 * - `uridns*` rules with tflags `a` ask about the addresses of the host and of its domain's
 *   name servers; without `a` (tflags `ns`, the default) they ask nothing: SpamAssassin 4.0.1
 *   looks the name servers up for them but asks the zones only for the `a` rules (it looks
 *   name servers up only when some name-server rule is active, as in the stock rules; hamlet
 *   always does for an `a` rule);
 * - without a sub-test any TXT answer, or an A answer in 127.0.0.0/8, lists; with one, A answers
 *   are tested by it (a TXT answer then never matches a numeric sub-test);
 * - a zone is asked each name once per message however many rules read it;
 * - the hosts are those of the message's URIs (redirect targets included) and, with
 *   `parse_dkim_uris` on (the default), its DKIM-Signature `d=` domains; past
 *   `uridnsbl_max_domains` some kinds of URI are preferred (src/dns/uri-blocklist.ts).
 */
import { optBool, optList, optNumber, type OptionValues } from '../options/option-values';
import type { ScanContext } from '../engine/context';
import type { EvalArg, NetRuleInfo } from '../engine/types';
import type { Lookup } from '../dns/lookup-set';
import type { NetScan } from '../dns/net-scan';
import { dnsblQueryName, reverseIp, rhsblQueryName } from '../dns/blocklist';
import { dkimUriDomains } from '../dns/dkim-uris';
import { recordsOfType, type DnsAnswer } from '../dns/types';
import { uriblHosts, uriRhsblQueryName, type UriHost } from '../dns/uri-blocklist';
import { URI_LISTS_OPTION, uriListDefs, type UriListDef } from '../dns/uri-list-defs';
import { uriSubtestMatches } from '../dns/uri-subtest';
import { isIpHost, registrableDomain } from '../message/domain';
import { isPrivateIp } from '../message/relays';
import { memoOnOptions } from './lists-glob';
import { strArg, type EvalDef } from './registry';

/** A zone query a definition made. */
interface Asked {
  readonly name: string;
  readonly type: 'A' | 'TXT';
}

/** One scan's URIDNSBL state: the hosts asked about, and each definition's zone queries. */
interface UriblScan {
  hosts: readonly UriHost[] | undefined;
  readonly asked: Map<string, Asked[]>;
}

const STATE = 'uridnsbl';

function definitions(o: OptionValues): ReadonlyMap<string, UriListDef> {
  return memoOnOptions(o, 'uri-list-defs', () => uriListDefs(optList(o, URI_LISTS_OPTION)));
}

function skipDomains(o: OptionValues): ReadonlySet<string> {
  return memoOnOptions(o, 'uridnsbl-skip', () => new Set(optList(o, 'uridnsbl_skip_domain').map((d) => d.toLowerCase())));
}

/** The message's URI hosts, once per scan; also the `URIHOSTS` / `URIDOMAINS` tags. */
function scanHosts(net: NetScan, scan: UriblScan): readonly UriHost[] {
  if (scan.hosts) return scan.hosts;
  const hosts = uriblHosts(net.msg.uris, {
    skipDomains: skipDomains(net.options),
    maxDomains: optNumber(net.options, 'uridnsbl_max_domains', 20),
    skipMailto: optBool(net.options, 'uridnsbl_skip_mailto', true),
    domain: net.parseOptions.domains,
    dkimDomains: optBool(net.options, 'parse_dkim_uris', true) ? dkimUriDomains(net.msg) : [],
  });
  scan.hosts = hosts;
  net.tags.set('URIHOSTS', hosts.map((h) => h.host).sort().join(' '));
  net.tags.set('URIDOMAINS', [...new Set(hosts.map((h) => h.domain))].sort().join(' '));
  return hosts;
}

const publicIpv4 = (ip: string): boolean => /^\d+\.\d+\.\d+\.\d+$/.test(ip) && !isPrivateIp(ip) && !ip.startsWith('0.');

/** The addresses an A answer gives. */
const addresses = (a: DnsAnswer): string[] => (a.status === 'NOERROR' ? recordsOfType(a, 'A').map((r) => r.address) : []);

/** Start what definition `def` asks for the message's hosts; its zone queries go into `asked`. */
function startDefinition(net: NetScan, def: UriListDef, flags: ReadonlySet<string>, hosts: readonly UriHost[], asked: Asked[]): void {
  const seen = new Set<string>();
  const askName = (name: string | undefined): void => {
    if (name === undefined || seen.has(name)) return;
    seen.add(name);
    if (net.query(name, def.type)) asked.push({ name, type: def.type });
  };
  const ask = (subject: string): void => askName(publicIpv4(subject) ? dnsblQueryName(subject, def.zone) : rhsblQueryName(subject, def.zone));
  // Each address an A lookup of `host` gives is asked about (continuations run before the harvest looks again).
  const askAddressesOf = (host: string): void => {
    net.query(host, 'A')?.promise.then((a) => addresses(a).forEach(ask), () => undefined);
  };
  const names = hosts.filter((h) => !isIpHost(h.host));
  if (def.kind === 'rhsbl') {
    const uriFlags = { notrim: flags.has('notrim'), ipsOnly: flags.has('ips_only'), domainsOnly: flags.has('domains_only') };
    for (const h of hosts) if (!isIpHost(h.host) || publicIpv4(h.host)) askName(uriRhsblQueryName(h, def.zone, uriFlags));
    return;
  }
  if (def.kind === 'dnsbl') {
    // Observed in SpamAssassin 4.0.1: the addresses (of the hosts and of their name servers)
    // are asked only for rules with tflags `a`; a rule with `ns` alone asks nothing.
    if (!flags.has('a')) return;
    for (const h of names) askAddressesOf(h.host);
  }
  const onNameServers = (a: DnsAnswer): void => {
    if (a.status !== 'NOERROR') return;
    for (const r of recordsOfType(a, 'NS')) {
      const ns = r.value;
      if (isIpHost(ns)) {
        // A name server given as an address (a misconfiguration) is asked about as it is.
        if (publicIpv4(ns) && def.kind !== 'dnsbl') ask(ns);
        continue;
      }
      if (def.kind === 'dnsbl') askAddressesOf(ns);
      else if (def.kind === 'fullnsrhsbl') ask(ns);
      else ask(registrableDomain(ns, net.parseOptions.domains) || ns);
    }
  };
  for (const domain of new Set(names.map((h) => h.domain))) {
    net.query(domain, 'NS')?.promise.then(onNameServers, () => undefined);
  }
}

/** True when an answer lists the subject under `def` (its sub-test, or any answer). */
function listed(def: UriListDef, a: DnsAnswer): boolean {
  if (a.status !== 'NOERROR') return false;
  return a.records.some((r) => {
    if (r.type === 'TXT') return def.subtest === undefined;
    if (r.type !== 'A') return false;
    return def.subtest === undefined ? r.address.startsWith('127.') : uriSubtestMatches(def.subtest, r.address);
  });
}

/** The definition a `check_uridnsbl(NAME)` call reads (the rule's own name when the argument is left out). */
const definitionName = (args: readonly EvalArg[], rule?: NetRuleInfo): string | undefined => strArg(args, 0) ?? rule?.name;

function checkUridnsbl(ctx: ScanContext, args: readonly EvalArg[]): boolean {
  const net = ctx.net;
  const name = definitionName(args);
  if (!net || name === undefined) return false;
  const def = definitions(net.options).get(name);
  const asked = net.state<UriblScan | undefined>(STATE, () => undefined)?.asked.get(name);
  if (!def || !asked) return false;
  let hit = false;
  for (const q of asked) {
    const l: Lookup | undefined = net.lookup(q.name, q.type);
    const a = l?.result();
    if (a === undefined || !listed(def, a)) continue;
    hit = true;
    net.note(args, `URI: ${subjectOf(q.name, def.zone)}`);
  }
  return hit;
}

/** What a query asked the list about: the name without the zone, an address put back in order. */
function subjectOf(name: string, zone: string): string {
  const z = zone.replace(/\.+$/, '').toLowerCase();
  const subject = name.endsWith(`.${z}`) ? name.slice(0, -z.length - 1) : name;
  return /^\d+\.\d+\.\d+\.\d+$/.test(subject) ? (reverseIp(subject) ?? subject) : subject;
}

export const uridnsblEvals: readonly EvalDef[] = [
  {
    name: 'check_uridnsbl',
    // SpamAssassin registers it for any rule type; the stock rules use body.
    areas: ['body', 'rawbody', 'header', 'full', 'uri'],
    fn: checkUridnsbl,
    net: {
      // SpamAssassin's report shows no rule-type prefix for a URI list's hit.
      label: '',
      start(net, args, rule) {
        if (net.settings.skipUriblChecks) return;
        const name = definitionName(args, rule);
        const def = name === undefined ? undefined : definitions(net.options).get(name);
        if (!def || name === undefined) return;
        const scan = net.state<UriblScan>(STATE, () => ({ hosts: undefined, asked: new Map() }));
        if (scan.asked.has(name)) return;
        const asked: Asked[] = [];
        scan.asked.set(name, asked);
        startDefinition(net, def, rule.tflags, scanHosts(net, scan), asked);
      },
    },
  },
];
