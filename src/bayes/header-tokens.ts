/** The header fields Bayes reads, each digested as SpamAssassin 4.0.1 digests it before tokenizing. */
import type { Message } from '../message/types';
import { parseAddressList } from '../message/address';
import { detach } from '../util/detach';
import { headerNames } from './header-names';
import { toByteString } from '../message/charset';
import { mailAddrTokens } from './mail-addr-tokens';

/** The header fields Bayes reads, digested, keyed by their (possibly compressed) token name (`bayes_ignore_header` names left out). */
export function headerTokenSources(msg: Message, ignoreHeaders: ReadonlySet<string>): Map<string, string> {
  const picked: Array<[string, string]> = [];
  const received: Array<[string, string]> = [];
  for (const h of msg.headers) {
    if (h.key === 'received') received.push([h.name, h.value]);
    else if (!headerPlan(h.name).ignored) picked.push([h.name, h.value]);
  }
  const ph = msg.relays.pseudoHeaders;
  picked.push(
    ['x-spam-relays-external', ph.external],
    ['x-spam-relays-internal', ph.internal],
    ['x-spam-relays-trusted', ph.trusted],
    ['x-spam-relays-untrusted', ph.untrusted],
  );
  // The last two Received fields (the first hops): spamware HELO names and tokens.
  if (received.length >= 1) picked.push(received[received.length - 1]!);
  if (received.length >= 2) picked.push(received[received.length - 2]!);

  const parsed = new Map<string, string>();
  const add = (key: string, val: string): void => {
    const prev = parsed.get(key);
    parsed.set(key, prev === undefined ? val : prev + ' ' + val);
  };
  for (const [name, value] of picked) {
    const plan = headerPlan(name);
    if (ignoreHeaders.has(plan.lower)) continue;
    const val = chewHeader(plan.chew, value);
    if (plan.also !== undefined) add(plan.also, val);
    add(plan.key, val);
  }
  return parsed;
}

/** How a header field's value is digested before tokenizing. */
const enum Chew {
  None,
  MessageId,
  Addresses,
  Received,
  ContentType,
  MimeVersion,
  PresenceOnly,
  Relays,
}

/** What to do with a header field, worked out once per distinct name (the name tests are regexes). */
interface HeaderPlan {
  /** Never tokenized (Received and the relay pseudo-headers are picked apart from this). */
  readonly ignored: boolean;
  /** The lower-cased name, for `bayes_ignore_header`. */
  readonly lower: string;
  readonly chew: Chew;
  /** A combined token name the value is also added under (`*MI`, `*Ad`, `*UA`). */
  readonly also: string | undefined;
  /** The (possibly compressed) token name. */
  readonly key: string;
}

const headerPlans = new Map<string, HeaderPlan>();
/** Spam carries random header names: the plan cache is emptied when it grows past this. */
const HEADER_PLAN_LIMIT = 5000;

function headerPlan(name: string): HeaderPlan {
  return memo(headerPlans, HEADER_PLAN_LIMIT, name, makeHeaderPlan);
}

/**
 * `cache`'s value for `key`, made on a miss; the cache is emptied when it reaches `limit` entries.
 * Keys are header names and values cut from a message's header block: stored (and made from)
 * detached copies, or each entry would keep its whole header block alive.
 */
function memo<V>(cache: Map<string, V>, limit: number, key: string, make: (key: string) => V): V {
  let v = cache.get(key);
  if (v === undefined) {
    if (cache.size >= limit) cache.clear();
    const own = detach(key);
    cache.set(own, (v = make(own)));
  }
  return v;
}

function makeHeaderPlan(name: string): HeaderPlan {
  let also: string | undefined;
  if (/^(?:In-Reply-To|References|Message-ID)$/i.test(name)) also = '*MI';
  else if (/^(?:From|To|Cc)$/i.test(name)) also = '*Ad';
  else if (/^(?:X-Mailer|User-Agent)$/i.test(name)) also = '*UA';
  return {
    ignored: headerNames.ignored.test(name),
    lower: name.toLowerCase(),
    chew: chewKind(name),
    also,
    key: headerNames.compressed.get(name) ?? name,
  };
}

function chewKind(name: string): Chew {
  if (/^(?:|X-|Resent-)Message-Id$/i.test(name)) return Chew.MessageId;
  if (/^(?:|X-|Resent-)(?:Return-Path|From|To|Cc|Reply-To|Errors-To|Mail-Followup-To|Sender)$/i.test(name)) return Chew.Addresses;
  if (name === 'Received') return Chew.Received;
  if (name === 'Content-Type') return Chew.ContentType;
  if (name === 'MIME-Version') return Chew.MimeVersion;
  if (headerNames.presenceOnly.test(name)) return Chew.PresenceOnly;
  if (/^x-spam-relays-(?:external|internal|trusted|untrusted)$/.test(name)) return Chew.Relays;
  return Chew.None;
}

function chewHeader(chew: Chew, value: string): string {
  switch (chew) {
    case Chew.Addresses:
      return cachedChewAddresses(value);
    case Chew.PresenceOnly:
      return '1';
    case Chew.MessageId:
      return chewMessageId(' ' + toByteString(value));
    case Chew.Received:
      return chewReceived(' ' + toByteString(value));
    case Chew.ContentType:
      return chewContentType(' ' + toByteString(value));
    case Chew.MimeVersion:
      return (' ' + toByteString(value)).replace('1.0', '');
    case Chew.Relays:
      return (' ' + toByteString(value)).replace(/ [a-z]+=/g, ' ');
    default:
      return ' ' + toByteString(value);
  }
}

function chewContentType(val: string): string {
  let boundary: string | undefined;
  val = val.replace(/boundary=["'](.*?)["']/gi, (_m, b: string) => {
    boundary = b;
    return ' ';
  });
  if (boundary !== undefined) val += boundary.replace(/[a-fA-F0-9]/g, 'H').replace(/([-_.=]+)/g, ' $1 ');
  return val.replace(/\b(?:text|charset)\b/g, ' ');
}

function chewMessageId(val: string): string {
  return val
    .replace(/<([0-9a-f]{4})[0-9a-f]{4}[0-9a-f]{4}\$([0-9a-f]{4})[0-9a-f]{4}\$([0-9a-f]{8})@(\S+)>/g, ' OEA$1 OEB$2 OEC$3 $4 ')
    .replace(/<[A-Za-z0-9]{7}-[A-Za-z0-9]{6}-0[A-Za-z0-9]@/, '')
    .replace(/<20\d\d[01]\d[0123]\d[012]\d[012345]\d[012345]\d\.[A-F0-9]{10,12}@/g, '')
    .replace(/[^_A-Za-z0-9]/g, ' ');
}

const RCVD_DATE = new RegExp(
  '(?:(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun),\\s)?[0-3\\s]?[0-9]\\s(?:Jan|Feb|Ma[ry]|Apr|Ju[nl]|Aug|Sep|Oct|Nov|Dec)\\s' +
    '(?:19|20)?[0-9]{2}\\s[0-2][0-9](?::[0-5][0-9]){1,2}\\s(?:\\s*\\(|\\)|\\s*(?:[+-][0-9]{4})|\\s*(?:UT|[A-Z]{2,3}T))*',
  'g',
);

function chewReceived(val: string): string {
  return val
    .replace(/\swith\sSMTP\sid\sg[\dA-Z]{10,12}\s/g, ' ')
    .replace(/\swith\sESMTP\sid\s[\dA-F]{10,12}\s/g, ' ')
    .replace(/\bid\s[a-zA-Z0-9]{7,20}\b/g, ' ')
    .replace(/\bid\s[A-Za-z0-9]{7}-[A-Za-z0-9]{6}-0[A-Za-z0-9]/g, ' ')
    .replace(RCVD_DATE, '')
    .replace(/\b(\d{1,3}\.)(\d{1,3}\.)(\d{1,3})(\.\d{1,3})\b/g, (_m, a: string, b: string, c: string, d: string) => {
      // SpamAssassin keeps private /8 and /16 nets whole; its test compares "10." with "10", so in
      // practice every address is cut to its /24, plus the whole address as `ip*`.
      return a + b + c + ' ip*' + a + b + c + d + ' ';
    })
    .replace(/\b(?:with|from|for|SMTP|ESMTP)\b/g, ' ');
}

/**
 * Address fields repeat across a mail stream (list addresses, regular correspondents: in
 * 2,500 ham messages 11,805 fields have 1,289 distinct values), so their digests are kept.
 */
const addressDigests = new Map<string, string>();
const ADDRESS_DIGEST_LIMIT = 4096;

function cachedChewAddresses(value: string): string {
  return memo(addressDigests, ADDRESS_DIGEST_LIMIT, value, chewAddresses);
}

function chewAddresses(value: string): string {
  const toks: string[] = [];
  for (const a of parseAddressList(value)) {
    // The shared parser drops a display name that repeats the address (right for `:name`);
    // SpamAssassin's Bayes keeps it as a name token.
    let phrase = a.phrase;
    if (phrase === undefined && a.address !== undefined && namedByAddress(value, a.address)) phrase = a.address;
    if (phrase !== undefined) for (const w of toByteString(phrase).split(/\s+/)) toks.push('N*' + w);
    if (a.address !== undefined) mailAddrTokens(toByteString(a.address), toks);
  }
  return toks.join(' ');
}

const SPACE = /\s/;

/**
 * Whether the field has `addr <addr>` (the address as its own display name, maybe quoted):
 * the pattern `(?:^|[,\s])"?ADDR"?\s*<ADDR>`, checked at each `<addr>` without compiling
 * a pattern per address.
 */
function namedByAddress(value: string, addr: string): boolean {
  const angled = '<' + addr + '>';
  for (let q = value.indexOf(angled); q >= 0; q = value.indexOf(angled, q + 1)) {
    // Any number of the whitespace characters right before `<addr>`, then an optional quote.
    for (let end = q; ; end--) {
      if (nameAt(value, addr, end) || (value[end - 1] === '"' && nameAt(value, addr, end - 1))) return true;
      if (end === 0 || !SPACE.test(value[end - 1]!)) break;
    }
  }
  return false;
}

/** `addr` ends at `end`, optionally quoted in front, at the start or after `,` or whitespace. */
function nameAt(value: string, addr: string, end: number): boolean {
  const start = end - addr.length;
  if (start < 0 || !value.startsWith(addr, start)) return false;
  const atBoundary = (i: number): boolean => i === 0 || value[i - 1] === ',' || SPACE.test(value[i - 1]!);
  return atBoundary(start) || (value[start - 1] === '"' && atBoundary(start - 1));
}
