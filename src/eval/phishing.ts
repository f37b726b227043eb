/**
 * Credential-phishing signs a regex cannot see alone: a brand in the From
 * display name on a domain the brand does not own, link text naming another
 * host than the link goes to, HTML attachments carrying a log-in form, and a
 * Reply-To that leads away from the sender's domain outside of mailing lists.
 */
import type { ScanContext } from '../engine/context';
import { registrableDomain } from '../message/domain';
import { headerText, parseHeaderRequest, type HeaderRequest } from '../message/header-access';
import { brandNamedIn, brandOwns, BRANDS } from './brands';
import { strArg, type EvalDef } from './registry';

const req = (spec: string): HeaderRequest => parseHeaderRequest(spec) as HeaderRequest;
const FROM_NAME = req('From:name');
const FROM_ADDR = req('From:addr');
const REPLYTO_ADDR = req('Reply-To:addr');

const domainOf = (addr: string | undefined): string => {
  if (addr === undefined) return '';
  const at = addr.lastIndexOf('@');
  return at < 0 ? '' : registrableDomain(addr.slice(at + 1).replace(/[>\s]+$/, ''));
};

/** The From display name names a brand, and the From address is not on one of that brand's domains. */
export function fromBrandMismatch(ctx: ScanContext): boolean {
  const name = headerText(ctx.msg, FROM_NAME);
  if (name === undefined || name === '') return false;
  const brand = brandNamedIn(name);
  if (!brand) return false;
  const domain = domainOf(headerText(ctx.msg, FROM_ADDR));
  return domain !== '' && !brandOwns(brand, domain);
}

const NAME_ADDR = /[\w.+-]+@((?:[a-z0-9-]+\.)+[a-z]{2,18})\b/i;
const NAME_DOMAIN = /(?:^|[\s"'(])(?:www\.)?((?:[a-z0-9-]+\.)+(?:com|net|org|gov|edu|co\.uk|de|fr|io))\b/i;

/**
 * The From display name shows an address or domain on another registrable
 * domain than the real From address (`"service@paypal.com" <x@example.ru>`).
 */
export function fromNameAddrMismatch(ctx: ScanContext): boolean {
  const name = headerText(ctx.msg, FROM_NAME);
  if (name === undefined || name === '') return false;
  const shown = NAME_ADDR.exec(name)?.[1] ?? NAME_DOMAIN.exec(name)?.[1];
  if (shown === undefined) return false;
  const named = registrableDomain(shown);
  const real = domainOf(headerText(ctx.msg, FROM_ADDR));
  return named !== '' && real !== '' && named !== real;
}

/** A host written as link text: `https://host/...`, `www.host.tld` or `host.tld/path` (whole text). */
const TEXT_HOST = /^\s*(?:https?:\/\/)?((?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,18})(?::\d+)?(?:[/?#]\S*)?\s*$/i;
const HREF_HOST = /^https?:\/\/(?:[^@/?#]*@)?([^/:?#]+)/i;

/**
 * Some anchor's text is itself a host name or URL on another registrable domain
 * than its href. With `brand`, only when the shown domain belongs to a known brand.
 */
export function linkTextMismatch(ctx: ScanContext, brandOnly: boolean): boolean {
  for (const h of ctx.msg.htmlParts) {
    for (const a of h.anchors) {
      const shown = TEXT_HOST.exec(a.text);
      if (!shown) continue;
      // Text must look like an address: a scheme, www., or a path; "Mr.Smith" is no host.
      if (!/^\s*(?:https?:\/\/|www\.)|\//i.test(a.text) && !/\.(?:com|net|org|info|biz|co\.uk|de|io)\s*$/i.test(a.text)) continue;
      const href = HREF_HOST.exec(a.href);
      if (!href) continue;
      const linked = registrableDomain(href[1]!);
      const named = registrableDomain(shown[1]!);
      if (linked === '' || named === '' || linked === named) continue;
      if (!brandOnly) return true;
      if (BRANDS.some((b) => brandOwns(b, named) && !brandOwns(b, linked))) return true;
    }
  }
  return false;
}

const HTML_FILE = /\.(?:s?html?|xhtml|shtm)$/i;
const FORM = /<form\b|<input\b[^>]*\btype\s*=\s*["']?password|\bwindow\.location(?:\.href)?\s*=|\batob\s*\(/i;

/**
 * An HTML file sent as an attachment (text/html with a file name or attachment
 * disposition, or any part named *.htm/*.html). With `form`: one that holds a
 * form, a password field, or script that redirects or decodes (`atob`).
 */
export function htmlAttachment(ctx: ScanContext, kind: string | undefined): boolean {
  for (const part of ctx.msg.leaves) {
    const named = part.filename !== undefined && HTML_FILE.test(part.filename);
    const attachedHtml = part.type === 'text/html' && (part.disposition === 'attachment' || part.filename !== undefined);
    if (!named && !attachedHtml) continue;
    if (kind !== 'form') return true;
    if (FORM.test(part.decoded().toString('latin1'))) return true;
  }
  return false;
}

const LIST_HEADERS = ['list-id', 'list-post', 'list-unsubscribe', 'mailing-list', 'x-mailing-list', 'list-help', 'x-beenthere', 'x-loop'];

/**
 * Reply-To leads to another registrable domain than From, on mail that is not
 * from a mailing list (lists set Reply-To to the list as a matter of course).
 */
export function replyToOtherDomain(ctx: ScanContext): boolean {
  const reply = domainOf(headerText(ctx.msg, REPLYTO_ADDR));
  const from = domainOf(headerText(ctx.msg, FROM_ADDR));
  if (reply === '' || from === '' || reply === from) return false;
  if (ctx.msg.headers.some((f) => LIST_HEADERS.includes(f.key))) return false;
  const prec = ctx.msg.headers.find((f) => f.key === 'precedence');
  return !(prec && /\blist\b/i.test(prec.value));
}

export const phishingEvals: readonly EvalDef[] = [
  { name: 'check_from_brand_mismatch', areas: ['header'], fn: (ctx) => fromBrandMismatch(ctx) },
  { name: 'check_link_text_domain_mismatch', areas: ['body', 'rawbody', 'uri'], fn: (ctx, args) => linkTextMismatch(ctx, strArg(args, 0) === 'brand') },
  { name: 'check_html_attachment', areas: ['body', 'rawbody', 'full'], fn: (ctx, args) => htmlAttachment(ctx, strArg(args, 0)) },
  { name: 'check_replyto_other_domain', areas: ['header'], fn: (ctx) => replyToOtherDomain(ctx) },
  { name: 'check_from_name_addr_mismatch', areas: ['header'], fn: (ctx) => fromNameAddrMismatch(ctx) },
];
