/**
 * Look-alike domains: names built to pass for a brand's at a glance. Three
 * kinds, each its own argument so rules can score them apart:
 *   `digits`    a brand spelt with look-alike characters (`paypa1`, `rnicrosoft`)
 *   `embedded`  a brand token inside another registrable domain (`paypal-secure.com`)
 *   `subdomain` a brand's real domain used as a sub-domain (`paypal.com.verify.example`)
 * The source is `uri` (link hosts) or `from` (the From address domain).
 */
import type { ScanContext } from '../engine/context';
import { isIpHost, registrableDomain } from '../message/domain';
import { headerValues, parseHeaderRequest, type HeaderRequest } from '../message/header-access';
import { BRANDS, brandOwns, domainLabel, type Brand } from './brands';
import { strArg, type EvalDef } from './registry';

const FROM_ADDR = parseHeaderRequest('From:addr') as HeaderRequest;

/** Characters swapped in for letters they resemble, and letter pairs that pass for one letter. */
const SWAPS: ReadonlyArray<[RegExp, string]> = [
  [/rn/g, 'm'],
  [/vv/g, 'w'],
  [/0/g, 'o'],
  [/1/g, 'l'],
  [/3/g, 'e'],
  [/4/g, 'a'],
  [/5/g, 's'],
  [/7/g, 't'],
  [/8/g, 'b'],
  [/!/g, 'i'],
];

/** Words phishing domains glue to a brand token. */
const LURE_WORDS = /^(?:secure|security|login|log|signin|sign|verify|verification|account|accounts|support|update|service|services|help|helpdesk|id|billing|confirm|online|auth|unlock|recovery|alert|alerts|center|centre|team|web|mail|customer|resolution|limited|payment|pay|wallet)/;

const EMBED_BRANDS = BRANDS.filter((b) => !b.noEmbed);

function deLeet(label: string): string {
  let s = label;
  for (const [re, to] of SWAPS) s = s.replace(re, to);
  return s;
}

/** Does `label` (letters, digits, hyphens) carry `brand` glued to lure words or hyphens? */
function embeds(label: string, brand: Brand): boolean {
  const t = brand.token;
  if (label === t) return false;
  const parts = label.split('-');
  if (parts.length > 1 && parts.includes(t)) return true;
  const i = label.indexOf(t);
  if (i < 0) return false;
  const before = label.slice(0, i).replace(/-$/, '');
  const after = label.slice(i + t.length).replace(/^-/, '');
  // Either side may be empty or a lure word (`paypalsecure`, `loginpaypal`, `login-microsoftonline`), not both empty.
  const lure = (w: string): boolean => w === '' || (LURE_WORDS.test(w) && /^[a-z-]+$/.test(w));
  return (before !== '' || after !== '') && lure(before) && lure(after);
}

/** The look-alike kind `host` shows, or undefined. */
export function lookalikeKind(host: string): 'digits' | 'embedded' | 'subdomain' | undefined {
  const h = host.toLowerCase().replace(/\.+$/, '');
  if (h === '' || isIpHost(h)) return undefined;
  const domain = registrableDomain(h);
  if (domain === '' || BRANDS.some((b) => brandOwns(b, domain))) return undefined;
  const label = domainLabel(domain);
  if (label === '') return undefined;
  // A brand's own registrable domain written in front of another domain.
  const sub = h.slice(0, Math.max(0, h.length - domain.length - 1));
  if (sub !== '') {
    // Look at each pair of neighbouring labels: `paypal.com` inside `www.paypal.com.verify.example`.
    const subLabels = sub.split('.');
    for (let i = 0; i + 1 < subLabels.length; i++) {
      const cand = `${subLabels[i]}.${subLabels[i + 1]}`;
      if (BRANDS.some((b) => domainLabel(cand) === b.token)) return 'subdomain';
    }
  }
  const plain = label.replace(/-/g, '');
  if (/[0-9!]|rn|vv/.test(label)) {
    const swapped = deLeet(label);
    for (const b of EMBED_BRANDS) {
      if (plain.includes(b.token)) continue;
      const sw = swapped.replace(/-/g, '');
      if (sw === b.token || embeds(swapped, b) || (sw.startsWith(b.token) && LURE_WORDS.test(sw.slice(b.token.length)))) return 'digits';
    }
  }
  for (const b of EMBED_BRANDS) if (embeds(label, b)) return 'embedded';
  return undefined;
}

function hostsOf(ctx: ScanContext, source: string): string[] {
  if (source === 'from') {
    return headerValues(ctx.msg, FROM_ADDR)
      .map((a) => a.slice(a.lastIndexOf('@') + 1).replace(/[>\s]+$/, ''))
      .filter((h) => h !== '');
  }
  const out = new Set<string>();
  for (const u of ctx.msg.uris) if (u.host !== '' && (u.scheme === 'http' || u.scheme === 'https')) out.add(u.host);
  return [...out];
}

/** Hits when some host of `source` is a look-alike of `kind`. */
export function checkLookalike(ctx: ScanContext, source: string, kind: string): boolean {
  const kinds = ctx.memo(`lookalike:${source}`, () => new Set(hostsOf(ctx, source).map(lookalikeKind)));
  return kinds.has(kind as 'digits');
}

/** Hits when some link host, or the From domain, has a label in punycode (`xn--`). */
export function punycodeHost(ctx: ScanContext, source: string): boolean {
  return hostsOf(ctx, source).some((h) => /(?:^|\.)xn--/i.test(h));
}

export const lookalikeEvals: readonly EvalDef[] = [
  { name: 'check_lookalike_domain', areas: ['header', 'body', 'uri'], fn: (ctx, args) => checkLookalike(ctx, strArg(args, 0) ?? 'uri', strArg(args, 1) ?? '') },
  { name: 'check_punycode_domain', areas: ['header', 'body', 'uri'], fn: (ctx, args) => punycodeHost(ctx, strArg(args, 0) ?? 'uri') },
];
