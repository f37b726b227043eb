/**
 * The sender and recipient addresses SpamAssassin's list checks compare:
 * `all_from_addrs` and `all_to_addrs`, memoised per message.
 */
import type { ScanContext } from '../engine/context';
import { headerValues, parseHeaderRequest, type HeaderRequest } from '../message/header-access';
import { headersNamed } from '../message/headers';
import { isFqdnValid } from '../message/domain';
import type { Message } from '../message/types';

const requests = new Map<string, HeaderRequest>();
function req(spec: string): HeaderRequest {
  let r = requests.get(spec);
  if (!r) {
    const p = parseHeaderRequest(spec);
    if ('error' in p) throw new Error(p.error);
    requests.set(spec, (r = p));
  }
  return r;
}

/** Addresses of every instance of a header (`Name:addr`). */
function addrs(ctx: ScanContext, spec: string): string[] {
  return headerValues(ctx.msg, req(spec));
}

/** Headers that name the sender, in the order SpamAssassin collects them. */
const FROM_SPECS = ['From:addr', 'Envelope-Sender:addr', 'Resent-Sender:addr', 'X-Envelope-From:addr', 'EnvelopeFrom:addr'];

/**
 * Sender addresses: the first Resent-From's when the message was resent,
 * else From, Envelope-Sender, Resent-Sender, X-Envelope-From and the envelope
 * sender (runs of dots squeezed). Duplicates removed, case kept.
 */
export function allFromAddrs(ctx: ScanContext): readonly string[] {
  const key = 'lists:from-addrs';
  let out = ctx.pluginState.get(key) as string[] | undefined;
  if (out) return out;
  out = fromAddrsOf(ctx.msg);
  ctx.pluginState.set(key, out);
  return out;
}

/** allFromAddrs of a message, not memoised (for code that has no scan context, e.g. a network eval's start). */
export function fromAddrsOf(msg: Message): string[] {
  let list = headerValues(msg, req('Resent-From:first:addr'));
  if (list.length === 0) {
    list = FROM_SPECS.flatMap((s) => headerValues(msg, req(s)))
      .filter((a) => a !== '')
      .map((a) => a.replace(/\.{2,}/g, '.'));
  }
  return [...new Set(list)];
}

/** Recipient headers, in the order SpamAssassin collects them. */
const TO_SPECS = [
  'To:addr', 'Apparently-To:addr', 'Delivered-To:addr', 'Envelope-Recipients:addr', 'Apparently-Resent-To:addr',
  'X-Envelope-To:addr', 'Envelope-To:addr', 'X-Delivered-To:addr', 'X-Original-To:addr', 'X-Rcpt-To:addr',
  'X-Real-To:addr', 'Cc:addr',
];

/** `for <user@host>;` recipients recorded by the newest three Received headers. */
function receivedRecipients(ctx: ScanContext): string[] {
  const out: string[] = [];
  for (const h of headersNamed(ctx.msg.headers, 'received').slice(0, 3)) {
    const m = / for <?(\S+@(\S+?))>?;/.exec(h.value.replace(/\r?\n[ \t]+/g, ' '));
    if (m && isFqdnValid(domainToAscii(m[2]!).toLowerCase())) out.push(m[1]!);
  }
  return out;
}

function domainToAscii(d: string): string {
  if (/^[\x00-\x7f]*$/.test(d)) return d;
  try {
    return new URL(`http://${d}/`).hostname;
  } catch {
    return d;
  }
}

/**
 * Recipient addresses: the first Resent-To and Resent-Cc when resent, else
 * Received `for` addresses, To, the delivery headers MTAs and procmail add, and Cc.
 */
export function allToAddrs(ctx: ScanContext): readonly string[] {
  const key = 'lists:to-addrs';
  let out = ctx.pluginState.get(key) as string[] | undefined;
  if (out) return out;
  let list = [...addrs(ctx, 'Resent-To:first:addr'), ...addrs(ctx, 'Resent-Cc:first:addr')];
  if (list.length === 0) list = [...receivedRecipients(ctx), ...TO_SPECS.flatMap((s) => addrs(ctx, s))];
  out = [...new Set(list)];
  ctx.pluginState.set(key, out);
  return out;
}
