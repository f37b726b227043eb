/**
 * URIs of a message: found in the rendered text the way mail clients linkify
 * (schemes, `www.`/`ftp.` prefixes, bare host names with a real TLD, e-mail
 * addresses), and in HTML attributes; each canonicalised into the variants
 * `uri` rules match (decoded, de-obfuscated, redirect targets).
 */
import { domainToASCII } from 'node:url';
import { isSpace } from './chars';
import { hasValidTld, isFqdnValid, isIpHost, nameHasValidTld, nameRegistrableDomain, stripTrailingDots, type DomainOptions } from './domain';
import type { HtmlRender } from './html';
import type { MessageUri } from './types';
import { detach } from '../util/detach';

export interface UriOptions {
  readonly domains?: DomainOptions;
  /** `redirector_pattern` regexps; capture group 1 is the redirect target. */
  readonly redirectors?: readonly RegExp[];
}

const MAX_URI_LENGTH = 8192;

// Delimiters that start and end a linkified URI (a blend of Thunderbird's and Outlook Express's).
const END = '><"`}\\]{[|\\s\\x1b\\xa0';
const END_MAIL = END + ",('\\u0080-\\uffff";
const END_MAIL_AT = END_MAIL + '@';
const SC_START = '[!"#$&\'()*+,/:;<=>?@[\\\\\\]^`{|}~\\s\\x1b\\xa0]';
const KNOWN_SCHEME = `(?:(?:https?|ftp):\\/\\/|(?:www\\d{0,2}|ftp)\\.)[^${END}]{1,2048}`;
const MAIL = `(?:mailto:[^${END_MAIL}]{1,2048}|[^${END_MAIL_AT}]{1,251}@[^${END_MAIL}]{1,251})`;
const SCHEMELESS = `[a-z\\d][a-z\\d._-]{0,251}\\.(?:xn--[a-z\\d-]{1,59}|[a-z]{2,63})\\.?(?::\\d{1,5})?(?:\\/[^${END}]{1,2048})?`;
function textUriRegex(mail: string): RegExp {
  return new RegExp(
    `(?:\\b|(?<=\\x1b\\(.)|(?<=[${"><\"'`,{[(|\\s\\x1b\\xa0"}]))` +
      `(?:(${KNOWN_SCHEME})(?=[${END}]|$)|(${mail})(?=[${END_MAIL}]|$)|(?:^|(?<=${SC_START}))(${SCHEMELESS})(?=[${END}]|$))`,
    'gi',
  );
}
const TEXT_URI = textUriRegex(MAIL);
/**
 * The same with the e-mail shapes replaced by a group that never matches. Without an `@` or
 * `mailto:` they cannot match, yet they cost a scan to the word's end from every position.
 */
const TEXT_URI_NO_MAIL = textUriRegex('(?!)');
const MAILTO = /mailto:/i;

/** Characters stripped from the end of a URI found in text. */
const TRAILING_PUNCT = "-~!@#^&*()_+=:;'?,.";
const MAYBE_URI_G = /\.[a-z]|@|:\/\/|www|ftp/gi;

/** A URI found before canonicalisation, with how it was found. */
export interface FoundUri {
  readonly raw: string;
  /** With a scheme added where the text had none. */
  readonly uri: string;
  readonly source: string;
  readonly anchorText?: string;
}

/** URIs a mail client would linkify in one line of rendered text, appended to `out`. */
export function extractTextUris(line: string, domains: DomainOptions = {}, out: FoundUri[] = []): FoundUri[] {
  // No shape TEXT_URI matches can span whitespace, and each contains one of MAYBE_URI's
  // anchors: scan only the whitespace-delimited words around anchors. The leading space
  // stands for the whitespace (a start delimiter) the word had before it. test() finds an
  // anchor's end without a match array; anchors are at most 3 characters long.
  const re = MAYBE_URI_G;
  re.lastIndex = 0;
  let seen: Set<string> | undefined;
  while (re.test(line)) {
    let end = re.lastIndex;
    let start = end - 1;
    while (start > 0 && !isSpace(line.charCodeAt(start - 1))) start--;
    while (end < line.length && !isSpace(line.charCodeAt(end))) end++;
    // The whitespace itself, where there is some, serves as well: the regex reads any `\s` alike.
    const word = start > 0 ? line.slice(start - 1, end) : ' ' + line.slice(0, end);
    scanWord(word, domains, (seen ??= new Set()), out);
    // Anchors inside this word belong to it: go on after it (whitespace, which no anchor spans).
    re.lastIndex = end;
  }
  return out;
}

function scanWord(line: string, domains: DomainOptions, seen: Set<string>, out: FoundUri[]): void {
  // An exec loop rather than matchAll, which clones the (large) regex on every call.
  const re = line.includes('@') || MAILTO.test(line) ? TEXT_URI : TEXT_URI_NO_MAIL;
  re.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(line)) !== null) {
    if (m[0] === '') re.lastIndex++;
    const type = m[1] !== undefined ? 'scheme' : m[2] !== undefined ? 'mail' : 'schemeless';
    let raw = (m[1] ?? m[2] ?? m[3])!;
    // Cut at a `)` that no `(` opened, then strip trailing punctuation (each only when it can apply).
    if (raw.includes(')')) raw = raw.replace(/^([^(]*)\).*$/s, '$1');
    if (TRAILING_PUNCT.includes(raw[raw.length - 1] ?? '')) raw = raw.replace(/[-~!@#^&*()_+=:;'?,.]*$/, '');
    if (seen.has(raw)) continue;
    seen.add(raw);
    if (type === 'mail' && !raw.includes('@')) continue;
    if (/^[cm]id:/i.test(raw) || /^\w+:\/{0,2}$/i.test(raw)) continue;
    let uri = raw;
    if (!/^(?:https?|ftp|mailto):/i.test(uri)) {
      if (/^ftp\./i.test(uri)) uri = `ftp://${uri}`;
      else if (/^www\d{0,2}\./i.test(uri)) uri = `http://${uri}`;
      else if (/\/.+@/.test(uri)) uri = `http://${uri}`;
      else if (uri.includes('@')) {
        if (!/@.+?\./.test(uri) || uri.includes('&nbsp;')) continue;
        uri = 'mailto:' + uri.replace(/^(?:skype|e?-?mail)?:+/i, '');
      } else {
        if (!uri.includes('.')) continue;
        uri = `http://${uri}`;
      }
    }
    if (/^mailto:/i.test(uri)) {
      if (/%[0-9a-f]{2}/i.test(uri)) uri = urlDecode(uri);
      const at = /@([^?&>]*)/.exec(uri);
      if (!at || !hasValidTld(at[1]!.replace(/(?:%20)+$/, ''), domains)) continue;
    }
    out.push({ raw, uri, source: 'parsed' });
  }
}

/** Decode %XX escapes of printable characters; escape control, 8-bit, `"`, `%`, `<`, `>`. */
export function urlDecode(url: string): string {
  return url
    .split(/(%[0-9a-fA-F]{2})/)
    .map((piece, i) => {
      if (i % 2 === 1) return /(20|7f|[0189a-fA-F][0-9a-fA-F])/i.test(piece) ? piece : String.fromCharCode(parseInt(piece.slice(1), 16));
      return piece.replace(/[\x00-\x20\x7f-\xff"%<>]/g, (c) => '%' + c.charCodeAt(0).toString(16).padStart(2, '0'));
    })
    .join('');
}

function ulongToIp(n: number): string {
  return [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join('.');
}

/** The variants of one URI that `uri` rules see, as SpamAssassin canonicalises them. */
export function canonicalizeUri(input: string, opts: UriOptions = {}): string[] {
  const queue = [input];
  const out = new Set<string>();
  for (let qi = 0; qi < queue.length && qi < 20; qi++) {
    const uri = withoutLineBreaks(queue[qi]!);
    // The input itself is always one of the variants, even when it is only a fragment.
    out.add(uri);
    if (uri.length <= 1 || /^(?:[#?&]|\/(?!\/))/.test(uri)) continue;
    if (/^mailto:/i.test(uri) || /^[^:]*@/.test(uri)) {
      let m = /^([^@]+@[^?]+)\?/.exec(uri);
      if (m) out.add(m[1]!);
      m = /^([^@]+@[^?&]+)&/.exec(uri);
      if (m) out.add(m[1]!);
      if (uri.includes('%20')) {
        m = /^(?:mailto:)?(?:%20)*([^@]+@[^?&%]+)/.exec(uri);
        if (m) out.add(`mailto:${m[1]}`);
      }
      m = /^[^?&]*<([^@>]+@[^>]+)>/.exec(uri);
      if (m) out.add(`mailto:${m[1]}`);
      continue;
    }
    let n = withTwoSlashes(uri.includes('\\') ? uri.replace(/\\/g, '/') : uri);
    if (/%[0-9a-fA-F]{2}/.test(n)) n = urlDecode(n);
    if (!/^[-_a-z0-9]+:/i.test(n)) n = (/^ftp\./.test(n) ? 'ftp://' : 'http://') + n;
    n = n.replace(/^(https?:\/\/[^/?#]+)([?#])/i, '$1/$2');
    // Numeric character references: most URIs have none, and a literal scan rules them out.
    if (n.includes('&#')) n = decodeUriCharRefs(n);
    out.add(n);
    const parts = /^(https?:\/\/)([^@/?#]*@)?([^/?#:]+)((?::(\d*))?.*)$/is.exec(n);
    if (!parts) continue;
    const proto = parts[1]!;
    const auth = parts[2] ?? '';
    let host = parts[3]!;
    const rest = parts[4]!;
    let port = parts[5] ?? '';
    let restNoPort = '';
    if (port === '') port = proto.toLowerCase() === 'http://' ? '80' : '443';
    else {
      const defaultPort = proto.toLowerCase() === 'http://' ? /^:80\b/ : /^:443\b/;
      if (defaultPort.test(rest)) {
        restNoPort = rest.replace(defaultPort, '');
        out.add(proto + host + restNoPort);
      }
    }
    const ascii = toAsciiHost(host);
    if (ascii !== host.toLowerCase()) {
      out.add(proto + ascii + rest);
      if (restNoPort) out.add(proto + ascii + restNoPort);
      host = ascii;
    }
    if (/[\x00-\x20]/.test(host)) {
      host = host.replace(/[\x00-\x20]/g, '');
      out.add(proto + host + rest);
    }
    let redirected = false;
    for (const re of opts.redirectors ?? []) {
      const r = re.exec(proto + host + rest);
      if (r && r[1] !== undefined && r[1].includes('.')) {
        queue.push(r[1]);
        redirected = true;
        break;
      }
    }
    if (!redirected) {
      const r = /(https?:\/{0,2}[^&#]+)/i.exec(rest);
      if (r && r[1]!.includes('.')) queue.push(r[1]!);
    }
    if (/^[^@]+@/.test(host)) {
      host = host.replace(/^[^@]+@/, '');
      out.add(proto + host + rest);
    }
    if (/[^0-9A-Za-z]+$/.test(host)) {
      host = host.replace(/[^0-9A-Za-z]+$/, '');
      out.add(proto + host + rest);
    }
    const quad = /^((?:0x[0-9a-f]+|\d+)\.)((?:0x[0-9a-f]+|\d+)\.)((?:0x[0-9a-f]+|\d+)\.)(0x[0-9a-f]+|\d+)$/i.exec(host);
    if (quad) {
      const octets = quad.slice(1, 5).map((o) =>
        o
          .replace(/^0x([0-9a-f]+)/i, (_, h: string) => String(parseInt(h, 16)))
          .replace(/^0+([1-3][0-7]{0,2}|[4-7][0-7]?)\b/, (_, d: string) => String(parseInt(d, 8)))
          .replace(/^0+/, ''),
      );
      out.add(proto + octets.join('') + rest);
    } else if (/^0x[0-9a-f]+$/i.test(host)) {
      out.add(proto + ulongToIp(parseInt(host.slice(-8).replace(/^x/i, ''), 16)) + rest);
    } else if (/^[0-9]+$/.test(host)) {
      out.add(proto + ulongToIp(Number(host) % 2 ** 32) + rest);
    } else if (proto.toLowerCase() === 'http://' && auth === '' && ascii !== 'localhost' && port === '80') {
      const bare = /^(?:www\.)?([^.]+)$/.exec(ascii);
      if (bare && !hasValidTld(ascii, opts.domains)) out.add(`${proto}www.${bare[1]}.com${rest}`);
    }
  }
  return [...out].map((u) => (u.length > MAX_URI_LENGTH ? u.slice(0, MAX_URI_LENGTH) : u));
}

/** Printable ASCII character references decoded, and those for dots (ASCII and CJK) as `.`. */
function decodeUriCharRefs(n: string): string {
  return n
    .replace(/&#0*(3[3-9]|[4-9]\d|1[01]\d|12[0-6]);/g, (_, d: string) => String.fromCharCode(Number(d)))
    .replace(/&#x0*(2[1-9]|[3-6][a-fA-F0-9]|7[0-9a-eA-E]);/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)))
    .replace(/&#(?:x2e|12290|x3002|65294|xff0e|65377|xff61);/gi, '.');
}

const HTTP_SCHEME = /^https?:/i;

/**
 * `http:` and `https:` followed by at least two slashes (`http:x` and `http:/x` get them).
 * Most URIs have them already and come back as they are, where a replace() would copy them.
 */
function withTwoSlashes(u: string): string {
  if (!HTTP_SCHEME.test(u)) return u;
  const at = u.indexOf(':') + 1;
  if (u.startsWith('//', at)) return u;
  return u.slice(0, at) + '//' + u.slice(u.charCodeAt(at) === 0x2f ? at + 1 : at);
}

/** `u` trimmed, without line breaks (each removal only when there is one). */
function withoutLineBreaks(u: string): string {
  const t = (u.includes('\n') ? u.replace(/\n/g, '') : u).trim();
  return t.includes('\r') ? t.replace(/\r/g, '') : t;
}

function toAsciiHost(host: string): string {
  const lower = host.toLowerCase();
  if (/^[\x00-\x7f]*$/.test(lower)) return lower;
  return domainToASCII(lower.replace(/[\u3002\uff0e\uff61]/g, '.')) || lower;
}

/** Host and registrable domain of a canonical URI, or undefined when it names no valid host. */
export function uriHost(uri: string, domains: DomainOptions = {}): { host: string; domain: string } | undefined {
  // Only j, c, f and m (either case) can start the schemes tested here. (No character outside
  // ASCII lower-cases to one of these scheme letters, so testing case-insensitively is the same.)
  const lead = uri.charCodeAt(0) | 0x20;
  if ((lead === 0x6a || lead === 0x63 || lead === 0x66) && /^(?:javascript|cid|file):/i.test(uri)) return undefined;
  let u: string | undefined;
  let ascii = false;
  if (lead === 0x6d && /^mailto:/i.test(uri)) {
    u = uri.toLowerCase().slice(7).replace(/\?.*/s, '');
    if (/@.*?@/.test(u) || !u.includes('@')) return undefined;
    u = u.replace(/.*@/s, '');
  } else {
    // ASCII lower-cases letter by letter: when the part read is ASCII, cut first, then lower-case.
    u = authorityHost(uri, true)?.toLowerCase();
    if (u !== undefined) ascii = true;
    else u = authorityHost(uri.toLowerCase(), false)!;
  }
  if (u.includes('%') && /%(?:2[1-9a-f]|[3-6][0-9a-f]|7[0-9a-e])/.test(u)) return undefined;
  // Lower-cased ASCII is its own ASCII form.
  const host = ascii ? u : toAsciiHost(u);
  if (isIpHost(host)) return { host, domain: host.replace(/^\[|\]$/g, '') };
  if (!isFqdnValid(host)) return undefined;
  // hasValidTld and registrableDomain, without lower-casing and IP checks done already.
  const name = stripTrailingDots(host);
  if (name !== host && isIpHost(name)) return { host, domain: name.replace(/^\[|\]$/g, '') };
  if (!nameHasValidTld(name, domains)) return undefined;
  return { host, domain: nameRegistrableDomain(name, domains) };
}

/** An ASCII letter. */
function isAsciiLetter(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a);
}

/**
 * The host part of a URI: after `scheme:` and up to two slashes, before the first
 * `/`, `?` or `#`, after the last `@`, without a `:port` (digits, possibly none) at the end.
 * With `asciiOnly`, undefined when a character before that first `/`, `?` or `#` is not ASCII.
 */
function authorityHost(u: string, asciiOnly: boolean): string | undefined {
  let start = 0;
  while (start < u.length && isAsciiLetter(u.charCodeAt(start))) start++;
  if (start > 0 && u.charCodeAt(start) === 0x3a) {
    start++;
    if (u.charCodeAt(start) === 0x2f) start++;
    if (u.charCodeAt(start) === 0x2f) start++;
  } else start = 0;
  let end = start;
  while (end < u.length) {
    const c = u.charCodeAt(end);
    if (c === 0x2f || c === 0x3f || c === 0x23) break;
    if (c >= 0x80 && asciiOnly) return undefined;
    end++;
  }
  const at = u.lastIndexOf('@', end - 1);
  if (at >= start) start = at + 1;
  const colon = u.lastIndexOf(':', end - 1);
  if (colon >= start) {
    let digits = colon + 1;
    while (digits < end && u.charCodeAt(digits) >= 0x30 && u.charCodeAt(digits) <= 0x39) digits++;
    if (digits === end) end = colon;
  }
  return u.slice(start, end);
}

/** URI-bearing attributes of rendered HTML parts. */
export function htmlUris(render: HtmlRender, out: FoundUri[] = []): FoundUri[] {
  // Each anchor's text goes to the first `<a>` link with its href that has none yet.
  const waiting = new Map<string, FoundUri[]>();
  for (const l of render.links) {
    const found: FoundUri = { raw: l.url, uri: l.url, source: l.tag };
    out.push(found);
    if (l.tag !== 'a') continue;
    const same = waiting.get(l.url);
    if (same) same.push(found);
    else waiting.set(l.url, [found]);
  }
  for (const a of render.anchors) {
    const same = waiting.get(a.href);
    const hit = same?.shift();
    if (hit) Object.assign(hit, { anchorText: a.text });
  }
  return out;
}

// The same URIs recur across messages (list footers, tracking hosts): what a found URI canonicalises
// to, and the host it names, are remembered per settings object, a bounded number of entries each.
// One entry per found URI holds both, so a hit costs one lookup.
const CACHE_LIMIT = 20000;
const NO_SETTINGS = {};

/** A found URI's canonical variants and the first valid host among them. */
interface Canonical {
  readonly cleaned: readonly string[];
  readonly where: { host: string; domain: string } | undefined;
}

const canonicalCache = new WeakMap<object, WeakMap<object, Map<string, Canonical>>>();

function canonical(uri: string, opts: UriOptions): Canonical {
  const cleaned = canonicalizeUri(uri, opts).map(detach);
  let where: { host: string; domain: string } | undefined;
  for (const c of cleaned) {
    where = uriHost(c, opts.domains);
    if (where) break;
  }
  if (where) where = { host: detach(where.host), domain: detach(where.domain) };
  return { cleaned, where };
}

/** The cache of canonical forms for these settings (looked up once per message, not per URI). */
function canonicalCacheFor(opts: UriOptions): Map<string, Canonical> {
  // Both settings shape the result: one cache per (redirectors, domains) pair.
  const byRedirectors = opts.redirectors ?? NO_SETTINGS;
  let inner = canonicalCache.get(byRedirectors);
  if (!inner) canonicalCache.set(byRedirectors, (inner = new WeakMap()));
  const byDomains = opts.domains ?? NO_SETTINGS;
  let cache = inner.get(byDomains);
  if (!cache) inner.set(byDomains, (cache = new Map()));
  return cache;
}

function cachedCanonical(cache: Map<string, Canonical>, uri: string, opts: UriOptions): Canonical {
  let hit = cache.get(uri);
  if (hit === undefined) {
    if (cache.size >= CACHE_LIMIT) cache.clear();
    cache.set(detach(uri), (hit = canonical(uri, opts)));
  }
  return hit;
}

/** Length of the `scheme:` prefix of `u` (letter, then letters, digits, `+`, `.`, `-`), or 0 when none. */
function schemeLength(u: string): number {
  if (!isAsciiLetter(u.charCodeAt(0))) return 0;
  for (let i = 1; i < u.length; i++) {
    const c = u.charCodeAt(i);
    if (c === 0x3a) return i;
    if (!isAsciiLetter(c) && !(c >= 0x30 && c <= 0x39) && c !== 0x2b && c !== 0x2e && c !== 0x2d) return 0;
  }
  return 0;
}

/** Append the strings of `from` that `to` lacks (lists are short: a scan beats a Set). */
function addNew(to: string[], from: readonly string[]): void {
  for (const s of from) if (!to.includes(s)) to.push(s);
}

/** Merge found URIs by raw form, canonicalise each and keep those that name something. */
export function buildUriList(text: readonly FoundUri[], html: readonly FoundUri[], opts: UriOptions = {}): MessageUri[] {
  const byRaw = new Map<string, { raw: string; cleaned: string[]; sources: string[]; anchors: string[]; host: string; domain: string }>();
  const cache = canonicalCacheFor(opts);
  const add = (f: FoundUri, needDomain: boolean) => {
    const { cleaned, where } = cachedCanonical(cache, f.uri, opts);
    if (cleaned.length === 0) return;
    if (needDomain && !where) return;
    let entry = byRaw.get(f.raw);
    if (!entry) {
      entry = { raw: f.raw, cleaned: [], sources: [], anchors: [], host: '', domain: '' };
      byRaw.set(f.raw, entry);
    }
    addNew(entry.cleaned, cleaned);
    if (!entry.sources.includes(f.source)) entry.sources.push(f.source);
    if (f.anchorText !== undefined && !entry.anchors.includes(f.anchorText)) entry.anchors.push(f.anchorText);
    if (where && !entry.host) {
      entry.host = where.host;
      entry.domain = where.domain;
    }
  };
  for (const f of text) add(f, true);
  for (const f of html) add(f, false);
  const out: MessageUri[] = [];
  for (const e of byRaw.values()) {
    const cleaned = e.cleaned;
    const url = cleaned.find((c) => schemeLength(c) > 0) ?? cleaned[0] ?? e.raw;
    const scheme = url.slice(0, schemeLength(url)).toLowerCase();
    out.push({ raw: e.raw, url, cleaned, scheme, host: e.host, domain: e.domain, sources: e.sources, anchorText: e.anchors });
  }
  return out;
}
