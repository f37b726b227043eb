/**
 * Named lists of URI host names (`enlist_uri_host (NAME) host ...`,
 * `welcomelist_uri_host` = list WELCOME, `blocklist_uri_host` = list BLOCK).
 * A host is looked up with its parent domains; the most specific listed name
 * decides, and a `!name` entry excludes.
 */
import { optList, type OptionValues } from '../options/option-values';
import type { ScanContext } from '../engine/context';
import type { DomainOptions } from '../message/domain';
import { uriHost } from '../message/uris';
import { memoOnOptions } from './lists-glob';
import { strArg, type EvalDef } from './registry';

/** List name -> host -> listed (true) or excluded (false). */
export type UriHostLists = ReadonlyMap<string, ReadonlyMap<string, boolean>>;

function enlist(lists: Map<string, Map<string, boolean>>, name: string, hosts: string): void {
  const l = lists.get(name) ?? new Map<string, boolean>();
  for (const h of hosts.toLowerCase().split(/\s+/)) {
    if (h === '') continue;
    if (h.startsWith('!')) l.set(h.slice(1), false);
    else l.set(h, true);
  }
  lists.set(name, l);
}

/**
 * Build the lists from the options. The config keeps each directive in its own
 * list, so their relative order is lost: enlistments are applied first and
 * `delist_uri_host` lines last (the usual order in configuration files).
 */
export function uriHostLists(o: OptionValues): UriHostLists {
  return memoOnOptions(o, 'uri-host-lists', () => {
    const lists = new Map<string, Map<string, boolean>>();
    for (const line of optList(o, 'enlist_uri_host')) {
      const m = /^\((.+?)\)\s+(.+)$/s.exec(line.trim());
      if (m) enlist(lists, m[1]!, m[2]!);
    }
    for (const t of optList(o, 'welcomelist_uri_host')) enlist(lists, 'WELCOME', t);
    for (const t of optList(o, 'blocklist_uri_host')) enlist(lists, 'BLOCK', t);
    for (const line of optList(o, 'delist_uri_host')) {
      const m = /^(?:\((.+?)\)\s+)?(.+)$/s.exec(line.trim());
      if (!m) continue;
      const names = m[1] !== undefined ? [m[1]] : [...lists.keys()];
      for (const n of names) for (const h of m[2]!.toLowerCase().split(/\s+/)) lists.get(n)?.delete(h.replace(/^!/, ''));
    }
    return lists;
  });
}

/** The names looked up for a host: itself and each parent domain, at most the last 11. */
export function hostQueryKeys(host: string): string[] {
  const lit = /^\[(.*)\]$/s.exec(host);
  if (lit) return [lit[1]!];
  if (/^\d+\.\d+\.\d+\.\d+$/.test(host)) return [host];
  if (host === '') return [];
  const labels = host.split('.');
  const keys = labels.map((_, i) => labels.slice(i).join('.'));
  return keys.slice(-11);
}

/** The TLD lists from config, as the message parser was given them. */
function domainOptions(o: OptionValues): DomainOptions {
  return memoOnOptions(o, 'domain-options', () => {
    const set = (name: string) => {
      const l = optList(o, name);
      return l.length === 0 ? undefined : new Set(l.map((x) => x.toLowerCase()));
    };
    return { validTlds: set('util_rb_tld'), twoLevel: set('util_rb_2tld'), threeLevel: set('util_rb_3tld') };
  });
}

/** Which lists some URI host of the message is in (mailto: links are not looked at). */
function listedNames(ctx: ScanContext): ReadonlySet<string> {
  const key = 'lists:uri-host';
  const cached = ctx.pluginState.get(key) as Set<string> | undefined;
  if (cached) return cached;
  const out = new Set<string>();
  const lists = uriHostLists(ctx.settings.options);
  if (lists.size > 0) {
    const domains = domainOptions(ctx.settings.options);
    const seen = new Set<string>();
    for (const u of ctx.msg.uris) {
      if (u.scheme === 'mailto') continue;
      for (const v of [u.url, ...u.cleaned]) {
        const host = v === u.url && u.host !== '' ? u.host : uriHost(v, domains)?.host;
        if (host === undefined || host === '' || seen.has(host)) continue;
        seen.add(host);
        const keys = hostQueryKeys(host);
        for (const [name, l] of lists) {
          const hit = keys.find((k) => l.has(k));
          if (hit !== undefined && l.get(hit)) out.add(name);
        }
      }
    }
  }
  ctx.pluginState.set(key, out);
  return out;
}

/** Evals over URI host lists. */
export const uriHostEvals: readonly EvalDef[] = [
  { name: 'check_uri_host_listed', areas: ['header'], fn: (ctx, args) => listedNames(ctx).has(strArg(args, 0) ?? '') },
  { name: 'check_uri_host_in_blocklist', areas: ['header', 'body', 'rawbody', 'full', 'uri'], fn: (ctx) => listedNames(ctx).has('BLOCK') },
  { name: 'check_uri_host_in_blacklist', areas: ['header', 'body', 'rawbody', 'full', 'uri'], fn: (ctx) => listedNames(ctx).has('BLOCK') },
  { name: 'check_uri_host_in_welcomelist', areas: ['header', 'body', 'rawbody', 'full', 'uri'], fn: (ctx) => listedNames(ctx).has('WELCOME') },
  { name: 'check_uri_host_in_whitelist', areas: ['header', 'body', 'rawbody', 'full', 'uri'], fn: (ctx) => listedNames(ctx).has('WELCOME') },
];
