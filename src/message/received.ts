/**
 * One Received header -> the handover it records (client IP, rDNS, HELO, receiving
 * host, id, envelope sender, authentication). MTAs write this header in dozens of
 * shapes; received-formats.ts lists them, tried in order.
 */
import {
  BRACKETED_IP,
  EARLY_SKIPS,
  EXIM_LOCAL,
  FETCHER,
  FORMATS,
  IP,
  LATE_SKIPS,
  PAREN_FROM_NAVGW,
  PAREN_FROM_SKIPS,
  SIMTA,
  type Format,
  type Groups,
} from './received-formats';

/** Fields of one handover before trust is decided. */
export interface ReceivedFields {
  ip: string;
  rdns: string;
  helo: string;
  by: string;
  id: string;
  ident: string;
  envfrom: string;
  auth: string;
  /** The MTA looked the client's IP up and found no name (SpamAssassin's `no_reverse_dns`). */
  noReverseDns: boolean;
}

/**
 * What one Received header says: a handover; `'skip'` for one recorded on
 * purpose as no network hop (local delivery, list software, MTAs that log no
 * IP); `'fetcher'` for a POP3/IMAP fetch; undefined when it cannot be read.
 */
export type ReceivedParse = ReceivedFields | 'skip' | 'fetcher' | undefined;

const DATE_TAIL =
  /[\s;]+(?:(?:Mon|T(?:ue|hu)|Wed|Fri|S(?:at|un)), )?\d+ (?:J(?:an|u[nl])|Feb|Ma[ry]|A(?:pr|ug)|Sep|Oct|Nov|Dec) \d+ \d+:\d+(?::\d+)? \S+$/;
const DATE_TAIL_G = new RegExp(DATE_TAIL.source, 'g');

/**
 * `s` without DATE_TAIL, for normalized text (single spaces only). The date after the run of
 * spaces and semicolons holds at most five spaces, so the search starts at the sixth space from
 * the end instead of trying every position of the header; a match starting there is the inside
 * of a longer run, which is then taken back to its start.
 */
function stripDateTail(s: string): string {
  // A char loop: lastIndexOf() six times cost more than the search it narrows.
  let from = s.length;
  for (let spaces = 0; from > 0 && spaces < 6; ) if (s.charCodeAt(--from) === 32) spaces++;
  const find = DATE_TAIL_G;
  find.lastIndex = from;
  const m = find.exec(s);
  if (!m) return s;
  let start = m.index;
  while (start > 0 && isSpaceOrSemicolon(s.charCodeAt(start - 1))) start--;
  return s.slice(0, start);
}

const isSpaceOrSemicolon = (c: number): boolean => c === 32 || c === 59;

// Whitespace other than single spaces: only then is collapsing needed.
// Non-space whitespace first: the alternation then scans faster than `\s\s|[^\S ]`.
const NEEDS_COLLAPSE = /[^\S ]| \s/;
const WS = /\s/;

const AUTH_WITH = / with ((?:ES|L|UTF8S|UTF8L)MTPS?A|ASMTP|HTTP[SU]?)(?: |;|$)/i;
const AUTH_GMAIL = / by mx\.google\.com with ESMTPS id [a-z0-9]{1,4}sm[0-9]{2,9}[a-z]{3}\.[0-9]{1,3}\.[0-9]{4}\.(?:[0-6][0-9]\.){4}[0-6][0-9]/;
const AUTH_COURIER = /^from .*?(?:\]\)|\)\]) \(AUTH: (LOGIN|PLAIN|DIGEST-MD5|CRAM-MD5) \S+(?:, .*?)?\) by /;
const AUTH_SENDMAIL = /^from .*?(?:\](?: \([^)]*\))?\)|\)\]) .*?\(.*?authenticated.*?\).*? by/;
const AUTH_GMX = new RegExp(String.raw`from \S* \((?:HELO|EHLO) (\S*)\) \[(${IP})\] by (mail\.gmx\.(?:net|com)) \([^)]+\) with ((?:ESMTP|SMTP))`);
const AUTH_CRITICAL_PATH = /\) by .+ \(\d{1,2}\.\d\.\d{3}(?:\.\d{1,3})?\) \(authenticated as .+\) id /;
const AUTH_POSTFIX = /\) \(Authenticated sender: \S+\) by \S+ \(([^)]+)\) with /;
const AUTH_VIA_HTTP = / \(via (HTTP.?)\)(?: |;|$)/i;

// One scan for the literals the rarer shapes below need: most headers carry none of them,
// and one alternation pass costs less than seven includes() scans.
const AUTH_RARE = /uthenticated|\(AUTH: | by mx\.google\.com | by mail\.gmx\.|CommuniGate Pro | with Microsoft Exchange Server HTTP-DAV/;

/** The authentication the header records, if any (tried in SpamAssassin's order). */
function authOf(s: string): string {
  let m: RegExpExecArray | null;
  const hasBy = s.includes(' by ');
  if (hasBy && (m = AUTH_WITH.exec(s))) return m[1]!;
  if (AUTH_RARE.test(s)) {
    const rare = rareAuthOf(s);
    if (rare !== '') return rare;
  }
  if (hasBy && (m = AUTH_VIA_HTTP.exec(s))) return m[1]!;
  return '';
}

/** authOf's shapes between ` with ...` and `(via HTTP)`, in order. */
function rareAuthOf(s: string): string {
  let m: RegExpExecArray | null;
  if (s.includes(' by mx.google.com ') && AUTH_GMAIL.test(s) && (m = /\(version=([^ ]+) cipher=([^)]+)\)/.exec(s))) {
    return `GMail - transport=${m[1]!} cipher=${m[2]!}`;
  }
  if (s.includes('(AUTH: ') && (m = AUTH_COURIER.exec(s))) return m[1]!;
  if (s.includes('authenticated') && AUTH_SENDMAIL.test(s)) return 'Sendmail';
  if (s.includes(' by mail.gmx.') && (m = AUTH_GMX.exec(s))) return `GMX (${m[4]!} / ${m[3]!})`;
  if (s.includes(' (authenticated as ') && AUTH_CRITICAL_PATH.test(s)) return 'CriticalPath';
  if (s.includes('(Authenticated sender: ') && (m = AUTH_POSTFIX.exec(s))) return m[1] === 'Postfix' ? m[1] : `Postfix (${m[1]!})`;
  if (s.includes('CommuniGate Pro ') && /CommuniGate Pro (?:HTTP|SMTP|XIMSS|IMAP)/.test(s) && s.includes(' (account ')) return 'Communigate';
  if (s.includes(' with Microsoft Exchange Server HTTP-DAV') && / with Microsoft Exchange Server HTTP-DAV\b/.test(s)) return 'HTTP-DAV';
  return '';
}

/** Collapse whitespace, trim, and drop stray trailing semicolons. */
function normalize(value: string): string {
  let s = NEEDS_COLLAPSE.test(value) ? value.replace(/\s+/g, ' ').trim() : value.trim();
  let end = s.length;
  while (end > 0 && s.charCodeAt(end - 1) === 59 /* ; */) {
    end--;
    if (end > 0 && WS.test(s[end - 1]!)) end--;
  }
  if (end < s.length) s = s.slice(0, end);
  return s;
}

const ID = / id <?([^\s<>;]{3,})/;
const HELO_EQ = /\bhelo=([-A-Za-z0-9.^+_&:=?!@%*$\\/]+)(?:[^-A-Za-z0-9.^+_&:=?!@%*$\\/]|$)/;
const HELO_CMD = /\b(?:HELO|EHLO) ([-A-Za-z0-9.^+_&:=?!@%*$\\/]+)(?:[^-A-Za-z0-9.^+_&:=?!@%*$\\/]|$)/;
const BY = / by (\S+)(?:[^-A-Za-z0-9;.]|$)/;
const ENVFROM = /(?:return-path:? |envelope-(?:sender|from)[ =])(\S+)\b/i;
const HELO_MENTIONED = /\b(?:HELO|EHLO) |helo=/i;
const FIRST_WORD = /^(\S+)[^-A-Za-z0-9.]/;
const NO_IP_HANDOVER = /^from (\S+) by [^\s;]+ ?;/i;
const DOTTED_IN_BRACKETS = /^\[[\d.]+\]$/;

/** Fill `out` from the first shape that fits `rest` (the text after `from `); false when none does. */
function applyFormat(rest: string, hasBy: boolean, out: ReceivedFields): boolean {
  const lead = rest[0];
  // Whitespace here is single spaces (see normalize): the first word ends at the first one.
  const space = rest.indexOf(' ');
  for (const fmt of FORMATS) {
    if (fmt.lead !== undefined && fmt.lead !== lead) continue;
    if (fmt.needsBy && !hasBy) continue;
    if (fmt.afterWord !== undefined && (space < 0 || !rest.startsWith(fmt.afterWord, space + 1))) continue;
    if (fmt.when && !fmt.when.test(rest)) continue;
    if (fmt.unless && fmt.unless.test(rest)) continue;
    const g = fmt.re.exec(rest)?.groups as Groups | undefined;
    if (!g) continue;
    fill(fmt, g, rest, out);
    return true;
  }
  return false;
}

function fill(fmt: Format, g: Groups, rest: string, out: ReceivedFields): void {
  out.ip = g.ip ?? '';
  out.by = g.by ?? out.by;
  if (g.rdns !== undefined) out.rdns = g.rdns;
  if (g.helo !== undefined) out.helo = g.helo;
  else if (fmt.heloOrEmpty) out.helo = '';
  else if (fmt.heloIsRdns && !HELO_MENTIONED.test(rest)) out.helo = out.rdns;
  if (g.ident !== undefined) out.ident = g.ident;
  if (g.sub !== undefined) {
    const h = /helo=(\S+)/.exec(g.sub);
    if (h) out.helo = h[1]!;
    const i = /ident=(\S*)/.exec(g.sub);
    if (i) out.ident = i[1]!;
  }
  if (fmt.noId) out.id = '';
  if (fmt.noHelo) out.helo = '';
  const lookedUp = typeof fmt.lookedUp === 'function' ? fmt.lookedUp(g) : fmt.lookedUp === true;
  out.noReverseDns = lookedUp; // only meaningful when rdns ends up empty: see clean()
}

/** The `from ...` branch: shapes, then handovers that are deliberately ignored. */
function parseFrom(rest: string, out: ReceivedFields): 'matched' | 'skip' | 'fetcher' | 'none' {
  const m = ENVFROM.exec(rest);
  if (m) out.envfrom = m[1]!;
  for (const re of EARLY_SKIPS) if (re.test(rest)) return 'skip';
  // A literal scan rules the unanchored Exim regex out for nearly all headers.
  if (rest.includes('with local') && EXIM_LOCAL.test(rest)) return 'skip';
  if (FETCHER.test(rest)) return 'fetcher';
  if (applyFormat(rest, rest.includes(' by '), out)) return 'matched';
  for (const re of LATE_SKIPS) if (re.test(rest)) return 'skip';
  if (!out.helo) {
    const h = FIRST_WORD.exec(rest);
    if (h) out.helo = h[1]!;
  }
  return 'none';
}

/** `(from ...)`: Norton AntiVirus Gateway hops, or local submissions to ignore. */
function parseParenFrom(rest: string, out: ReceivedFields): 'matched' | 'skip' | 'none' {
  const m = PAREN_FROM_NAVGW.exec(rest);
  if (m) {
    out.helo = m[1]!;
    out.ip = m[2]!;
    out.by = m[3]!;
    return 'matched';
  }
  for (const re of PAREN_FROM_SKIPS) if (re.test(rest)) return 'skip';
  return 'none';
}

/** simta's `FROM helo (rdns [ip]) BY host ID id`. */
function parseSimta(rest: string, out: ReceivedFields): 'matched' | 'none' {
  const m = SIMTA.exec(rest);
  if (!m) return 'none';
  out.helo = m[1]!;
  out.rdns = m[2] === 'unverified' ? '' : m[2]!;
  out.ip = m[3]!;
  out.by = m[4]!;
  out.id = m[5]!;
  out.noReverseDns = true;
  return 'matched';
}

/**
 * Parse one unfolded Received header value (see ReceivedParse for the results).
 * Only a lower-case `from ` opens the full set of shapes, as upstream.
 */
export function parseReceived(value: string): ReceivedParse {
  let s = normalize(value);
  const lead = s.charCodeAt(0);
  // Cheap test first: `from`/`FROM`/`(from` start with f, F or (.
  if (lead !== 102 && lead !== 70 && lead !== 40) return 'skip';
  if (!/^\(?from /i.test(s)) return 'skip';
  if (s.includes('with local for') && /\bwith local for\b/.test(s)) return 'skip';
  const noIp = NO_IP_HANDOVER.exec(s);
  if (noIp && !DOTTED_IN_BRACKETS.test(noIp[1]!)) return 'skip';
  s = stripDateTail(s);
  if (s.includes(')by ')) s = s.replace(')by ', ') by ');

  const out: ReceivedFields = { ip: '', rdns: '', helo: '', by: '', id: '', ident: '', envfrom: '', auth: authOf(s), noReverseDns: false };
  let m = ID.exec(s);
  if (m) out.id = m[1]!;
  m = s.includes('helo=') ? HELO_EQ.exec(s) : null;
  m ??= HELO_CMD.exec(s);
  if (m) out.helo = m[1]!;
  m = BY.exec(s);
  if (m) out.by = m[1]!;

  let result: 'matched' | 'skip' | 'fetcher' | 'none' = 'none';
  if (s.startsWith('from ')) result = parseFrom(s.slice(5), out);
  else if (s.startsWith('FROM ')) result = parseSimta(s.slice(5), out);
  else if (s.startsWith('(from ')) result = parseParenFrom(s.slice(6), out);
  if (result === 'skip' || result === 'fetcher') return result;
  if (result === 'none') {
    const ip = BRACKETED_IP.exec(s);
    if (!ip || !out.by) return undefined;
    out.ip = ip[1]!;
    out.noReverseDns = false;
  }
  return clean(out);
}

const STRIP = /[\s\x00#[\]()<>|]/g;
const NEEDS_STRIP = /[\s\x00#[\]()<>|]/;
const bang = (v: string): string => (NEEDS_STRIP.test(v) ? v.replace(STRIP, '!') : v);

function cleanIp(ip: string): string {
  let v = ip;
  if (/^ipv6:/i.test(v)) v = v.slice(5);
  if (v.startsWith('[')) v = v.slice(1);
  if (v.endsWith(']')) v = v.slice(0, -1);
  if (v.includes('%')) v = v.replace(/%[A-Z0-9._~-]*$/i, '');
  if (v.includes(':')) v = v.replace(/^0*:0*:(?:0*:)*ffff:(\d+\.\d+\.\d+\.\d+)$/i, '$1');
  return v;
}

/**
 * Tidy the fields as upstream does: no trailing dots, `unknown` means no name, odd characters become `!`.
 * In place: `r` is the parse's own object, so no second one is built.
 */
function clean(r: ReceivedFields): ReceivedFields {
  let rdns = r.rdns;
  if (rdns.endsWith('.')) rdns = rdns.replace(/\.+$/, '');
  if (/^unknown$/i.test(rdns) || rdns.startsWith('[')) rdns = '';
  if (r.envfrom !== '') r.envfrom = bang(r.envfrom.replace(/^\s*<*/, '').replace(/>*\s*$/, ''));
  r.ip = bang(cleanIp(r.ip));
  r.rdns = bang(rdns);
  r.helo = bang(r.helo);
  r.by = bang(r.by.endsWith(';') ? r.by.slice(0, -1) : r.by);
  r.ident = bang(r.ident);
  r.noReverseDns = rdns === '' && r.noReverseDns;
  return r;
}
