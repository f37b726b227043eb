/**
 * Start a real hamletd (bin/hamletd.js, as users run it) on 127.0.0.1 port 0 or a
 * unix socket, talk raw SPAMC to it, stop it by its PID.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, copyFileSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { connect, createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const BIN = join(__dirname, '..', '..', '..', 'bin', 'hamletd.js');
export const STOCK_RULES = '/usr/share/spamassassin';
export const SAMPLE_SPAM = '/usr/share/doc/spamassassin/examples/sample-spam.txt';
export const SAMPLE_HAM = '/usr/share/doc/spamassassin/examples/sample-nonspam.txt';

/** A small rule set (stock templates + a few rules) that loads in well under a second. */
export function smallRules(extra = ''): string {
  const dir = mkdtempSync(join(tmpdir(), 'hamletd-rules-'));
  copyFileSync(join(STOCK_RULES, '10_default_prefs.cf'), join(dir, '10_default_prefs.cf'));
  writeFileSync(
    join(dir, '50_test.cf'),
    [
      'required_score 5',
      'body GTUBE /XJS\\*C4JDBQADN1\\.NSBN3\\*2IDNEN\\*GTUBE-STANDARD-ANTI-UBE-TEST-EMAIL\\*C\\.34X/',
      'describe GTUBE Generic Test for Unsolicited Bulk Email',
      'score GTUBE 1000',
      'header SUBJ_HELLO Subject =~ /hello/i',
      'describe SUBJ_HELLO Subject says hello',
      'score SUBJ_HELLO 1.5',
      'body BODY_CHEAP /cheap/i',
      'score BODY_CHEAP 2.5',
      // Catastrophic backtracking on a line of x's that does not end the line. The lookbehind keeps
      // V8's linear engine from taking it (plain `(x+x+)+$` is bounded once translated).
      'body XX_BACKTRACK /(x+x+)+(?<!y)$/',
      'score XX_BACKTRACK 0.1',
      extra,
    ].join('\n') + '\n',
  );
  return dir;
}

/**
 * The arguments that run hamletd as `nobody` when the tests run as root (as
 * spamd, hamletd refuses --virtual-config-dir as root without -u): `rules`
 * becomes readable by everyone and each of `trees` is given to nobody.
 */
export function unprivileged(rules: string, trees: readonly string[]): string[] {
  if (process.getuid?.() !== 0) return [];
  chmodSync(rules, 0o755);
  for (const f of readdirSync(rules)) chmodSync(join(rules, f), 0o644);
  const give = (p: string): void => {
    chownSync(p, 65534, 65534);
    if (lstatSync(p).isDirectory()) for (const f of readdirSync(p)) give(join(p, f));
  };
  for (const t of trees) give(t);
  return ['-u', 'nobody'];
}

export interface Running {
  readonly proc: ChildProcess;
  readonly pid: number;
  readonly port: number;
  readonly addresses: string[];
  log(): string;
  /** SIGTERM and wait; resolves with the exit code. */
  stop(): Promise<number | null>;
}

/** Start hamletd; `args` come after `-s stderr`. Listens on 127.0.0.1:0 unless args say otherwise. */
export async function startHamletd(args: readonly string[], opts: { listenDefault?: boolean; timeoutMs?: number; env?: NodeJS.ProcessEnv } = {}): Promise<Running> {
  const listen = opts.listenDefault === false ? [] : ['-i', '127.0.0.1', '-p', '0'];
  const proc = spawn(process.execPath, [BIN, '-s', 'stderr', ...listen, ...args], { stdio: ['ignore', 'ignore', 'pipe'], env: opts.env });
  let log = '';
  proc.stderr!.on('data', (d: Buffer) => (log += d.toString()));
  const exited = new Promise<number | null>((r) =>
    proc.once('exit', (code, signal) => {
      if (signal) log += `(helpers: hamletd ended by ${signal})\n`;
      r(code);
    }),
  );
  const deadline = Date.now() + (opts.timeoutMs ?? 60_000);
  while (!/server started on (.*) \(running/.test(log)) {
    if (proc.exitCode !== null) throw new Error(`hamletd exited (${proc.exitCode}):\n${log}`);
    if (Date.now() > deadline) {
      proc.kill('SIGKILL');
      throw new Error(`hamletd did not start:\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  const addresses = /server started on (.*) \(running/.exec(log)![1]!.split(', ');
  const tcp = addresses.find((a) => /:\d+$/.test(a));
  return {
    proc,
    pid: proc.pid!,
    port: tcp ? Number(/:(\d+)$/.exec(tcp)![1]) : 0,
    addresses,
    log: () => log,
    stop: async () => {
      // It may have exited already (its exit event not yet seen here): that is for the caller's assertions.
      if (proc.exitCode === null) {
        try {
          process.kill(proc.pid!, 'SIGTERM');
        } catch {
          // ESRCH
        }
      }
      return exited;
    },
  };
}

export interface RawOptions {
  /** Half-close after sending (spamc, Haraka); default true. */
  readonly halfClose?: boolean;
  readonly timeoutMs?: number;
  /** Send in pieces with a delay (ms) between them. */
  readonly pieces?: { readonly size: number; readonly delayMs: number };
}

/** Send `bytes`, collect everything until the server closes. */
export function raw(where: number | string, bytes: Buffer | string, o: RawOptions = {}): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const sock: Socket = typeof where === 'number' ? connect({ host: '127.0.0.1', port: where }) : connect(where);
    const chunks: Buffer[] = [];
    const data = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes, 'latin1');
    const timer = setTimeout(() => {
      sock.destroy();
      reject(new Error(`no close within ${o.timeoutMs ?? 30000} ms; got ${JSON.stringify(Buffer.concat(chunks).toString('latin1'))}`));
    }, o.timeoutMs ?? 30_000);
    sock.on('data', (d: Buffer) => chunks.push(d));
    sock.on('error', () => {}); // a reset after the reply is fine; what arrived counts
    sock.on('close', () => {
      clearTimeout(timer);
      resolve(Buffer.concat(chunks));
    });
    sock.on('connect', async () => {
      if (o.pieces) {
        for (let i = 0; i < data.length && !sock.destroyed; i += o.pieces.size) {
          sock.write(data.subarray(i, i + o.pieces.size));
          await new Promise((r) => setTimeout(r, o.pieces!.delayMs));
        }
      } else sock.write(data);
      if (o.halfClose !== false && !sock.destroyed) sock.end();
    });
  });
}

/** A request with Content-length. */
export function request(verb: string, msg: Buffer | string, headers: Record<string, string> = {}, version = '1.5'): Buffer {
  const body = Buffer.isBuffer(msg) ? msg : Buffer.from(msg, 'latin1');
  const h = Object.entries({ ...headers, 'Content-length': String(body.length) })
    .map(([k, v]) => `${k}: ${v}\r\n`)
    .join('');
  return Buffer.concat([Buffer.from(`${verb} SPAMC/${version}\r\n${h}\r\n`, 'latin1'), body]);
}

/** Where test/spamd/clients/install.sh put the npm clients (Haraka, npm spamc). */
export function clientsDir(): string {
  return process.env.HAMLET_SPAMD_CLIENTS ?? join(process.env.HOME ?? '/root', '.cache', 'hamlet-spamd-clients');
}

/** A free TCP port on 127.0.0.1 (for third-party servers that cannot take port 0). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const a = srv.address();
      srv.close(() => (typeof a === 'object' && a ? resolve(a.port) : reject(new Error('no port'))));
    });
  });
}

/** Wait until `ready()` or `ms` pass; false on time-out. */
export async function waitFor(ready: () => boolean, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (!ready()) {
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 100));
  }
  return true;
}

/** Wait until something accepts TCP connections on 127.0.0.1:`port` (or `gaveUp()`); false on time-out. */
export async function portOpen(port: number, ms: number, gaveUp: () => boolean = () => false): Promise<boolean> {
  let open = false;
  const probe = (): void => {
    const c = connect({ host: '127.0.0.1', port }, () => {
      open = true;
      c.destroy();
    });
    c.on('error', () => setTimeout(probe, 200));
  };
  probe();
  return (await waitFor(() => open || gaveUp(), ms)) && open;
}

/** A small rules directory with the stock templates and Bayes rules (BAYES_* scored), readable by everyone, plus `extra`. */
export function bayesRules(dir: string, extra = ''): string {
  const rules = join(dir, 'rules');
  mkdirSync(rules);
  copyFileSync(join(STOCK_RULES, '10_default_prefs.cf'), join(rules, '10_default_prefs.cf'));
  copyFileSync(join(STOCK_RULES, '23_bayes.cf'), join(rules, '23_bayes.cf'));
  writeFileSync(join(rules, 'init.pre'), 'loadplugin Mail::SpamAssassin::Plugin::Bayes\n');
  writeFileSync(join(rules, '50_scores.cf'), `required_score 5\nscore BAYES_99 3.5\nscore BAYES_999 0.2\nscore BAYES_00 -1.9\nscore BAYES_50 0.8\n${extra}`);
  chmodSync(rules, 0o755);
  for (const f of readdirSync(rules)) chmodSync(join(rules, f), 0o644);
  return rules;
}
