/**
 * The per-request log lines spamd 4.0.1 writes, with the same wording and field
 * order, so log parsers written for spamd (mailgraph, logwatch, pflogsumm-style
 * greps, fail2ban filters) read hamletd's log unchanged. Each line also carries
 * its facts as fields, for `--log-format json`. The shapes were taken from real
 * spamd's log for the same requests (test/spamd/spamd-log-lines.test.ts compares them).
 */

/** Where a request came from, as spamd names it. */
export interface PeerInfo {
  /** Reverse name of the client (or its address when it has none); `localhost` for a unix socket. */
  readonly rhost: string;
  readonly raddr: string;
  /** Client port, or the socket path for a unix socket. */
  readonly rport: number | string;
  /** The local port (TCP), or the socket path (unix). */
  readonly local: number | string;
  readonly unix: boolean;
  /** The connection's file descriptor, when Node exposes it. */
  readonly fd?: number;
}

/** One line: its text after `spamd: `, and the same facts as fields. */
export interface SpamdLine {
  readonly text: string;
  readonly fields: Readonly<Record<string, string | number | boolean | readonly string[] | null>>;
}

/** The facts of one answered scan. */
export interface ScanFacts {
  readonly verb: string;
  readonly user: string | undefined;
  readonly uid: number;
  readonly isSpam: boolean;
  readonly score: number;
  readonly required: number;
  readonly tests: readonly string[];
  readonly seconds: number;
  readonly size: number;
  readonly messageId?: string;
  /** Bayes probability, when Bayes ran. */
  readonly bayes?: number;
  /** The autolearn tag (`no autolearn_force=no`, `disabled`, ...). */
  readonly autolearn?: string;
  readonly timedOut: boolean;
}

const who = (user: string | undefined): string => user ?? '(unknown)';
const secs = (s: number): string => s.toFixed(1);

/**
 * A Message-ID as spamd logs it, from the header's raw bytes (a binary string): trimmed,
 * `(unknown)` when absent, and every byte that is not printable ASCII (space included)
 * shown as `?`, so one id is one word.
 */
export function logMessageId(raw: string | undefined): string {
  if (raw === undefined) return '(unknown)';
  const v = raw.trim();
  return v === '' ? '(unknown)' : v.replace(/[^\x21-\x7e]/g, '?');
}

/** `connection from localhost [127.0.0.1]:47268 to port 783, fd 5` / `got connection over /path`. */
export function connectionLine(p: PeerInfo): SpamdLine {
  const fields = { event: 'connection', rhost: p.rhost, raddr: p.raddr, rport: p.rport, lport: p.local, fd: p.fd ?? null };
  if (p.unix) return { text: `got connection over ${p.local}`, fields };
  return { text: `connection from ${p.rhost} [${p.raddr}]:${p.rport} to port ${p.local}, fd ${p.fd ?? -1}`, fields };
}

/** `checking message <mid> for user:uid` (`processing` for PROCESS, whose reply is the message). */
export function messageLine(verb: string, messageId: string | undefined, user: string | undefined, uid: number): SpamdLine {
  const mid = logMessageId(messageId);
  return {
    text: `${verb === 'PROCESS' ? 'processing' : 'checking'} message ${mid} for ${who(user)}:${uid}`,
    fields: { event: 'message', verb, mid, user: who(user), uid },
  };
}

/** `identified spam (18.6/5.0) for user:uid in 0.9 seconds, 1620 bytes.` / `clean message (...) ...`. */
export function verdictLine(f: ScanFacts): SpamdLine {
  const what = f.isSpam ? 'identified spam' : 'clean message';
  return {
    text: `${what} (${f.score.toFixed(1)}/${f.required.toFixed(1)}) for ${who(f.user)}:${f.uid} in ${secs(f.seconds)} seconds, ${f.size} bytes.`,
    fields: { event: 'verdict', spam: f.isSpam, score: Number(f.score.toFixed(1)), required: f.required, user: who(f.user), uid: f.uid, scantime: Number(secs(f.seconds)), size: f.size },
  };
}

/**
 * `result: Y 18 - RULE,RULE scantime=0.9,size=1620,user=...,uid=...,required_score=5.0,rhost=...,
 * raddr=...,rport=...,mid=<...>,bayes=1.000000,autolearn=no autolearn_force=no`: the flag, the
 * score truncated to a whole number in two columns, then comma-separated fields (commas inside
 * the message id become `_`, so the fields still split on commas).
 */
export function resultLine(f: ScanFacts, p: PeerInfo): SpamdLine {
  const mid = logMessageId(f.messageId).replace(/,/g, '_');
  const extra = [
    `scantime=${secs(f.seconds)}`,
    `size=${f.size}`,
    `user=${who(f.user)}`,
    `uid=${f.uid}`,
    `required_score=${f.required.toFixed(1)}`,
    `rhost=${p.rhost}`,
    `raddr=${p.raddr}`,
    `rport=${p.rport}`,
    `mid=${mid}`,
    ...(f.bayes !== undefined ? [`bayes=${f.bayes.toFixed(6)}`] : []),
    `autolearn=${f.autolearn ?? 'no autolearn_force=no'}`,
    // hamlet's own addition, only when a scan was cut short (spamd has no such limit).
    ...(f.timedOut ? ['time_limit_exceeded'] : []),
  ];
  const flag = f.isSpam ? 'Y' : '.';
  return {
    text: `result: ${flag} ${String(Math.trunc(f.score)).padStart(2)} - ${f.tests.join(',')} ${extra.join(',')}`,
    fields: {
      event: 'result',
      spam: f.isSpam,
      score: f.score,
      required: f.required,
      tests: f.tests,
      scantime: Number(secs(f.seconds)),
      size: f.size,
      user: who(f.user),
      uid: f.uid,
      rhost: p.rhost,
      raddr: p.raddr,
      rport: p.rport,
      mid,
      bayes: f.bayes ?? null,
      autolearn: f.autolearn ?? null,
      timed_out: f.timedOut,
    },
  };
}

/** `Tell: Setting local for user:uid in 0.4 seconds, 1620 bytes` (also `Removing local`, `Did nothing`). */
export function tellLine(didSet: readonly string[], didRemove: readonly string[], user: string | undefined, uid: number, seconds: number, size: number): SpamdLine {
  const what = didSet.length > 0 ? `Setting ${didSet.join(',')}` : didRemove.length > 0 ? `Removing ${didRemove.join(',')}` : 'Did nothing';
  return {
    text: `Tell: ${what} for ${who(user)}:${uid} in ${secs(seconds)} seconds, ${size} bytes`,
    fields: { event: 'tell', did_set: didSet, did_remove: didRemove, user: who(user), uid, scantime: Number(secs(seconds)), size },
  };
}
