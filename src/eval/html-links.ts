/**
 * Link-text checks over HTML anchors: does an anchor's visible text name an
 * https:// address on another domain (or promise https for a link to a bare
 * IP)? Phishing mail shows a trusted https address and links elsewhere.
 */
import { optList, type OptionValues } from '../options/option-values';
import { hasValidTld, isIpHost, registrableDomain, type DomainOptions } from '../message/domain';
import type { HtmlRender } from '../message/html';

/** Anchor texts of one part, grouped by the anchor's href as written (trimmed, not resolved). */
export function htmlAnchorGroups(h: HtmlRender): ReadonlyMap<string, readonly string[]> {
  const groups = new Map<string, string[]>();
  for (const a of h.anchors) {
    const g = groups.get(a.href);
    if (g) g.push(a.text);
    else groups.set(a.href, [a.text]);
  }
  return groups;
}

const LINK_TO_IP = /^https?:\/*(?:[^@/]+@)?\d+\.\d+\.\d+\.\d+/i;
const HTTPS_TO_IP = /^https:\/*(?:[^@/]+@)?\d+\.\d+\.\d+\.\d+/i;

/** A link to a dotted-quad host whose text mentions https: (but is not itself an https IP address). */
export function httpsIpMismatch(groups: ReadonlyMap<string, readonly string[]>): boolean {
  for (const [href, texts] of groups) {
    if (!LINK_TO_IP.test(href)) continue;
    if (texts.some((t) => !HTTPS_TO_IP.test(t) && /https:/i.test(t))) return true;
  }
  return false;
}

const domainCache = new WeakMap<object, DomainOptions>();

/** TLD lists from the rule set (`util_rb_tld`, `util_rb_2tld`, `util_rb_3tld`), read once per option set. */
export function linkDomainOptions(o: OptionValues): DomainOptions {
  let d = domainCache.get(o);
  if (d) return d;
  const set = (name: string) => {
    const l = optList(o, name);
    return l.length === 0 ? undefined : new Set(l.map((x) => x.toLowerCase()));
  };
  d = { validTlds: set('util_rb_tld'), twoLevel: set('util_rb_2tld'), threeLevel: set('util_rb_3tld') };
  domainCache.set(o, d);
  return d;
}

const LABEL = /^[a-z0-9](?:[a-z0-9_-]*[a-z0-9])?$/;

/** The registrable domain of `host` when it is a well-formed name under a known TLD, else ''. */
function validDomain(host: string, domains: DomainOptions): string {
  const d = registrableDomain(host, domains);
  if (!d.includes('.') || !hasValidTld(d, domains)) return '';
  return d.split('.').every((l) => LABEL.test(l)) ? d : '';
}

/** Result of the https-text comparison for one part. */
export interface HttpsMismatch {
  /** Some anchor text names an https:// host on another domain than its link. */
  readonly hit: boolean;
  /** Distinct http(s) links to valid domains that carry anchor text. */
  readonly anchors: number;
}

/** Compare each http(s) link's domain with the https:// hosts its anchor texts name. */
export function httpsHttpMismatch(groups: ReadonlyMap<string, readonly string[]>, domains: DomainOptions): HttpsMismatch {
  let hit = false;
  let anchors = 0;
  for (const [href, texts] of groups) {
    const m = /^https?:\/\/([^/:?#]+)/i.exec(href);
    if (!m || isIpHost(m[1]!)) continue;
    const linked = validDomain(m[1]!, domains);
    if (linked === '') continue;
    anchors++;
    for (const t of texts) {
      const shown = /https:\/\/([^\s/:?#]+)/i.exec(t);
      if (!shown) continue;
      const named = isIpHost(shown[1]!) ? shown[1]! : validDomain(shown[1]!, domains);
      if (named === '' || named === linked) continue;
      hit = true;
      break;
    }
  }
  return { hit, anchors };
}
