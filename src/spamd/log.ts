/**
 * hamletd's log, where spamd's `-s` points it: `stderr`, `null`, `file`
 * (./hamletd.log), a path (anything with characters other than a-z0-9), or a
 * syslog facility name (through the system's `logger` tool, since Node has no
 * syslog client). Text lines look like spamd's, time stamp included:
 * `<date> [pid] <level>: <area>: <text>`, where the area is `spamd` for the lines
 * spamd writes too (spamd-lines.ts) and `hamletd` for hamletd's own. With
 * `--log-format json` each line is one JSON object with the same facts as fields.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, openSync, writeSync } from 'node:fs';

export type Level = 'debug' | 'info' | 'warn' | 'error';

export type LogFormat = 'text' | 'json';

/** What a line says besides its text: its area (default `hamletd`) and, for JSON, its facts. */
export interface LogFacts {
  readonly area?: string;
  readonly fields?: Readonly<Record<string, unknown>>;
}

export interface Logger {
  (level: Level, text: string, facts?: LogFacts): void;
  /** Reopen a log file (after rotation; SIGHUP). */
  reopen(): void;
  close(): void;
}

const SEVERITY: Record<Level, number> = { debug: 7, info: 6, warn: 4, error: 3 };
const FACILITIES: Record<string, number> = { kern: 0, user: 1, mail: 2, daemon: 3, auth: 4, syslog: 5, lpr: 6, news: 7, local0: 16, local1: 17, local2: 18, local3: 19, local4: 20, local5: 21, local6: 22, local7: 23 };

/** Make a logger for `-s <target>`; `debug` lines only when asked for. */
export function makeLogger(
  logTarget: string,
  debug = false,
  stderr: (s: string) => void = (s) => void process.stderr.write(s),
  format: LogFormat = 'text',
): Logger {
  let target = logTarget;
  // spamd stamps stderr lines `Dec  7 05:45:54.470` and file lines `Mon Dec  7 05:45:54 2026`.
  const timeOf = (): string => (target === 'stderr' ? stderrStamp(new Date()) : stamp(new Date()));
  // A JSON line carries its own time, pid and level.
  const line = (level: Level, text: string): string => (format === 'json' ? `${text}\n` : `${timeOf()} [${process.pid}] ${level}: ${text}\n`);
  let write: (level: Level, text: string) => void;
  let reopen = (): void => {};
  let close = (): void => {};
  const syslog = /^[a-z0-9]+$/.test(target) && !['stderr', 'null', 'file'].includes(target);
  if (syslog && !existsSync('/dev/log')) {
    // No syslog daemon to hand lines to: say so once and keep them on stderr.
    const note = `no /dev/log: logging to stderr instead of syslog facility ${target}`;
    stderr(line('warn', format === 'json' ? jsonLine('warn', 'hamletd', note, undefined) : `hamletd: ${note}`));
    target = 'stderr';
  }
  if (target === 'stderr') {
    write = (level, text) => stderr(line(level, text));
  } else if (target === 'null') {
    write = () => {};
  } else if (/^[a-z0-9]+$/.test(target) && target !== 'file') {
    const facility = FACILITIES[target] ?? FACILITIES.mail!;
    let child: ChildProcess | undefined;
    const start = (): void => {
      child = spawn('logger', ['--prio-prefix', '-t', 'hamletd', '--id=' + process.pid], { stdio: ['pipe', 'ignore', 'ignore'] });
      child.on('error', () => (child = undefined));
      child.stdin?.on('error', () => {});
    };
    start();
    write = (level, text) => {
      // syslog carries the level as the priority; the message is spamd's `<area>: <text>`.
      if (child?.stdin?.writable) child.stdin.write(`<${facility * 8 + SEVERITY[level]}>${text.replace(/\n/g, ' ')}\n`);
      else stderr(line(level, text));
    };
    reopen = () => {
      child?.stdin?.end();
      start();
    };
    close = () => child?.stdin?.end();
  } else {
    const path = target === 'file' ? 'hamletd.log' : target;
    let fd = openSync(path, 'a');
    write = (level, text) => void writeSync(fd, line(level, text));
    reopen = () => {
      const old = fd;
      fd = openSync(path, 'a');
      closeSync(old);
    };
    close = () => closeSync(fd);
  }
  const log = ((level: Level, text: string, facts?: LogFacts) => {
    if (level === 'debug' && !debug) return;
    const area = facts?.area ?? 'hamletd';
    if (format === 'json') write(level, jsonLine(level, area, text, facts?.fields));
    else write(level, `${area}: ${escapeLogText(text)}`);
  }) as Logger;
  log.reopen = reopen;
  log.close = close;
  return log;
}

/**
 * Characters that could forge, split or hide log lines: C0 controls (NUL, CR, LF,
 * ESC...), DEL, C1 controls (0x85 is a line break to some readers, 0x9B a terminal
 * CSI), Unicode line/paragraph separators and bidi overrides. Client text (User,
 * message ids, request lines) reaches the log through many paths, so every line
 * is escaped here, in one place.
 */
const UNSAFE = /[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/** `text` with unsafe characters written as `\xHH` (or `\u{HHHH}`); everything else as is. */
export function escapeLogText(text: string): string {
  return text.replace(UNSAFE, (c) => {
    const n = c.charCodeAt(0);
    return n <= 0xff ? `\\x${n.toString(16).padStart(2, '0')}` : `\\u{${n.toString(16)}}`;
  });
}

/** One JSON object: time, pid, level, area, the text as `msg`, then the line's facts. */
function jsonLine(level: Level, area: string, text: string, fields: Readonly<Record<string, unknown>> | undefined): string {
  const json = JSON.stringify({ time: new Date().toISOString(), pid: process.pid, level, area, msg: text, ...fields });
  // JSON escapes C0 controls itself; the rest of the unsafe set is written as \uXXXX escapes too.
  return json.replace(UNSAFE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** spamd's log-file time stamp, Perl's `scalar localtime`: `Mon Dec  7 05:45:54 2026`. */
export function stamp(d: Date): string {
  const p = d.toString().split(' '); // Mon Dec 07 2026 05:45:54 GMT+0000 (...)
  return `${p[0]} ${p[1]} ${String(d.getDate()).padStart(2)} ${p[4]} ${p[3]}`;
}

/** spamd's stderr time stamp: `Dec  7 05:45:54.470` (local time, milliseconds). */
export function stderrStamp(d: Date): string {
  const p = d.toString().split(' ');
  return `${p[1]} ${String(d.getDate()).padStart(2)} ${p[4]}.${String(d.getMilliseconds()).padStart(3, '0')}`;
}
