/**
 * FreeMail: is a sender address at a free mail provider (`freemail_domains`),
 * and does the reply path lead to a different free mail address? Advance-fee
 * fraud typically writes from one free mailbox and asks for replies at another.
 */
import { regexArg, validateRegexArg } from './regex-arg';
import { optBool, optList, optNumber } from '../options/option-values';
import type { ScanContext } from '../engine/context';
import { headerValues } from '../message/header-access';
import { parseHeaderRequest, type HeaderRequest } from '../message/header-access';
import { strArg, type EvalDef } from './registry';

/** Role accounts and machine-made local parts that do not make an address "freemail". */
const ROLE_LOCALPART =
  /^(?:abuse|support|sales|info|helpdesk|contact|kontakt|(?:post|host|domain)master|undisclosed.*|request-[a-f0-9]{16}|bounced?-|[a-f0-9]{8}(?:\.[a-f0-9]{8}|-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{12})|.+=.+=.+)@/i;

/** Envelope senders of bulk mailers, for which the reply-to comparison is skipped. */
const BULK_ENVFROM = /(?:^(?:post|host|domain)master|^double-bounce|^(?:sentto|owner|return|(?:gr)?bounced?)-.+|-(?:request|bounces?|admin|owner)|\b(?:do[._-t]?)?no[._-t]?repl(?:y|ies)|.+=.+)@/i;

const EMAIL = /(?<![a-z0-9!#$%&'*+/=?^_`{|}~-])([a-z0-9!#$%&'*+/=?^_`{|}~-]{1,64}(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*@(?:[a-z0-9](?:[a-z0-9-]{0,59}[a-z0-9])?\.){1,4}[a-z]{2,24})\b/gi;
/** EMAIL, anchored: the whole string is one address. */
const ONE_EMAIL = new RegExp(`^${EMAIL.source}$`, 'i');

interface FreemailLists {
  readonly exact: ReadonlySet<string>;
  readonly wild: RegExp | undefined;
  readonly welcome: ReadonlySet<string>;
}

const listCache = new WeakMap<object, FreemailLists>();

function lists(ctx: ScanContext): FreemailLists {
  const o = ctx.settings.options;
  let l = listCache.get(o);
  if (l) return l;
  const exact = new Set<string>();
  const wild: string[] = [];
  for (const d of optList(o, 'freemail_domains')) {
    const dom = d.toLowerCase();
    if (/[*?]/.test(dom)) {
      // `?` is one character, `*` any run, neither crosses a dot.
      wild.push(dom.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\?/g, '[^.]').replace(/\*/g, '[^.]*'));
    } else exact.add(dom);
  }
  l = {
    exact,
    wild: wild.length > 0 ? new RegExp(`@(?:${wild.join('|')})$`) : undefined,
    welcome: new Set(optList(o, 'freemail_welcomelist').map((x) => x.toLowerCase())),
  };
  listCache.set(o, l);
  return l;
}

/** True when `email` (lower case) is at a free mail domain and not exempt. */
export function isFreemail(ctx: ScanContext, email: string): boolean {
  if (email === '') return false;
  const l = lists(ctx);
  const domain = email.slice(email.lastIndexOf('@') + 1);
  if (l.welcome.has(email) || l.welcome.has(domain) || ROLE_LOCALPART.test(email)) return false;
  return l.exact.has(domain) || (l.wild?.test(email) ?? false);
}

const REQ = new Map<string, HeaderRequest>();
function addrs(ctx: ScanContext, header: string): string[] {
  let req = REQ.get(header);
  if (!req) {
    const r = parseHeaderRequest(`${header}:addr`);
    if ('error' in r) return [];
    REQ.set(header, (req = r));
  }
  return headerValues(ctx.msg, req).map((a) => a.toLowerCase());
}

/** Free mail addresses named in the body (anchors' mailto: and plain text), or undefined when too many to judge. */
function bodyFreemails(ctx: ScanContext): ReadonlySet<string> | undefined {
  const key = 'freemail:body';
  if (ctx.pluginState.has(key)) return ctx.pluginState.get(key) as ReadonlySet<string> | undefined;
  const seen: string[] = [];
  const add = (e: string): void => {
    if (!seen.includes(e)) seen.push(e);
  };
  for (const u of ctx.msg.uris) {
    if (u.sources.includes('a') && !u.sources.includes('parsed') && /^mailto:/i.test(u.raw)) {
      const m = /^mailto:([^?\s]+@[^?\s]+)/i.exec(u.raw);
      // Only a link to one address counts: SpamAssassin 4.0.1 takes nothing from
      // `mailto:a@x.cn,b@libero.it` (seen on the corpus: no FREEMAIL_REPLY).
      if (m && ONE_EMAIL.test(m[1]!)) add(m[1]!.toLowerCase());
    }
  }
  for (const line of ctx.bodyLines()) {
    const text = line.replace(/<?https?:\/\/\S{0,255}(?:@|%40)\S{0,255}/gi, ' ');
    for (const m of text.matchAll(EMAIL)) {
      add(m[1]!.toLowerCase());
      if (seen.length >= 40) break;
    }
  }
  const o = ctx.settings.options;
  const maxAll = optNumber(o, 'freemail_max_body_emails', 5);
  const maxFm = optNumber(o, 'freemail_max_body_freemails', 3);
  const skipOver = optBool(o, 'freemail_skip_when_over_max', true);
  const out = new Set<string>();
  let all = 0;
  let fm = 0;
  let result: Set<string> | undefined = out;
  for (const e of seen) {
    if (++all === maxAll && skipOver) {
      result = undefined;
      break;
    }
    if (!isFreemail(ctx, e)) continue;
    if (++fm === maxFm && skipOver) {
      result = undefined;
      break;
    }
    out.add(e);
  }
  ctx.pluginState.set(key, result);
  return result;
}

function freemailHeader(ctx: ScanContext, args: readonly (string | number)[]): boolean {
  const header = strArg(args, 0);
  if (header === undefined) return false;
  const re = regexArg(args, 1);
  if (re === null) return false;
  return addrs(ctx, header).some((e) => isFreemail(ctx, e) && (re === undefined || re.test(e)));
}

function freemailFrom(ctx: ScanContext, args: readonly (string | number)[]): boolean {
  const re = regexArg(args, 0);
  if (re === null) return false;
  const all = new Set<string>();
  for (const h of ['Resent-From', 'Envelope-Sender', 'Resent-Sender', 'X-Envelope-From', 'EnvelopeFrom', 'From']) {
    for (const a of addrs(ctx, h)) if (a !== '') all.add(a);
  }
  return [...all].some((e) => isFreemail(ctx, e) && (re === undefined || re.test(e)));
}

function freemailReplyTo(ctx: ScanContext, args: readonly (string | number)[]): boolean {
  const what = strArg(args, 0) ?? 'replyto';
  if (what !== 'replyto' && what !== 'reply') return false;
  if (optBool(ctx.settings.options, 'freemail_skip_bulk_envfrom', true)) {
    const env = addrs(ctx, 'EnvelopeFrom')[0];
    if (env !== undefined && BULK_ENVFROM.test(env)) return false;
  }
  const from = addrs(ctx, 'From');
  const replyTo = addrs(ctx, 'Reply-To');
  const fromFm = from.some((e) => isFreemail(ctx, e));
  const replyFm = replyTo.some((e) => isFreemail(ctx, e));
  const fromNotInReply = !from.some((f) => replyTo.includes(f));
  if (fromFm && replyFm && fromNotInReply) return true;
  if (what === 'replyto' && !replyFm) return false;
  if (what === 'reply' && ((replyTo.length > 0 && !replyFm) || !fromFm)) return false;
  const body = bodyFreemails(ctx);
  if (!body || body.size === 0) return false;
  const reply = what === 'replyto' || replyFm ? replyTo : from;
  for (const b of body) for (const r of reply) if (b !== r) return true;
  return false;
}

export const freemailEvals: readonly EvalDef[] = [
  { name: 'check_freemail_header', areas: ['header'], fn: freemailHeader, validate: validateRegexArg(1, true) },
  { name: 'check_freemail_from', areas: ['header'], fn: freemailFrom, validate: validateRegexArg(0, true) },
  { name: 'check_freemail_replyto', areas: ['header'], fn: freemailReplyTo },
];
