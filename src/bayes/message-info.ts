/**
 * What the learner records about a message besides its tokens: the ids it is
 * remembered under, and the time its tokens are stamped with.
 */
import * as crypto from 'node:crypto';
import { lastHeader } from '../message/headers';
import type { Message } from '../message/types';

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

function parseDate(s: string): number | undefined {
  const cleaned = s.replace(/\([^)]*\)/g, ' ').replace(/\s+/g, ' ').trim();
  const t = Date.parse(cleaned);
  return Number.isFinite(t) ? Math.floor(t / 1000) : undefined;
}

/** The date part of a Received field (after the last `;`). */
function receivedDate(value: string): number | undefined {
  const i = value.lastIndexOf(';');
  return i < 0 ? undefined : parseDate(value.slice(i + 1));
}

/**
 * When the message was received (seconds), the time its tokens are stamped with:
 * the first Received hop that is not a local hand-over, else the mbox `From ` line,
 * else another Received, else Date, else `now`.
 * A time more than a day in the future is replaced by `now`.
 */
export function receiveTime(msg: Message, now: number): number {
  const rcvd = msg.headers.filter((h) => h.key === 'received').map((h) => h.value);
  let t: number | undefined;
  let i = 0;
  if (rcvd.length && (/qmail \d+ invoked by uid \d+/.test(rcvd[0]!) || /\bfrom (?:localhost\s|(?:\S+ ){1,2}\S*\b127\.0\.0\.1\b)/.test(rcvd[0]!))) i++;
  if (i < rcvd.length && /\bby localhost with \w+ \(fetchmail-[\d.]+/.test(rcvd[i]!)) i++;
  else i = 0;
  if (i < rcvd.length) t = receivedDate(rcvd[i]!);
  if (t === undefined && msg.mboxFrom !== undefined) {
    // The mbox separator `From sender  Thu Jan  1 00:00:00 2002` (no zone: local time).
    const m = /^From\s+\S+\s+(.+)$/.exec(msg.mboxFrom);
    if (m) t = parseDate(m[1]!);
  }
  if (t === undefined) {
    for (const r of rcvd) {
      t = receivedDate(r);
      if (t !== undefined) break;
    }
  }
  if (t === undefined) {
    const date = msg.headers.find((h) => h.key === 'date');
    if (date) t = parseDate(date.value);
  }
  if (t === undefined || t - now > 86400) return now;
  return t;
}
