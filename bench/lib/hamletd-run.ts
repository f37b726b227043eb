/**
 * Start a private hamletd (bin/hamletd.js) on a free loopback port for a bench,
 * logging to a file in a temp dir, and stop it by its PID.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface HamletdServer {
  readonly port: number;
  readonly proc: ChildProcess;
  /** Seconds from spawn to the log's `server started` (workers loaded). */
  readonly startS: number;
  stop(): Promise<void>;
}

/**
 * hamletd with `-L -x -i 127.0.0.1 -p 0`, the rules and site dirs given, every
 * line of `cf` as a `--cf` option and `args` appended (e.g. `-m 2`); `network: true`
 * leaves out `-L` (the cf then names the DNS server); `env` is added to this process's
 * environment (e.g. the service's MALLOC_ARENA_MAX, read by glibc only at start).
 */
export async function startHamletd(opts: { rules: string; site: string; cf: string; args: readonly string[]; network?: boolean; env?: Readonly<Record<string, string>> }): Promise<HamletdServer> {
  const bin = join(__dirname, '..', '..', '..', 'bin', 'hamletd.js');
  const cf = opts.cf.split('\n').filter((l) => l !== '').flatMap((l) => ['--cf', l]);
  // hamletd logs to a file, as spamd does here: a pipe this process drains late would block its writes.
  const dir = mkdtempSync(join(tmpdir(), 'hamletd-bench-'));
  const logPath = join(dir, 'hamletd.log');
  const t0 = performance.now();
  const proc = spawn(process.execPath, [bin, '-C', opts.rules, '--siteconfigpath', opts.site, ...cf, ...(opts.network ? [] : ['-L']), '-x', ...opts.args, '-i', '127.0.0.1', '-p', '0', '-s', logPath], { stdio: 'ignore', env: { ...process.env, ...opts.env } });
  const log = (): string => {
    try {
      return readFileSync(logPath, 'utf8').slice(0, 100_000);
    } catch {
      return '';
    }
  };
  const deadline = Date.now() + 180_000;
  let m: RegExpExecArray | null;
  while (!(m = /server started on 127\.0\.0\.1:(\d+)/.exec(log()))) {
    if (proc.exitCode !== null || Date.now() > deadline) {
      if (proc.exitCode === null) process.kill(proc.pid!, 'SIGKILL');
      rmSync(dir, { recursive: true, force: true });
      throw new Error(`hamletd did not start:\n${log()}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const startS = (performance.now() - t0) / 1000;
  const exited = new Promise<void>((r) => proc.once('exit', () => r()));
  return {
    port: Number(m[1]),
    proc,
    startS,
    stop: async () => {
      if (proc.exitCode === null) process.kill(proc.pid!, 'SIGTERM');
      const kill = setTimeout(() => proc.exitCode === null && process.kill(proc.pid!, 'SIGKILL'), 15_000);
      await exited;
      clearTimeout(kill);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
