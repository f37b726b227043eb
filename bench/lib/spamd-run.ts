/**
 * Run a private real spamd (SpamAssassin 4.0.1) on 127.0.0.1 and feed it files
 * through the real spamc, one at a time: the reference side of bench:scan.
 * Only the spamd process started here is stopped, by its PID.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, closeSync, copyFileSync, existsSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LOCAL_ONLY_CF } from './local-only';

export interface SpamdRunOptions {
  readonly rules?: string;
  readonly site?: string;
  /** spamd children (default 1: one core). */
  readonly children?: number;
  /** Configuration lines read after the local-only settings (bench:spamd turns Bayes on with them). */
  readonly extraCf?: string;
  /** More spamd options (bench:hostile sets `--timeout-child`). */
  readonly extraArgs?: readonly string[];
}

export interface SpamdRunResult {
  readonly messages: number;
  readonly seconds: number;
  readonly msgsPerS: number;
  /** spamc -c score by file. */
  readonly scores: Map<string, number>;
  readonly errors: number;
  /** Largest RSS of spamd's processes seen during the run. */
  readonly rssMb: number | undefined;
}

export async function haveSpamd(): Promise<boolean> {
  return existsSync('/usr/sbin/spamd') && existsSync('/usr/bin/spamc');
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => (typeof a === 'object' && a ? resolve(a.port) : reject(new Error('no port'))));
    });
  });
}

export function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const c = createConnection({ host: '127.0.0.1', port });
    c.on('connect', () => {
      c.destroy();
      resolve(true);
    });
    c.on('error', () => resolve(false));
  });
}

/** A site dir: the given site's files plus a local.cf that turns off Bayes, AWL, DNS and external tools. */
export function siteDir(site: string, extraCf = ''): string {
  const dir = mkdtempSync(join(tmpdir(), 'hamlet-spamd-'));
  for (const f of existsSync(site) ? readdirSync(site) : []) {
    if (f.endsWith('.pre') || f.endsWith('.cf')) copyFileSync(join(site, f), join(dir, f));
  }
  writeFileSync(join(dir, 'zz_bench.cf'), `${LOCAL_ONLY_CF}\nifplugin Mail::SpamAssassin::Plugin::AWL\nuse_auto_whitelist 0\nendif\n${extraCf}\n`);
  // spamd drops to nobody when started as root: everything here must be readable.
  chmodSync(dir, 0o755);
  for (const f of readdirSync(dir)) chmodSync(join(dir, f), 0o644);
  return dir;
}

function rssMb(pid: number): number {
  let total = 0;
  const pids = [pid, ...spawnSync('pgrep', ['-P', String(pid)]).stdout.toString().split('\n').filter(Boolean).map(Number)];
  for (const p of pids) {
    try {
      const m = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${p}/status`, 'utf8'));
      if (m) total = Math.max(total, Number(m[1]) / 1024);
    } catch {
      // process gone
    }
  }
  return total;
}

/** Ends a child this bench started: SIGTERM, then SIGKILL after 10 s. */
export async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.pid === undefined) return;
  const done = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await done;
  clearTimeout(timer);
}

/** A private spamd, started once and fed batches of files through spamc. */
export interface SpamdServer {
  /** Where it listens (127.0.0.1) and its parent's PID, for other clients (bench:spamd). */
  readonly port: number;
  readonly pid: number | undefined;
  /** Scan `files` with spamc one at a time; returns what was seen. */
  feed(files: readonly string[]): { seconds: number; errors: number; scores: Map<string, number> };
  /** Largest RSS of spamd's processes seen so far. */
  rssMb(): number | undefined;
  stop(): Promise<void>;
}

/** Start spamd on a free loopback port and wait until it accepts connections. */
export async function startSpamd(opts: SpamdRunOptions = {}): Promise<SpamdServer> {
  const port = await freePort();
  const site = siteDir(opts.site ?? '/etc/spamassassin', opts.extraCf);
  const children = String(opts.children ?? 1);
  const args = ['-L', '-x', '-i', '127.0.0.1', '-p', String(port), '-A', '127.0.0.1', '--max-children', children, '--min-children', children, '--min-spare', '0', '--max-spare', children, '-s', 'stderr', '--siteconfigpath', site];
  if (opts.rules) args.push('-C', opts.rules);
  if (opts.extraArgs) args.push(...opts.extraArgs);
  if (process.getuid?.() === 0) args.push('-u', 'nobody');
  // spamd logs to a file: the spamc loop is synchronous, so a pipe would fill and stall spamd.
  const logPath = join(site, 'spamd.log');
  const logFd = openSync(logPath, 'w');
  const child = spawn('/usr/sbin/spamd', args, { stdio: ['ignore', 'ignore', logFd] });
  closeSync(logFd);
  const logTail = (): string => (existsSync(logPath) ? readFileSync(logPath, 'utf8').slice(-20000) : '');
  const cleanup = async (): Promise<void> => {
    await stop(child);
    rmSync(site, { recursive: true, force: true });
  };
  try {
    const deadline = Date.now() + 120_000;
    while (!(await portOpen(port))) {
      if (child.exitCode !== null) throw new Error(`spamd exited early:\n${logTail()}`);
      if (Date.now() > deadline) throw new Error(`spamd not ready after 120 s:\n${logTail()}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  } catch (e) {
    await cleanup();
    throw e;
  }
  let peak = 0;
  return {
    port,
    pid: child.pid,
    feed(files) {
      const scores = new Map<string, number>();
      let errors = 0;
      const t0 = performance.now();
      files.forEach((f, i) => {
        const r = spawnSync('/usr/bin/spamc', ['-d', '127.0.0.1', '-p', String(port), '-c'], { input: readFileSync(f) });
        const m = /^(-?[\d.]+)\/(-?[\d.]+)/.exec(r.stdout.toString());
        if (m && (r.status === 0 || r.status === 1)) scores.set(f, Number(m[1]));
        else errors++;
        if (i % 100 === 0 && child.pid) peak = Math.max(peak, rssMb(child.pid));
      });
      return { seconds: (performance.now() - t0) / 1000, errors, scores };
    },
    rssMb: () => peak || undefined,
    stop: cleanup,
  };
}

/** Start spamd, scan `files` with spamc one at a time, stop spamd. */
export async function runSpamd(files: readonly string[], opts: SpamdRunOptions = {}): Promise<SpamdRunResult> {
  const server = await startSpamd(opts);
  try {
    const r = server.feed(files);
    return { messages: files.length, seconds: r.seconds, msgsPerS: files.length / r.seconds, scores: r.scores, errors: r.errors, rssMb: server.rssMb() };
  } finally {
    await server.stop();
  }
}
