/**
 * Date sanity checks: how far the Date header is from the times the Received
 * headers record (DATE_IN_PAST_*, DATE_IN_FUTURE_*), and whether an Outlook-style
 * Message-ID embeds a timestamp that fits the message's dates.
 */
import type { ScanContext } from '../engine/context';
import { RECEIVED_DATE, parseRfc822Date } from '../message/date';
import { getHeaderList, getHeaderOr } from './header-get';
import { numArg, type EvalDef } from './registry';

/** The Date (a Resent-Date wins) as seconds, from the first instance that parses. */
function dateHeaderTime(ctx: ScanContext): number | undefined {
  for (const name of ['Resent-Date', 'Date']) {
    for (const v of getHeaderList(ctx, name)) {
      const d = v.replace(/\n$/, '');
      if (d === '') continue;
      const t = parseRfc822Date(d);
      if (t !== undefined) return t;
    }
  }
  return undefined;
}

/** Local hand-offs (localhost, qmail-inject) fetchmail adds above the real chain. */
const LOCAL_RCVD = /\bfrom (?:localhost\s|(?:\S+ ){1,2}\S*\b127\.0\.0\.1\b)|qmail \d+ invoked by uid \d+/;
const FETCHMAIL_RCVD = /\bby localhost with \w+ \(fetchmail-[\d.]+/;

/** Times of the Received headers (newest first), without a fetchmail hand-off pair on top. */
function receivedTimes(ctx: ScanContext): number[] {
  const lines = getHeaderOr(ctx, 'Received').split('\n').filter((l) => /\S/.test(l));
  // Only when a fetchmail line follows the local one are both dropped; otherwise both count.
  if (lines.length >= 2 && LOCAL_RCVD.test(lines[0]!) && FETCHMAIL_RCVD.test(lines[1]!)) lines.splice(0, 2);
  else if (lines.length >= 1 && !LOCAL_RCVD.test(lines[0]!) && FETCHMAIL_RCVD.test(lines[0]!)) lines.splice(0, 1);
  const out: number[] = [];
  for (const l of lines) {
    const m = RECEIVED_DATE.exec(l);
    const t = m ? parseRfc822Date(m[1]!) : undefined;
    if (t !== undefined) out.push(t);
  }
  return out;
}

/**
 * Date header minus the closest Received time, in seconds (0 when either is missing).
 * The closest one is used because experimentally it gives the fewest false positives.
 */
export function dateDiff(ctx: ScanContext): number {
  return ctx.memo('header-eval:date-diff', () => {
    const date = dateHeaderTime(ctx);
    if (date === undefined) return 0;
    const times = receivedTimes(ctx);
    if (times.length === 0) return 0;
    const diffs = times.map((t) => date - t);
    // An oldest Received stamped exactly like Date was probably written by the sender itself.
    if (diffs.length > 1 && diffs[diffs.length - 1] === 0) diffs.pop();
    let best = diffs[0]!;
    for (const d of diffs) if (Math.abs(d) < Math.abs(best)) best = d;
    return best;
  });
}

/** Date is between `min` and `max` hours (either 'undef' for open) off the Received times. */
function shiftedDate(ctx: ScanContext, args: readonly (string | number)[]): boolean {
  const diff = dateDiff(ctx);
  const min = numArg(args, 0, -Infinity);
  const max = numArg(args, 1, Infinity);
  return diff >= 3600 * min && diff < 3600 * max;
}

/** Outlook ids embed a time token that is linear in the send time; these are its constants. */
const OUTLOOK_SLOPE = 0.0023283064365387;
const OUTLOOK_BASE = 27111902.8329849;
const OUTLOOK_FUDGE = 250;
const OUTLOOK_ID = /^<[0-9a-f]{4}([0-9a-f]{8})\$[0-9a-f]{8}\$[0-9a-f]{8}@/;

/** An Outlook-format Message-ID whose time token fits neither the Date nor the Received times. */
function outlookMessageId(ctx: ScanContext): boolean {
  const m = OUTLOOK_ID.exec(getHeaderOr(ctx, 'MESSAGEID'));
  if (!m) return false;
  const token = parseInt(m[1]!, 16);
  const off = (t: number): number => Math.abs(token - Math.trunc(t * OUTLOOK_SLOPE + OUTLOOK_BASE));
  if (off(parseRfc822Date(getHeaderOr(ctx, 'Date')) ?? 0) < OUTLOOK_FUDGE) return false;
  // SpamAssassin parses the whole Received text here, so the first date in it counts.
  return off(parseRfc822Date(getHeaderOr(ctx, 'Received')) ?? 0) >= OUTLOOK_FUDGE;
}

export const headerDateEvals: readonly EvalDef[] = [
  { name: 'check_for_shifted_date', areas: ['header'], fn: shiftedDate },
  { name: 'check_outlook_message_id', areas: ['header'], fn: outlookMessageId },
];
