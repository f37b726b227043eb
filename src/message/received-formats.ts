/**
 * The Received header shapes the parser in received.ts knows, as data: for the
 * text after `from `, which groups hold the client IP, rDNS, HELO, receiving
 * host and ident, and whether the MTA writing that shape always looks up the
 * client's reverse DNS. Also the shapes that record no network handover.
 */

const IP4 = String.raw`(?:\d{1,3}\.){3}\d{1,3}`;
const IP6 = String.raw`(?:IPv6:)?(?:[0-9a-fA-F]{0,4}:){2,7}(?:[0-9a-fA-F]{0,4}|${IP4})`;
/** An IPv4 or IPv6 address as MTAs print them. */
export const IP = `(?:${IP4}|${IP6})`;
const LOCALHOST = String.raw`(?:localhost(?:\.localdomain)?|127\.0\.0\.1|::1|IPv6:::1)`;

/** `(?<name>...)` groups a format may fill. */
export type Group = 'ip' | 'rdns' | 'helo' | 'by' | 'ident' | 'sub';
export type Groups = Partial<Record<Group, string>>;

export interface Format {
  /** Matched against the header after `from `, whitespace collapsed, date removed. */
  readonly re: RegExp;
  /** Only tried when this also matches (cheap guard for MTA-specific shapes). */
  readonly when?: RegExp;
  /** Not tried when this matches. */
  readonly unless?: RegExp;
  /** Derived: the text must start with this character (skips the regex when it cannot). */
  readonly lead?: string;
  /** Derived: the regex needs a literal ` by `. */
  readonly needsBy: boolean;
  /**
   * Derived: for shapes opening with a first word and a space (`^(?<helo>\S+) \(\[`), the text
   * that must follow the first space (`([`), so most shapes are ruled out without running them.
   */
  readonly afterWord?: string;
  /** The first token is the rDNS too (MTAs that print the looked-up name first). */
  readonly heloIsRdns?: boolean;
  /**
   * The MTA always looks the client up, so an empty rDNS means "it has none".
   * A function decides from the raw groups (qmail writes `unknown` when not told).
   */
  readonly lookedUp?: boolean | ((g: Groups) => boolean);
  /** The `id` in this shape is a server version, not a queue id. */
  readonly noId?: boolean;
  /** This shape names no HELO; ignore any `helo=` elsewhere in the header. */
  readonly noHelo?: boolean;
  /** The HELO is this shape's `helo` group or nothing (no fallback to `helo=` elsewhere). */
  readonly heloOrEmpty?: boolean;
}

type FormatOptions = Omit<Format, 're' | 'lead' | 'needsBy' | 'afterWord'>;

/** True when `src` has a `|` outside any group or class (then no prefix of it is required). */
function hasTopLevelAlternation(src: string): boolean {
  let depth = 0;
  let inClass = false;
  for (let i = 0; i < src.length; i++) {
    const c = src[i];
    if (c === '\\') i++;
    else if (inClass) inClass = c !== ']';
    else if (c === '[') inClass = true;
    else if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === '|' && depth === 0) return true;
  }
  return false;
}

/** See Format.afterWord: the literal characters after `^(?<name>\S+) ` (or `^\S+ `), up to the first non-literal. */
function literalAfterWord(src: string): string | undefined {
  const m = /^\^(?:\(\?<\w+>\\S[+*]\)|\\S[+*]) /.exec(src);
  if (!m || hasTopLevelAlternation(src)) return undefined;
  let lit = '';
  for (let i = m[0].length; i < src.length; ) {
    let ch: string;
    if (src[i] === '\\' && '()[].'.includes(src[i + 1] ?? 'x')) ch = src[i + 1]!;
    else if (/[A-Za-z0-9 :<>@=",-]/.test(src[i]!)) ch = src[i]!;
    else break;
    const next = src[i + (src[i] === '\\' ? 2 : 1)];
    // A quantifier makes the character optional (or repeatable: keep it, then stop).
    if (next === '?' || next === '*' || next === '{') break;
    lit += ch;
    if (next === '+') break;
    i += src[i] === '\\' ? 2 : 1;
  }
  return lit === '' ? undefined : lit;
}

function f(src: string, extra: FormatOptions = {}): Format {
  const lead = src.startsWith(String.raw`^\[`) ? '[' : src.startsWith(String.raw`^\(`) ? '(' : undefined;
  return { re: new RegExp(src), lead, needsBy: src.includes(' by '), afterWord: literalAfterWord(src), ...extra };
}

// qmail prints `unknown` when tcpserver passed it no name: only other names were looked up.
const qmailLookedUp = (g: Groups): boolean => g.rdns !== 'unknown';

/** Shapes of the text after "from ", most specific first; the first that matches wins. */
export const FORMATS: readonly Format[] = [
  // SquirrelMail / NaSMail webmail: the client IP is the one shortly before `by host with HTTP`.
  f(String.raw`(?<ip>${IP})\b(?![.-]).{10,80}by (?<by>\S+) with HTTP`, { when: / \((?:SquirrelMail|NaSMail) authenticated user /, noHelo: true }),
  // Microsoft SMTPSVC: `helo ([ip] ...) by host with Microsoft SMTPSVC`
  f(String.raw`^(?<helo>\S*) \(\[(?<ip>${IP})\][^)]{0,40}\) by (?<by>\S+) with Microsoft SMTPSVC`),
  // Exchange / Office 365: `helo (ip) by host (ip) with Microsoft SMTP Server ... id`
  f(String.raw`^(?<helo>\S+) \(\[?(?<ip>${IP})(?:%[A-Z0-9._~-]*)?\]?\) by (?<by>\S+) `, {
    when: / with (?:Microsoft SMTP Server|mapi id) (?:\([^)]+\) )?\d+\.\d+\.\d+\.\d+(?:$| )/,
    noId: true,
  }),
  // Exim: `[ip] (helo=x ident=y) by host`
  f(String.raw`^\[(?<ip>${IP})\] \((?<sub>.*?)\) by (?<by>\S+) `, { when: /Exim/ }),
  // Exim: `rdns ([ip]:port helo=x) by host`
  f(String.raw`^(?<rdns>\S+) \(\[(?<ip>${IP})\](?<sub>.*?)\) by (?<by>\S+) `, { when: /Exim/, heloIsRdns: true }),
  f(String.raw`^(?<rdns>\S+) \[(?<ip>${IP})\](?::\d+)? by (?<by>\S+) `, { when: /Exim/, heloIsRdns: true }),
  // Postfix: `helo (rdns [ip]) by host (Postfix)`
  f(String.raw`^(?<helo>\S+) \((?<rdns>\S+) ?\[(?<ip>${IP})\]\) by (?<by>\S+) `, { when: / \(Postfix\) with/, lookedUp: true }),
  // Lotus Domino never records the rDNS.
  f(String.raw`^(?<helo>\S+) \(\[(?<ip>${IP})\]\) by (?<by>\S+) \(Lotus`, { when: / \(Lotus Domino /, lookedUp: false }),
  // Sendmail and friends: `helo (ident@rdns [ip] ...) by host (`
  f(String.raw`^(?<helo>\S+) \((?:IDENT:)?(?:(?<ident>[^@\s]*)@)?(?<rdns>\S+) \[(?<ip>${IP})\].*\) by (?<by>\S+) \(`, {
    unless: / by \S+ \(qmail-\S+\) with /,
    lookedUp: true,
  }),
  f(String.raw`^(?<helo>\S+) \((?<rdns>\S+) \[(?<ip>${IP})\]\) by (?<by>\S+) with \S+ \(`, { lookedUp: true }),
  f(String.raw`^(?<rdns>\S+) \(\[(?<ip>${IP})\] helo=(?<helo>\S+)\) by (?<by>\S+) with `),
  f(String.raw`^(?<helo>\S+) \(<unknown\S*>\[(?<ip>${IP})\]\) by (?<by>\S+) `),
  f(String.raw`^(?<helo>\S+) \((?<rdns>\S+\.\S+)\[(?<ip>${IP})\]\) by (?<by>\S+) `, { lookedUp: true }),
  f(String.raw`^(?<helo>\S+) \((?<ident>\S*)@\[(?<ip>${IP})\].*\) by (?<by>\S+) \(`, { lookedUp: true }),
  // qpsmtpd / qmail: `rdns (HELO helo) (ident@ip) by host`
  f(String.raw`^(?<rdns>\S+) \((?:HELO|EHLO) (?<helo>[^ ()]*)\) \((?:(?<ident>\S*)@)?\[?(?<ip>${IP})\]?\)(?: \(envelope-sender <\S+>\))? by (?<by>\S+)`, {
    when: new RegExp(String.raw`^\S+(?: \((?:HELO|EHLO) \S*\))? \((?:\S+@)?\[?${IP}\]?\)(?: \(envelope-sender <\S+>\))? by \S+(?: \(.+\))* with (?:.* )?(?:SMTP|QMQP)(?! id )`),
    lookedUp: qmailLookedUp,
  }),
  f(String.raw`^(?<rdns>\S+) \(LHLO (?<helo>\S*)\) \((?<ip>${IP})\) by (?<by>\S+) with LMTP`),
  f(String.raw`^(?<rdns>\S+) \((?:HELO|EHLO) (?<helo>\S*)\) \[(?<ip>${IP})\] by (?<by>\S+) \([^)]+\) with (?:ESMTP|SMTP)`),
  // Raptor firewall's smtpd does not look names up.
  f(String.raw`^(?<helo>\S+) \(\[(?<ip>${IP})\]\) by (?<by>\S+) via smtpd \(for \S+\) with SMTP\(`),
  f(String.raw`^(?<rdns>\S+) \((?:(?<ident>\S*)@)?\[?(?<ip>${IP})\]?\)(?: \(envelope-sender <\S+>\))? by (?<by>\S+)(?: \(.+\))* with (?:.* )?(?:SMTP|QMQP)(?! id )`, {
    heloIsRdns: true,
    lookedUp: qmailLookedUp,
  }),
  f(String.raw`^\[(?<ip>${IP})\] by (?<by>\S+) via HTTP$`),
  f(String.raw`^\S+ \( \[(?<ip>${IP})\]\).*? by (?<by>\S+) `, { noHelo: true }),
  f(String.raw`^\((?<helo>\S+) \[(?<ip>${IP})\]\) by (?<by>\S+) `),
  f(String.raw`^\[(?<ip>${IP})\] by (?<by>\S+) `),
  f(String.raw`^\(\[?(?<ip>${IP})\]?\) by (?<by>\S+) `),
  f(String.raw`^(?<helo>\S+) \[(?<ip>${IP})\] by (?<by>\S+) \[${IP}\] with `, { lookedUp: true }),
  f(String.raw`^(?<helo>\S+) \[\((?<ip>${IP})\)\] by (?<by>\S+) \(${IP}\) `),
  // Sendmail without rDNS: `helo ([ip]) by host (`
  f(String.raw`^(?<helo>\S+) \(\[(?<ip>${IP})\]\) by (?<by>\S+) \(`, { lookedUp: true }),
  // couriertcpd writes `softdnserr` when the lookup failed: no answer either way.
  f(String.raw`^(?<helo>\S+) \(softdnserr \[(?<ip>${IP})\]\).*? by (?<by>\S+)\b`, { lookedUp: false }),
  f(String.raw`^(?<helo>\S+) \((?<rdns>\S+) \[(?<ip>${IP})\]\).*? by (?<by>\S+)\b`, { lookedUp: true }),
  f(String.raw`^(?<helo>\S+) \(\[(?<ip>${IP})(?:[.:]\d+)?\]\).*? by (?<by>\S+) `, { lookedUp: true }),
  f(String.raw`^(?<rdns>\S+) \((?:HELO|EHLO) (?<helo>[^)]*)\) \((?:(?<ident>\S*)@)?\[?(?<ip>${IP})\]?\).* by (?<by>\S+) `, {
    lookedUp: true,
  }),
  f(String.raw`^(?<rdns>\S+) \((?:(?<ident>\S*)@)?\[?(?<ip>${IP})\]?\).* by (?<by>\S+) `, { heloIsRdns: true, lookedUp: true }),
  f(String.raw`^\[(?<ip>${IP})\] by (?<by>\S+) with http for `),
  f(String.raw`^(?<rdns>\S+)\((?<ip>${IP})\) by (?<by>\S+) via smap `, { lookedUp: true }),
  f(String.raw`^(?<rdns>\S+)\((?<ip>${IP}), (?:HELO|EHLO) (?<helo>\S*)\) by (?<by>\S+) via smap `, { lookedUp: true }),
  f(String.raw`^(?<ip>${IP}) by (?<by>\S+) \((?:SMTPL|InterScan)\b`),
  f(String.raw`^(?<helo>\S+) \((?<rdns>\S+) \[(?<ip>${IP})\]\) by (?<by>\S+) with `, { lookedUp: true }),
  f(String.raw`^(?<rdns>\S+) \((?:HELO|EHLO) (?<helo>\S*)\) \((?:(?<ident>\S+)@)?(?<ip>${IP}).*?\) by (?<by>\S+) with `, { lookedUp: true }),
  f(String.raw`^\[(?<ip>${IP})\] \((?:account \S+ )?(?:HELO|EHLO) (?<helo>\S*)\) by (?<by>\S+) \(`),
  f(String.raw`^(?<rdns>\S+) \(\[(?<ip>${IP})\] verified\) by (?<by>\S+) \(`, { heloIsRdns: true, lookedUp: true }),
  f(String.raw`^\(\[(?<ip>${IP})\]\) by (?<by>\S+) with `),
  f(String.raw`^(?<helo>[^\d]\S+) \((?<ip>${IP})\) by (?<by>\S+) `),
  f(String.raw`^(?<helo>\S+) \(\[(?<ip>${IP})\] \[\S+\]\) by (?<by>\S+) with `),
  f(String.raw`^(?<ip>${IP}) by (?<by>\S+) with `),
  f(String.raw`^(?<helo>\S+) \((?<rdns>\S+)\[(?<ip>${IP})\]\) by (?<by>\S+) `, { lookedUp: true }),
  f(String.raw`^\[(?<ip>${IP})\]\S+ \((?:HELO|EHLO) (?<helo>\S*)\) by (?<by>\S+) `),
  f(String.raw`^(?<ip>${IP}) \((?:HELO|EHLO) (?<helo>\S*)\) by (?<by>\S+) `),
  f(String.raw`^(?<helo>\S+) \[(?<ip>${IP})\] by (?<by>\S+) `),
  f(String.raw`^(?<rdns>\S+)\((?<ip>${IP})\) by (?<by>\S+) `),
  f(String.raw`^(?<helo>\S+) \(unverified \[(?<ip>${IP})\]\) by (?<by>\S+) `),
  f(String.raw`^(?<ip>${IP}) \([A-Za-z][^)]+\) by (?<by>\S+) with `),
  f(String.raw`^\[(?<ip>${IP})\] \((?<sub>[^)]+)\) by (?<by>\S+) `),
  f(String.raw`^(?<rdns>\S+) \((?:\S+@)?(?<ip>${IP})\) by (?<by>\S+) with `),
  // Obtuse smtpd: `rdns(ip), claiming to be "helo" via SMTP by host, id ...`; `UNKNOWN` when it found no name.
  f(String.raw`^(?<rdns>\S+)\((?<ip>${IP})\)(?:, claiming to be "(?<helo>\S+)")? via \S+ by (?<by>\S+),`, {
    heloOrEmpty: true,
    lookedUp: (g) => g.rdns !== 'UNKNOWN',
  }),
  f(String.raw`^X-Originating-IP: (?<ip>${IP})$`),
];

/** Handovers that are not network hops, recognised before any shape is tried. */
export const EARLY_SKIPS: readonly RegExp[] = [/^mail pickup service by \S+ with Microsoft SMTPSVC$/, /^\S+ by \S+ with BSMTP/];

/** Exim's local deliveries, also skipped early; only tried when `with local` occurs (rarely). */
export const EXIM_LOCAL = /Exim.*\bwith local(?:-\S+)? |\bwith local(?:-\S+)? .*Exim/;

/** A POP3/IMAP fetch (fetchmail, getmail): the chain seen so far was our own mailbox's. */
export const FETCHER = /with (?:POP3|IMAP)/;

/**
 * Local deliveries, pickups, list software and MTAs that record no IP,
 * recognised when no shape fits. These are ignored, not "unparseable".
 */
export const LATE_SKIPS: readonly RegExp[] = [
  /^\S+ \(\S+\) by \S+ \(Content Technologies /,
  new RegExp(String.raw`^\S+ \([^\s@]+@${LOCALHOST}\) by \S+ \(`, 'i'),
  /^\S+ \S+ by \S+ with local-e?smtp /,
  /^127\.0\.0\.1 \(AVG SMTP \S+ \[\S+\]\)/,
  /^\S+@\S+ by \S+ /,
  /^Unknown\/Local \(/,
  new RegExp(String.raw`^${LOCALHOST} \((?:\S+@)?${LOCALHOST}[)[]`, 'i'),
  new RegExp(String.raw`^\S+ \((?:\S+@)?${LOCALHOST}\) `, 'i'),
  new RegExp(String.raw`^\S+ \(\S+@\S+ \[${LOCALHOST}\]\) `, 'i'),
  /^\(AUTH: \S+\) by \S+ with /,
  /^localhost \(localhost \[\[UNIX: localhost\]\]\) by /,
  /^\S+\.amazon\.com by \S+\.amazon\.com with ESMTP \(peer crosscheck: /,
  /^[^.]+ by \S+ with Novell_GroupWise/,
  /^no\.name\.available by \S+ via smtpd \(for /,
  /^\S+ by \S+ \(.{0,100}\) with qmail-scanner/,
  /^\S+ by \S+ with local/,
  /^\S+ \(\[unix socket\]\) by \S+ \(Cyrus v\d*?\.\d*?\.\d*?\) with LMTPA/,
  /^\S+ by \S+ (?:with|via|for|\()/,
  /^\S+ (?:(?:with|via|for) \S+|\(unverified\)) by\b/,
  /^\S+ \(unknown\) by \S+ \(SG\) with \b/,
  /^\S+ \(\S+ \[local\]\) by \S+ \(OpenSMTPD\) with \b/,
  /\(LSMTP for/,
  new RegExp(String.raw`^\(\[${LOCALHOST}\]\) with MailEnable `, 'i'),
  /^facebook\.com \([^)]+\) by facebook\.com with Thrift id \S+$/,
  /^\S+ named \S+ by gmailapi\.google\.com with HTTPREST$/,
  /^\S+ id \S+$/,
  /^\[<.*? \(Jetsend/,
];

/** `(from ...)` headers: Norton AntiVirus Gateway's hop, the only one with an IP. */
export const PAREN_FROM_NAVGW = new RegExp(String.raw`^(\S*) \[(${IP})\]\) by (\S+) \(NAVGW .*?\) with `);

/** `(from ...)` headers that are local submissions: sendmail -t, juno's jqueuemail. */
export const PAREN_FROM_SKIPS: readonly RegExp[] = [/^\S+@localhost\) by \S+ /, /^[^\s@]+@[^)]+\) by \S+\(jqueuemail\) id [^\s;]+/];

/** simta's upper-case `FROM helo (rdns [ip]) BY host ID id`. */
export const SIMTA = new RegExp(String.raw`^(\S+) \((\S+) \[(${IP})\]\) BY (\S+) (?:\([^)]+\) WITH SMTP )?ID <?(\S+?)>?(?: FOR <[^>]+>)?$`);

/** The first bracketed IP anywhere: the fallback when no shape fits. */
export const BRACKETED_IP = new RegExp(String.raw`\[(${IP})\]`, 'i');
