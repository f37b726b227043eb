/**
 * What the learner records about a message besides its tokens: the ids it is
 * remembered under, and the time its tokens are stamped with.
 */
import * as crypto from 'node:crypto';
import { lastHeader } from '../message/headers';
import type { Message } from '../message/types';
import { parseRfc822Date } from '../message/date';

/** The last field named `name` as SpamAssassin's `get` gives it (decoded, newline-terminated), or ''. */
function lastValue(msg: Message, name: string): string {
  const v = lastHeader(msg.headers, name);
  return v === undefined ? '' : v + '\n';
}

/** SHA-1 in hex: node's one-shot `crypto.hash` (Node 20.12+) skips making a Hash object per call. */
const sha1Hex: (data: Buffer) => string =
  typeof crypto.hash === 'function'
    ? (data) => crypto.hash('sha1', data, 'hex')
    : (data) => crypto.createHash('sha1').update(data).digest('hex');

/**
 * The ids a message is learned under, as SpamAssassin's: first a digest of To, Date
 * and the body (`<sha1>@sa_generated`), then the Message-ID without its brackets.
 * The first one is what gets stored.
 */
export function messageIds(msg: Message): string[] {
  let body = msg.bodyBytes;
  if (msg.lineEnding === '\r\n') body = Buffer.from(body.toString('latin1').replace(/\r\n/g, '\n'), 'latin1');
  // To and Date are hashed as their UTF-8 bytes (SpamAssassin's are bytes).
  const src = lastValue(msg, 'To') + '\0' + lastValue(msg, 'Date') + '\0' + sha1Hex(body);
  const ids = [sha1Hex(Buffer.from(src, 'utf8')) + '@sa_generated'];
  const mid = /^\s*<(.+)>\s*$/s.exec(lastValue(msg, 'Message-Id'));
  if (mid) ids.push(mid[1]!);
  return ids;
}

/** The first of `fields` that holds a date; a date at the epoch (or clamped to it) counts as none, as in SpamAssassin. */
function firstDate(fields: readonly string[]): number | undefined {
  for (const f of fields) {
    const t = parseRfc822Date(f);
    if (t) return t;
  }
  return undefined;
}

/** The local zone as `+hhmm`, which SpamAssassin appends to an mbox `From ` date that names none. */
function localZone(): string {
  const off = -new Date().getTimezoneOffset();
  const a = Math.abs(off);
  return (off < 0 ? '-' : '+') + String(Math.floor(a / 60)).padStart(2, '0') + String(a % 60).padStart(2, '0');
}

/**
 * When the message was received (seconds), the time its tokens are stamped with:
 * the first Received hop that is not a local hand-over (a whole field is searched for
 * its date), else the local hand-overs, else the mbox `From ` line, else the other
 * Received hops, else Resent-Date, else Date, else `now`.
 * A time more than a day in the future is replaced by `now`.
 */
export function receiveTime(msg: Message, now: number): number {
  const rcvd = msg.headers.filter((h) => h.key === 'received').map((h) => h.value);
  const local: string[] = [];
  if (rcvd.length && (/qmail \d+ invoked by uid \d+/.test(rcvd[0]!) || /\bfrom (?:localhost\s|(?:\S+ ){1,2}\S*\b127\.0\.0\.1\b)/.test(rcvd[0]!))) {
    local.push(rcvd.shift()!);
  }
  // A local hop counts as one only when fetchmail's hand-over follows it.
  if (rcvd.length && /\bby localhost with \w+ \(fetchmail-[\d.]+/.test(rcvd[0]!)) local.push(rcvd.shift()!);
  else if (local.length) rcvd.unshift(local.shift()!);
  let t = firstDate(rcvd.slice(0, 1)) ?? firstDate(local);
  if (t === undefined && msg.mboxFrom !== undefined) {
    // The mbox separator `From sender  Thu Jan  1 00:00:00 2002`: no zone means local time.
    const m = /^From\s+(.+)$/.exec(msg.mboxFrom);
    if (m) t = firstDate([/[-+]\d{4}|\b[A-Z]{2,4}\b/.test(m[1]!) ? m[1]! : `${m[1]!} ${localZone()}`]);
  }
  t ??= firstDate(rcvd.slice(1)) ?? firstDate(fieldValues(msg, 'resent-date')) ?? firstDate(fieldValues(msg, 'date'));
  if (t === undefined || t - now > 86400) return now;
  return t;
}

/** The first field named `key` (lower case), as a list of zero or one value. */
function fieldValues(msg: Message, key: string): string[] {
  const h = msg.headers.find((f) => f.key === key);
  return h ? [h.value] : [];
}
