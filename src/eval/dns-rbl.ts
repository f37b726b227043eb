/**
 * DNSEval's relay blocklist checks: `check_rbl(set, zone[, sub-test])`, `check_rbl_txt` (the
 * same over TXT), `check_rbl_sub(set, sub-test)` (another reading of a set's answers) and
 * `check_rbl_accreditor(set, zone, sub-test, accreditor)` (check_rbl, only for mail whose
 * `Accreditor` header names that accreditor). The set's suffix chooses the relays
 * (`rblQueryIps`); each address is asked once per scan however many rules share the set.
 * `skip_rbl_checks` turns them all off.
 */
import type { NetScan } from '../dns/net-scan';
import { dnsblQueryName } from '../dns/blocklist';
import { rblQueryIps } from '../dns/rbl-relays';
import { rblSources } from '../dns/rbl-sources';
import type { ScanContext } from '../engine/context';
import type { EvalArg } from '../engine/types';
import { headersNamed } from '../message/headers';
import { anyListed, fillRblTag, rblBook, subtestArg, type RblQuery } from './dns-rbl-book';
import { strArg, type EvalDef } from './registry';

/** The queries of set `set` on `zone`: its relay addresses reversed under the zone. */
function setQueries(net: NetScan, set: string, zone: string, type: RblQuery['type']): RblQuery[] {
  const ips = net.state(`dnseval:ips:${set}`, () => rblQueryIps(set, rblSources(net.msg.relays)));
  const out: RblQuery[] = [];
  for (const ip of ips) {
    const name = dnsblQueryName(ip, zone);
    if (name !== undefined) out.push({ name, type });
  }
  return out;
}

/** The network state a DNSEval rule reads, or undefined when it must not run. */
export function rblNet(ctx: ScanContext): NetScan | undefined {
  const net = ctx.net;
  if (!net || net.settings.skipRblChecks) return undefined;
  fillRblTag(net);
  return net;
}

/** A message for arguments a DNSEval rule cannot use (checked at compile time). */
export function checkSetZone(args: readonly EvalArg[], subIndex: number, needZone = true): string | undefined {
  if (!strArg(args, 0)) return 'needs a set name';
  if (needZone && !strArg(args, 1)) return 'needs a zone';
  const sub = subtestArg(args, subIndex);
  return 'error' in sub ? sub.error : undefined;
}

/** Accreditors the message names: `Accreditor: name[; params][, name...]`, lower case. */
function accreditors(net: NetScan): Set<string> {
  return net.state('dnseval:accreditors', () => {
    const names = new Set<string>();
    for (const h of headersNamed(net.msg.headers, 'accreditor')) {
      for (const part of h.value.split(',')) {
        const name = part.split(';')[0]!.trim().toLowerCase();
        if (name !== '') names.add(name);
      }
    }
    return names;
  });
}

/** check_rbl / check_rbl_txt / check_rbl_accreditor: start the set's queries, then read them. */
function rblCheck(type: RblQuery['type'], accreditorIndex?: number): Pick<EvalDef, 'fn' | 'net'> {
  const wanted = (net: NetScan, args: readonly EvalArg[]): boolean =>
    accreditorIndex === undefined || accreditors(net).has((strArg(args, accreditorIndex) ?? '').toLowerCase());
  return {
    net: {
      start(net, args) {
        const [set, zone] = [strArg(args, 0), strArg(args, 1)];
        if (net.settings.skipRblChecks || !set || !zone || !wanted(net, args)) return;
        const book = rblBook(net);
        for (const q of setQueries(net, set, zone, type)) book.ask(net, set, q);
      },
    },
    fn(ctx, args) {
      const net = rblNet(ctx);
      const [set, zone] = [strArg(args, 0), strArg(args, 1)];
      const sub = subtestArg(args, 2);
      if (!net || !set || !zone || 'error' in sub || !wanted(net, args)) return false;
      return anyListed(net, setQueries(net, set, zone, type), sub);
    },
  };
}

export const dnsRblEvals: readonly EvalDef[] = [
  { name: 'check_rbl', areas: ['header'], ...rblCheck('A'), validate: (args) => checkSetZone(args, 2) },
  { name: 'check_rbl_txt', areas: ['header'], ...rblCheck('TXT'), validate: (args) => checkSetZone(args, 2) },
  {
    name: 'check_rbl_accreditor',
    areas: ['header'],
    ...rblCheck('A', 3),
    validate: (args) => checkSetZone(args, 2) ?? (strArg(args, 3) ? undefined : 'needs an accreditor name'),
  },
  {
    // Reads the answers of its set's queries, started by the set's check_rbl rules; asks nothing itself.
    name: 'check_rbl_sub',
    areas: ['header'],
    net: { start() {} },
    validate: (args) => checkSetZone(args, 1, false),
    fn(ctx, args) {
      const net = rblNet(ctx);
      const set = strArg(args, 0);
      const sub = subtestArg(args, 1);
      if (!net || !set || 'error' in sub) return false;
      return anyListed(net, rblBook(net).sets.get(set) ?? [], sub);
    },
  },
];
