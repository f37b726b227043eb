/**
 * The sender and recipient addresses SpamAssassin's list checks compare (`all_from_addrs`,
 * `all_to_addrs`): read by the list evals (memoised per scan in eval/lists-addresses.ts) and by
 * Bayes's `bayes_ignore_from` / `bayes_ignore_to`.
 */
import { headerValues, parseHeaderRequest, type HeaderRequest } from './header-access';
import { headersNamed } from './headers';
import { isFqdnValid } from './domain';
import type { Message } from './types';

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
function addrs(msg: Message, spec: string): string[] {
  return headerValues(msg, req(spec));
}

/** Headers that name the sender, in the order SpamAssassin collects them. */
const FROM_SPECS = ['From:addr', 'Envelope-Sender:addr', 'Resent-Sender:addr', 'X-Envelope-From:addr', 'EnvelopeFrom:addr'];

/**
 * Sender addresses: the first Resent-From's when the message was resent,
 * else From, Envelope-Sender, Resent-Sender, X-Envelope-From and the envelope
 * sender (runs of dots squeezed). Duplicates removed, case kept.
 */
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
function receivedRecipients(msg: Message): string[] {
  const out: string[] = [];
  for (const h of headersNamed(msg.headers, 'received').slice(0, 3)) {
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
export function toAddrsOf(msg: Message): string[] {
  let list = [...addrs(msg, 'Resent-To:first:addr'), ...addrs(msg, 'Resent-Cc:first:addr')];
  if (list.length === 0) list = [...receivedRecipients(msg), ...TO_SPECS.flatMap((s) => addrs(msg, s))];
  return [...new Set(list)];
}
