/**
 * Welcome/block lists of addresses (SpamAssassin WLBLEval): plain glob lists
 * for senders and recipients, named lists from `enlist_addrlist`, and the
 * `*_from_rcvd` lists, which also require the mail to have come through a
 * named relay.
 */
import { optList, type OptionValues } from '../options/option-values';
import type { ScanContext } from '../engine/context';
import { headerText, parseHeaderRequest, type HeaderRequest } from '../message/header-access';
import type { Relay } from '../message/types';
import { NetSet } from '../util/cidr';
import { allFromAddrs, allToAddrs } from './lists-addresses';
import { addrList, globListMatches, globSource, memoOnOptions, namedAddrLists, type GlobList } from './lists-glob';
import type { EvalFn } from '../engine/types';
import { strArg, type EvalDef } from './registry';

/** One `welcomelist_from_rcvd` address glob and the relays it must have come through. */
interface RcvdEntry {
  readonly re: RegExp;
  readonly domains: readonly string[];
}

/**
 * `addr relay` lines grouped by address (lower-cased); lines that are not
 * exactly two words are ignored, as SpamAssassin rejects them.
 */
export function rcvdEntries(o: OptionValues, name: string): readonly RcvdEntry[] {
  return memoOnOptions(o, `rcvd:${name}`, () => {
    const byAddr = new Map<string, string[]>();
    for (const line of optList(o, name)) {
      const m = /^(\S+)\s+(\S+)$/.exec(line.trim());
      if (!m) continue;
      const addr = m[1]!.toLowerCase();
      const l = byAddr.get(addr) ?? [];
      l.push(m[2]!.toLowerCase());
      byAddr.set(addr, l);
    }
    return [...byAddr].map(([addr, domains]) => ({ re: new RegExp(`^${globSource(addr)}$`), domains }));
  });
}

/** The relays a `*_from_rcvd` entry is checked against: the first untrusted one, else every trusted one. */
function handoverRelays(ctx: ScanContext): readonly Relay[] {
  const c = ctx.msg.relays;
  return c.untrusted.length > 0 ? [c.untrusted[0]!] : c.trusted;
}

const netCache = new Map<string, NetSet | null>();
function netOf(spec: string): NetSet | null {
  let n = netCache.get(spec);
  if (n === undefined) {
    const s = new NetSet();
    n = s.add(spec) === undefined ? s : null;
    netCache.set(spec, n);
  }
  return n;
}

/**
 * Does `relay` match a `*_from_rcvd` relay spec? `[ip]` (exact IPv4),
 * `[1.2.3]` (classful prefix), `[net/len]` or `[net]/len` (CIDR), or a
 * domain the relay's rDNS ends in.
 */
export function relayMatches(spec: string, relay: Relay): boolean {
  const lit = /^\[(.*)\](\/\d{1,3})?$/s.exec(spec);
  if (!lit) {
    const rdns = relay.rdns.toLowerCase();
    return rdns === spec || rdns.endsWith(`.${spec}`);
  }
  const wl = lit[1]! + (lit[2] ?? '');
  const ip = relay.ip;
  if (ip === '') return false;
  if (/^\d+\.\d+\.\d+\.\d+$/.test(wl)) return wl === ip;
  if (/^[\d.]+$/.test(wl)) return ip.startsWith(wl.replace(/\.*$/, '.'));
  return netOf(wl)?.contains(ip) ?? false;
}

/**
 * 1 when `addr` matches an entry whose relay matches, -1 when it matches
 * entries but none of their relays (a likely forgery, unless the address is in
 * `welcomelist_allows_relays`), 0 otherwise.
 */
export function checkRcvdList(ctx: ScanContext, listName: string, addr: string): 1 | 0 | -1 {
  const c = ctx.msg.relays;
  if (c.untrusted.length + c.trusted.length === 0) return 0;
  const relays = handoverRelays(ctx);
  const a = addr.toLowerCase();
  let forged = false;
  for (const e of rcvdEntries(ctx.settings.options, listName)) {
    if (!e.re.test(a)) continue;
    if (e.domains.some((d) => relays.some((r) => relayMatches(d, r)))) return 1;
    forged = true;
  }
  if (forged && globListMatches(addrList(ctx.settings.options, 'welcomelist_allows_relays'), a)) return 0;
  return forged ? -1 : 0;
}

/** Welcomelist verdict for the senders: 1 listed, -1 listed but via the wrong relay, 0 not listed. */
function fromWelcome(ctx: ScanContext): number {
  return ctx.memo('lists:from-welcome', () => {
    let found = 0;
    const plain = addrList(ctx.settings.options, 'welcomelist_from');
    // Most sites list nobody: then no sender address needs to be gathered.
    if (plain.entries.size === 0 && rcvdEntries(ctx.settings.options, 'welcomelist_from_rcvd').length === 0) return 0;
    for (const a of allFromAddrs(ctx)) {
      if (globListMatches(plain, a)) return 1;
      const v = checkRcvdList(ctx, 'welcomelist_from_rcvd', a);
      if (v === 1) return 1;
      if (v === -1) found = -1;
    }
    return found;
  });
}

/** The same for the default (distribution-supplied) welcomelist. */
function fromDefaultWelcome(ctx: ScanContext): number {
  return ctx.memo('lists:from-def-welcome', () => {
    let found = 0;
    if (rcvdEntries(ctx.settings.options, 'def_welcomelist_from_rcvd').length === 0) return 0;
    for (const a of allFromAddrs(ctx)) {
      const v = checkRcvdList(ctx, 'def_welcomelist_from_rcvd', a);
      if (v === 1) return 1;
      if (v === -1) found = -1;
    }
    return found;
  });
}

const anyIn = (list: GlobList, addrs: readonly string[]): boolean => addrs.some((a) => globListMatches(list, a));

/** An eval testing the senders (or recipients) against the option list `name`. */
function inList(which: 'from' | 'to', name: string): EvalFn {
  return (ctx) => {
    const list = addrList(ctx.settings.options, name);
    return list.entries.size > 0 && anyIn(list, which === 'from' ? allFromAddrs(ctx) : allToAddrs(ctx));
  };
}

/** `check_*_in_list(NAME)`: an `enlist_addrlist` list (or a list option of that name). Unknown lists never hit. */
function inNamedList(which: 'from' | 'to'): EvalFn {
  return (ctx, args) => {
    const name = strArg(args, 0) ?? '';
    const o = ctx.settings.options;
    if (!namedAddrLists(o).has(name) && o[name] === undefined) return false;
    const list = addrList(o, name);
    return list.entries.size > 0 && anyIn(list, which === 'from' ? allFromAddrs(ctx) : allToAddrs(ctx));
  };
}

const REPLY_TO = parseHeaderRequest('Reply-To:addr') as HeaderRequest;

/** `check_replyto_in_list(NAME)`: the first Reply-To address is in the list. */
function replyToInList(ctx: ScanContext, args: readonly (string | number)[]): boolean {
  const name = strArg(args, 0) ?? '';
  const o = ctx.settings.options;
  if (!namedAddrLists(o).has(name) && o[name] === undefined) return false;
  const r = headerText(ctx.msg, REPLY_TO) ?? '';
  return r !== '' && globListMatches(addrList(o, name), r);
}

const ENVFROM = parseHeaderRequest('EnvelopeFrom:addr') as HeaderRequest;

/** Registrable part of a domain by the `util_rb_2tld` / `util_rb_3tld` lists (no list: last two labels). */
export function splitDomain(o: OptionValues, domain: string): string {
  const sets = memoOnOptions(o, 'rb-tlds', () => ({
    two: new Set(optList(o, 'util_rb_2tld').map((d) => d.toLowerCase())),
    three: new Set(optList(o, 'util_rb_3tld').map((d) => d.toLowerCase())),
  }));
  const parts = domain.toLowerCase().replace(/\.{2,}/g, '.').replace(/^\.+|\.+$/g, '').split('.');
  let i = 0;
  // Drop leading labels until what is left is a public suffix (one label, or a listed 2/3-label one).
  while (parts.length - i > 1) {
    const rest = parts.slice(i).join('.');
    if (parts.length - i === 2 && sets.two.has(rest)) break;
    if (parts.length - i === 3 && sets.three.has(rest)) break;
    i++;
  }
  return parts.slice(Math.max(0, i - 1)).join('.');
}

/** The envelope sender's domain is the registrable domain of the handover relay's rDNS. */
function mailfromMatchesRcvd(ctx: ScanContext): boolean {
  const sender = headerText(ctx.msg, ENVFROM) ?? '';
  const m = /@([^@]+\.[^@]+)$/.exec(sender);
  if (!m) return false;
  const o = ctx.settings.options;
  const want = splitDomain(o, m[1]!);
  return handoverRelays(ctx).some((r) => r.rdns !== '' && splitDomain(o, r.rdns) === want);
}

/** Evals over address lists. */
export const wlblEvals: readonly EvalDef[] = [
  { name: 'check_from_in_welcomelist', areas: ['header'], fn: (ctx) => fromWelcome(ctx) > 0 },
  { name: 'check_from_in_whitelist', areas: ['header'], fn: (ctx) => fromWelcome(ctx) > 0 },
  { name: 'check_from_in_default_welcomelist', areas: ['header'], fn: (ctx) => fromDefaultWelcome(ctx) > 0 },
  { name: 'check_from_in_default_whitelist', areas: ['header'], fn: (ctx) => fromDefaultWelcome(ctx) > 0 },
  { name: 'check_forged_in_welcomelist', areas: ['header'], fn: (ctx) => fromWelcome(ctx) < 0 && fromDefaultWelcome(ctx) === 0 },
  { name: 'check_forged_in_whitelist', areas: ['header'], fn: (ctx) => fromWelcome(ctx) < 0 && fromDefaultWelcome(ctx) === 0 },
  { name: 'check_forged_in_default_welcomelist', areas: ['header'], fn: (ctx) => fromDefaultWelcome(ctx) < 0 && fromWelcome(ctx) === 0 },
  { name: 'check_forged_in_default_whitelist', areas: ['header'], fn: (ctx) => fromDefaultWelcome(ctx) < 0 && fromWelcome(ctx) === 0 },
  { name: 'check_from_in_blocklist', areas: ['header'], fn: inList('from', 'blocklist_from') },
  { name: 'check_from_in_blacklist', areas: ['header'], fn: inList('from', 'blocklist_from') },
  { name: 'check_to_in_welcomelist', areas: ['header'], fn: inList('to', 'welcomelist_to') },
  { name: 'check_to_in_whitelist', areas: ['header'], fn: inList('to', 'welcomelist_to') },
  { name: 'check_to_in_blocklist', areas: ['header'], fn: inList('to', 'blocklist_to') },
  { name: 'check_to_in_blacklist', areas: ['header'], fn: inList('to', 'blocklist_to') },
  { name: 'check_to_in_more_spam', areas: ['header'], fn: inList('to', 'more_spam_to') },
  { name: 'check_to_in_all_spam', areas: ['header'], fn: inList('to', 'all_spam_to') },
  { name: 'check_from_in_list', areas: ['header'], fn: inNamedList('from') },
  { name: 'check_to_in_list', areas: ['header'], fn: inNamedList('to') },
  { name: 'check_replyto_in_list', areas: ['header'], fn: replyToInList },
  { name: 'check_mailfrom_matches_rcvd', areas: ['header'], fn: mailfromMatchesRcvd },
];
