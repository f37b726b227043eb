/**
 * One Received header -> the handover it records (client IP, rDNS, HELO, receiving
 * host, id, envelope sender, authentication). MTAs write this header in dozens of
 * shapes; each shape is one entry of FORMATS below, tried in order.
 */

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
}

const IP4 = String.raw`(?:\d{1,3}\.){3}\d{1,3}`;
const IP6 = String.raw`(?:IPv6:)?(?:[0-9a-fA-F]{0,4}:){2,7}(?:[0-9a-fA-F]{0,4}|${IP4})`;
const IP = `(?:${IP4}|${IP6})`;
const LOCALHOST = String.raw`(?:localhost(?:\.localdomain)?|127\.0\.0\.1|::1|IPv6:::1)`;

/** `(?<name>...)` groups a format may fill. */
type Group = 'ip' | 'rdns' | 'helo' | 'by' | 'ident' | 'sub';

interface Format {
  /** Matched against the header after `from `, whitespace collapsed, date removed. */
  re: RegExp;
  /** Only tried when this also matches (cheap guard for MTA-specific shapes). */
  when?: RegExp;
  /** Not tried when this matches. */
  unless?: RegExp;
  /** The first token is the rDNS too (MTAs that print the looked-up name first). */
  heloIsRdns?: boolean;
  /** The header says the MTA looked the name up (so an empty rDNS means "none"). */
  lookedUp?: boolean;
  /** The `id` in this shape is a server version, not a queue id. */
  noId?: boolean;
  /** This shape names no HELO; ignore any `helo=` elsewhere in the header. */
  noHelo?: boolean;
}

const f = (re: string, extra: Omit<Format, 're'> = {}): Format => ({ re: new RegExp(re), ...extra });

// Shapes of the text after "from ", most specific first.
const FORMATS: Format[] = [
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
    lookedUp: true,
  }),
  f(String.raw`^(?<rdns>\S+) \((?:HELO|EHLO) (?<helo>\S*)\) \[(?<ip>${IP})\] by (?<by>\S+) \([^)]+\) with (?:ESMTP|SMTP)`),
  f(String.raw`^(?<rdns>\S+) \((?:(?<ident>\S*)@)?\[?(?<ip>${IP})\]?\)(?: \(envelope-sender <\S+>\))? by (?<by>\S+)(?: \(.+\))* with (?:.* )?(?:SMTP|QMQP)(?! id )`, {
    heloIsRdns: true,
    lookedUp: true,
  }),
  f(String.raw`^\[(?<ip>${IP})\] by (?<by>\S+) via HTTP$`),
  f(String.raw`^\S+ \( \[(?<ip>${IP})\]\).*? by (?<by>\S+) `, { noHelo: true }),
  f(String.raw`^\((?<helo>\S+) \[(?<ip>${IP})\]\) by (?<by>\S+) `),
  f(String.raw`^\[(?<ip>${IP})\] by (?<by>\S+) `),
  f(String.raw`^\(\[?(?<ip>${IP})\]?\) by (?<by>\S+) `),
  f(String.raw`^(?<helo>\S+) \[(?<ip>${IP})\] by (?<by>\S+) \[${IP}\] with `, { lookedUp: true }),
  // Sendmail without rDNS: `helo ([ip]) by host (`
  f(String.raw`^(?<helo>\S+) \(\[(?<ip>${IP})\]\) by (?<by>\S+) \(`, { lookedUp: true }),
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
  f(String.raw`^X-Originating-IP: (?<ip>${IP})$`),
];

/** Handovers that are not network hops, recognised before any shape is tried. */
const EARLY_SKIPS: RegExp[] = [/^mail pickup service by \S+ with Microsoft SMTPSVC$/, /Exim.*\bwith local(?:-\S+)? |\bwith local(?:-\S+)? .*Exim/, /^\S+ by \S+ with BSMTP/];

/** A POP3/IMAP fetch (fetchmail, getmail): the chain seen so far was our own mailbox's. */
const FETCHER = /with (?:POP3|IMAP)/;

/** Local deliveries, pickups and list software, recognised when no shape fits. */
const LATE_SKIPS: RegExp[] = [
  new RegExp(String.raw`^\S+ \([^\s@]+@${LOCALHOST}\) by \S+ \(`, 'i'),
  /^\S+ \S+ by \S+ with local-e?smtp /,
  /^\S+@\S+ by \S+ /,
  /^Unknown\/Local \(/,
  new RegExp(String.raw`^${LOCALHOST} \((?:\S+@)?${LOCALHOST}[)[]`, 'i'),
  new RegExp(String.raw`^\S+ \((?:\S+@)?${LOCALHOST}\) `, 'i'),
  new RegExp(String.raw`^\S+ \(\S+@\S+ \[${LOCALHOST}\]\) `, 'i'),
  /^\(AUTH: \S+\) by \S+ with /,
  /^\S+ by \S+ \(.{0,100}\) with qmail-scanner/,
  /^\S+ by \S+ with local/,
  /^\S+ by \S+ (?:with|via|for|\()/,
  /^\S+ (?:(?:with|via|for) \S+|\(unverified\)) by\b/,
  /\(LSMTP for/,
  /^\S+ id \S+$/,
];

const DATE_TAIL =
  /[\s;]+(?:(?:Mon|T(?:ue|hu)|Wed|Fri|S(?:at|un)), )?\d+ (?:J(?:an|u[nl])|Feb|Ma[ry]|A(?:pr|ug)|Sep|Oct|Nov|Dec) \d+ \d+:\d+(?::\d+)? \S+$/;

function authOf(s: string): string {
  let m: RegExpExecArray | null;
  if (/ by /.test(s) && (m = / with ((?:ES|L|UTF8S|UTF8L)MTPS?A|ASMTP|HTTP[SU]?)(?: |;|$)/i.exec(s))) return m[1];
  if ((m = /^from .*?(?:\]\)|\)\]) \(AUTH: (LOGIN|PLAIN|DIGEST-MD5|CRAM-MD5) \S+(?:, .*?)?\) by /.exec(s))) return m[1];
  if (/authenticated/.test(s) && /^from .*?(?:\](?: \([^)]*\))?\)|\)\]) .*?\(.*?authenticated.*?\).*? by/.test(s)) return 'Sendmail';
  if ((m = /\) \(Authenticated sender: \S+\) by \S+ \(([^)]+)\) with /.exec(s))) return m[1] === 'Postfix' ? m[1] : `Postfix (${m[1]})`;
  if (/CommuniGate Pro (?:HTTP|SMTP|XIMSS|IMAP)/.test(s) && / \(account /.test(s)) return 'Communigate';
  if (/ with Microsoft Exchange Server HTTP-DAV\b/.test(s)) return 'HTTP-DAV';
  if (/ by /.test(s) && (m = / \(via (HTTP.?)\)(?: |;|$)/i.exec(s))) return m[1];
  return '';
}

const BRACKETED_IP = new RegExp(String.raw`\[(${IP})\]`, 'i');
const STRIP = /[\s\x00#[\]()<>|]/g;

/**
 * Parse one unfolded Received header value. Returns the fields, `'skip'` for a
 * header that records no network handover, `'fetcher'` for a POP3/IMAP fetch,
 * or undefined when no shape fits.
 */
export function parseReceived(value: string): ReceivedFields | 'skip' | 'fetcher' | undefined {
  let s = value.replace(/\s+/g, ' ').trim();
  while (/\s?;$/.test(s)) s = s.replace(/\s?;$/, '');
  if (!/^\(?from /i.test(s)) return 'skip';
  if (/\bwith local for\b/.test(s)) return 'skip';
  const noIp = /^from (\S+) by [^\s;]+ ?;/i.exec(s);
  if (noIp && !/^\[[\d.]+\]$/.test(noIp[1])) return 'skip';
  s = s.replace(DATE_TAIL, '').replace(/\)by /, ') by ');

  const out: ReceivedFields = { ip: '', rdns: '', helo: '', by: '', id: '', ident: '', envfrom: '', auth: authOf(s) };
  let m = / id <?([^\s<>;]{3,})/.exec(s);
  if (m) out.id = m[1];
  m =
    /\bhelo=([-A-Za-z0-9.^+_&:=?!@%*$\\/]+)(?:[^-A-Za-z0-9.^+_&:=?!@%*$\\/]|$)/.exec(s) ??
    /\b(?:HELO|EHLO) ([-A-Za-z0-9.^+_&:=?!@%*$\\/]+)(?:[^-A-Za-z0-9.^+_&:=?!@%*$\\/]|$)/.exec(s);
  if (m) out.helo = m[1];
  m = / by (\S+)(?:[^-A-Za-z0-9;.]|$)/.exec(s);
  if (m) out.by = m[1];

  let matched = false;
  if (/^from /i.test(s)) {
    const rest = s.replace(/^from /i, '');
    m = /(?:return-path:? |envelope-(?:sender|from)[ =])(\S+)\b/i.exec(rest);
    if (m) out.envfrom = m[1];
    if (EARLY_SKIPS.some((re) => re.test(rest))) return 'skip';
    if (FETCHER.test(rest)) return 'fetcher';
    for (const fmt of FORMATS) {
      if (fmt.when && !fmt.when.test(rest)) continue;
      if (fmt.unless && fmt.unless.test(rest)) continue;
      const g = fmt.re.exec(rest)?.groups as Partial<Record<Group, string>> | undefined;
      if (!g) continue;
      matched = true;
      out.ip = g.ip ?? '';
      out.by = g.by ?? out.by;
      if (g.rdns !== undefined) out.rdns = g.rdns;
      if (g.helo !== undefined) out.helo = g.helo;
      else if (fmt.heloIsRdns && !/\b(?:HELO|EHLO) |helo=/i.test(rest)) out.helo = out.rdns;
      if (g.ident !== undefined) out.ident = g.ident;
      if (g.sub !== undefined) {
        const h = /helo=(\S+)/.exec(g.sub);
        if (h) out.helo = h[1];
        const i = /ident=(\S*)/.exec(g.sub);
        if (i) out.ident = i[1];
      }
      if (fmt.noId) out.id = '';
      if (fmt.noHelo) out.helo = '';
      break;
    }
    if (!matched && LATE_SKIPS.some((re) => re.test(rest))) return 'skip';
    if (!matched && !out.helo) {
      const h = /^(\S+)[^-A-Za-z0-9.]/.exec(rest);
      if (h) out.helo = h[1];
    }
  }
  if (!matched) {
    const ip = BRACKETED_IP.exec(s);
    if (!ip || !out.by) return undefined;
    out.ip = ip[1];
  }
  return clean(out);
}

function clean(r: ReceivedFields): ReceivedFields {
  let rdns = r.rdns.replace(/\.+$/, '');
  if (/^unknown$/i.test(rdns) || rdns.startsWith('[')) rdns = '';
  const ip = r.ip
    .replace(/^ipv6:/i, '')
    .replace(/^\[|\]$/g, '')
    .replace(/%[A-Z0-9._~-]*$/i, '')
    .replace(/^0*:0*:(?:0*:)*ffff:(\d+\.\d+\.\d+\.\d+)$/i, '$1');
  const bang = (v: string) => v.replace(STRIP, '!');
  return {
    ip: bang(ip),
    rdns: bang(rdns),
    helo: bang(r.helo),
    by: bang(r.by.replace(/;$/, '')),
    id: r.id,
    ident: bang(r.ident),
    envfrom: bang(r.envfrom.replace(/^\s*<*/, '').replace(/>*\s*$/, '')),
    auth: r.auth,
  };
}
