/**
 * The four ways bench:hostile runs a message, each under a hard timeout:
 * a CLI (`hamlet -L -t`, `spamassassin -L -t`) timed by its CPU time, and a
 * server (hamletd, spamd) through the real spamc and a timing proxy, timed
 * request -> reply (or, for what that spamc cannot send, a raw request). Each returns what the table and the counts need.
 */
import { readFileSync } from 'node:fs';
import { treeCpuS } from './proc-tree';
import { rawProcess } from './raw-spamc';
import { timedRun } from './timed-run';
import type { TimingProxy } from './timing-proxy';

/** The verdict in a marked-up message's X-Spam-Status (undefined: the message came back unmarked). */
export interface Verdict {
  readonly spam: boolean;
  readonly score: number;
}

export interface CliRun {
  readonly cpuMs: number;
  readonly wallMs: number;
  readonly timedOut: boolean;
  readonly code: number;
  readonly verdict?: Verdict;
  readonly stderr: string;
}

export interface ServerRun {
  /** Request -> reply wall time (the timeout when there was no full reply in time). */
  readonly ms: number;
  readonly timedOut: boolean;
  /** The reply's status line ('' when nothing came back). */
  readonly status: string;
  /** spamc's exit code (with -x, non-zero when it could not have the message filtered). */
  readonly code: number;
  readonly verdict?: Verdict;
}

/** X-Spam-Status from the header block of a marked-up message. */
function verdictIn(text: string): Verdict | undefined {
  const end = text.search(/\r?\n\r?\n/);
  const head = end < 0 ? text : text.slice(0, end + 1);
  const m = /^X-Spam-Status: (Yes|No), score=(-?[\d.]+)/m.exec(head);
  return m ? { spam: m[1] === 'Yes', score: Number(m[2]) } : undefined;
}

/** The verdict in a file holding a marked-up message. */
export function verdictOf(path: string): Verdict | undefined {
  try {
    return verdictIn(readFileSync(path, 'latin1'));
  } catch {
    return undefined;
  }
}

/** Run a CLI (`cmd` reads the message on stdin) on `file`, killed after `timeoutS`. */
export async function runCli(cmd: readonly string[], file: string, outPath: string, timeoutS: number): Promise<CliRun> {
  const r = await timedRun(cmd, file, outPath, timeoutS);
  return { cpuMs: r.cpuMs, wallMs: r.wallMs, timedOut: r.timedOut, code: r.code, verdict: r.timedOut ? undefined : verdictOf(outPath), stderr: r.stderr };
}

/** One message through the real spamc (`-x`: no safe fallback) to the server behind `proxy`. */
export async function runServer(proxy: TimingProxy, file: string, outPath: string, opts: { timeoutS: number; maxSize: number }): Promise<ServerRun> {
  const args = ['/usr/bin/spamc', '-x', '-s', String(opts.maxSize), '-t', String(opts.timeoutS), '-d', '127.0.0.1', '-p', String(proxy.port)];
  await proxy.drain();
  const r = await timedRun(args, file, outPath, opts.timeoutS + 10);
  // spamc may give up without connecting (then there is no exchange).
  const e = (await proxy.drain()).at(-1);
  const timedOut = r.timedOut || !e || !e.complete || e.ms >= opts.timeoutS * 1000;
  const verdict = r.code === 0 ? verdictOf(outPath) : undefined;
  return { ms: timedOut ? Math.max(opts.timeoutS * 1000, e?.ms ?? 0) : e.ms, timedOut, status: e?.status ?? '', code: r.code, verdict };
}

/**
 * One message as a raw PROCESS request (no spamc), zlib-compressed when asked:
 * the installed spamc may lack -z. Timed connect -> end of reply.
 */
export async function runServerRaw(port: number, file: string, opts: { timeoutS: number; zlib?: boolean }): Promise<ServerRun> {
  const e = await rawProcess(port, readFileSync(file), { zlib: opts.zlib, timeoutMs: opts.timeoutS * 1000 });
  const ok = e.complete && /^SPAMD\/\S+ 0 /.test(e.status);
  const text = e.reply.toString('latin1');
  const verdict = ok ? verdictIn(text.slice(text.indexOf('\r\n\r\n') + 4)) : undefined;
  return { ms: e.complete ? e.ms : Math.max(e.ms, opts.timeoutS * 1000), timedOut: !e.complete, status: e.status, code: ok ? 0 : 1, verdict };
}

/** Wait until a server's processes stop using CPU (a scan cut off by the client may still run), at most `maxS`. */
export async function waitIdle(pid: number, maxS: number): Promise<number> {
  const t0 = performance.now();
  for (;;) {
    const c0 = treeCpuS(pid);
    await new Promise((r) => setTimeout(r, 500));
    if (treeCpuS(pid) - c0 < 0.05 || performance.now() - t0 > maxS * 1000) return (performance.now() - t0) / 1000;
  }
}
