/**
 * DNSEval's name checks: a host or domain asked of a right-hand-side list (`host.zone`), or an
 * address reversed under the zone. What each asks, observed from SpamAssassin 4.0.1 against a
 * test DNS server:
 * - `check_rbl_from_host(set, zone[, sub])`: the host of each sender address (all_from_addrs:
 *   From, the envelope sender...);
 * - `check_rbl_from_domain(set, zone[, sub])`: the registrable domain of each of those hosts;
 * - `check_rbl_envfrom(set, zone[, sub])`: the envelope sender's host;
 * - `check_rbl_headers(set, zone[, sub[, headers]])`: what each header of `rbl_headers` (or the
 *   comma list given) holds: an address's host, an IP address (reversed), or a host name;
 * - `check_rbl_rcvd(set, zone[, sub])`: the most remote untrusted relay: its address (reversed),
 *   then the `by`, HELO and reverse-DNS names of its Received line.
 * Only names with a valid TLD are asked. `tflags ... ips_only` keeps only the addresses,
 * `domains_only` only the names (also observed). `skip_rbl_checks` turns them off.
 */
import { dnsblQueryName, rhsblQueryName } from '../dns/blocklist';
import type { NetScan } from '../dns/net-scan';
import { isPrivateIp } from '../message/relays';
import { optString } from '../options/option-values';
import type { EvalArg } from '../engine/types';
import { headerValues, parseHeaderRequest } from '../message/header-access';
import { hasValidTld, isIpHost, registrableDomain } from '../message/domain';
import { RBL_LABEL } from './dns-rbl';
import { anyListed, rblBook, subtestArg, type RblQuery } from './dns-rbl-book';
import { checkSetZone, rblNet } from './dns-rbl';
import { request } from './header-get';
import { fromAddrsOf } from '../message/list-addresses';
import { strArg, type EvalDef } from './registry';

/** `rbl_headers` when not configured (SpamAssassin's DNSEval documentation). */
const DEFAULT_RBL_HEADERS = ['EnvelopeFrom', 'Reply-To', 'Disposition-Notification-To', 'X-WebmailclientIP', 'X-Source-IP'];

/** What an eval asks the zone about: host names and IP addresses, in order. */
type Subjects = (net: NetScan, args: readonly EvalArg[]) => string[];

const hostOf = (addr: string): string => addr.slice(addr.lastIndexOf('@') + 1).replace(/^\[|\]$/g, '').toLowerCase();

function fromHosts(net: NetScan): string[] {
  return net.state('dnseval:from-hosts', () => fromAddrsOf(net.msg).filter((a) => a.includes('@')).map(hostOf));
}

/** The envelope sender's host, lower case (undefined without one). */
export function envfromHost(net: NetScan): string | undefined {
  const a = headerValues(net.msg, request('EnvelopeFrom:addr'))[0];
  return a?.includes('@') ? hostOf(a) : undefined;
}

const IP_IN_TEXT = /(?:\d{1,3}\.){3}\d{1,3}|[0-9a-f]*:[0-9a-f]*:[0-9a-f:.]+/i;
const HOST_IN_TEXT = /[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+/i;

/** What one header holds for check_rbl_headers: an address's host, an IP address or a host name. */
function headerSubject(net: NetScan, name: string): string | undefined {
  const addrReq = parseHeaderRequest(`${name}:addr`);
  if ('error' in addrReq) return undefined;
  const addr = headerValues(net.msg, addrReq)[0];
  if (addr?.includes('@')) return hostOf(addr);
  const plain = parseHeaderRequest(name);
  const text = 'error' in plain ? undefined : headerValues(net.msg, plain)[0];
  if (!text) return undefined;
  return (IP_IN_TEXT.exec(text) ?? HOST_IN_TEXT.exec(text))?.[0].toLowerCase();
}

function headerSubjects(net: NetScan, args: readonly EvalArg[]): string[] {
  const list = strArg(args, 3) ?? optString(net.options, 'rbl_headers');
  const names = list ? list.split(',').map((s) => s.trim()).filter((s) => s !== '') : DEFAULT_RBL_HEADERS;
  return names.map((n) => headerSubject(net, n)).filter((s): s is string => s !== undefined);
}

/** The most remote untrusted relay's address and names. */
function rcvdSubjects(net: NetScan): string[] {
  const untrusted = net.msg.relays.untrusted;
  const r = untrusted[untrusted.length - 1];
  return r ? [r.ip, r.by, r.helo, r.rdns].map((s) => s.toLowerCase()) : [];
}

/** The query for a subject: an address reversed, a host with a valid TLD prepended; undefined for anything else. */
function queryFor(net: NetScan, subject: string, zone: string): NameQuery | undefined {
  if (subject === '') return undefined;
  if (isIpHost(subject)) {
    const name = isPrivateIp(subject) ? undefined : dnsblQueryName(subject, zone);
    return name === undefined ? undefined : { name, type: 'A', ip: true };
  }
  if (!subject.includes('.') || !hasValidTld(subject, net.parseOptions.domains)) return undefined;
  return { name: rhsblQueryName(subject, zone), type: 'A', ip: false };
}

/** A query, and whether it asks about an address (for `ips_only` / `domains_only`). */
type NameQuery = RblQuery & { readonly ip: boolean };

/** The queries a rule asks, each once. */
function queriesOf(net: NetScan, args: readonly EvalArg[], subjects: Subjects): NameQuery[] {
  const zone = strArg(args, 1);
  if (!zone) return [];
  const out = new Map<string, NameQuery>();
  for (const s of subjects(net, args)) {
    const q = queryFor(net, s, zone);
    if (q && !out.has(q.name)) out.set(q.name, q);
  }
  return [...out.values()];
}

function nameCheck(name: string, subjects: Subjects): EvalDef {
  return {
    name,
    areas: ['header'],
    validate: (args) => checkSetZone(args, 2),
    net: {
      label: RBL_LABEL,
      start(net, args, rule) {
        const set = strArg(args, 0);
        if (net.settings.skipRblChecks || !set) return;
        const book = rblBook(net);
        const ipsOnly = rule.tflags.has('ips_only');
        const domainsOnly = rule.tflags.has('domains_only');
        const asked = queriesOf(net, args, subjects).filter((q) => (q.ip ? !domainsOnly : !ipsOnly) && book.ask(net, set, q));
        book.byRule.set(args, asked);
      },
    },
    fn(ctx, args) {
      const net = rblNet(ctx);
      const sub = subtestArg(args, 2);
      if (!net || 'error' in sub) return false;
      return anyListed(net, rblBook(net).byRule.get(args) ?? [], sub, args);
    },
  };
}

export const dnsRblHostEvals: readonly EvalDef[] = [
  nameCheck('check_rbl_from_host', fromHosts),
  nameCheck('check_rbl_from_domain', (net) => fromHosts(net).map((h) => registrableDomain(h, net.parseOptions.domains))),
  nameCheck('check_rbl_envfrom', (net) => [envfromHost(net) ?? '']),
  nameCheck('check_rbl_headers', headerSubjects),
  nameCheck('check_rbl_rcvd', rcvdSubjects),
];
