/**
 * A private redis-server for tests and benches: a temporary directory, a free port on 127.0.0.1,
 * no persistence; stopped (and restarted, for fault tests) by its PID. Tests that need one skip
 * themselves, visibly, when redis-server is not installed.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../spamd/helpers';

/** Why Redis tests cannot run here, or false when they can. */
export function redisMissing(): string | false {
  return spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0 ? false : 'redis-server is not installed';
}

export interface RedisServer {
  readonly port: number;
  readonly dir: string;
  /** The server's PID (while running). */
  pid(): number | undefined;
  /** `server=127.0.0.1:PORT;database=N`, as bayes_sql_dsn takes it. */
  dsn(database?: number): string;
  /** Stop the server (SIGTERM to its PID) and wait for it to exit. */
  stop(): Promise<void>;
  /** Start it again on the same port (the data is gone unless started with `persist`). */
  start(): Promise<void>;
  /** Stop it and remove its directory. */
  close(): Promise<void>;
}

/** True once something accepts connections on the port. */
function accepting(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const c = connect({ host: '127.0.0.1', port });
    c.once('connect', () => {
      c.destroy();
      resolve(true);
    });
    c.once('error', () => resolve(false));
  });
}

/** `persist`: an append-only file synced on every write, so data outlives a restart (fault tests). */
export async function startRedis(opts: { persist?: boolean } = {}): Promise<RedisServer> {
  const dir = mkdtempSync(join(tmpdir(), 'hamlet-redis-'));
  const port = await freePort();
  let child: ChildProcess | undefined;
  const start = async (): Promise<void> => {
    const aof = opts.persist ? ['--appendonly', 'yes', '--appendfsync', 'always'] : ['--appendonly', 'no'];
    const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', ...aof, '--dir', dir, '--daemonize', 'no', '--loglevel', 'warning'];
    const c = spawn('redis-server', args, { stdio: 'ignore' });
    child = c;
    const deadline = Date.now() + 10000;
    while (!(await accepting(port))) {
      if (c.exitCode !== null) throw new Error(`redis-server exited (${c.exitCode}) on port ${port}`);
      if (Date.now() > deadline) throw new Error(`redis-server did not listen on port ${port} within 10 s`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  const stop = async (): Promise<void> => {
    const c = child;
    child = undefined;
    if (!c || c.exitCode !== null || c.pid === undefined) return;
    const exited = new Promise<void>((r) => c.once('exit', () => r()));
    process.kill(c.pid, 'SIGTERM');
    await exited;
  };
  await start();
  return {
    port,
    dir,
    pid: () => child?.pid,
    dsn: (database = 0) => `server=127.0.0.1:${port};database=${database}`,
    stop,
    start,
    close: async () => {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
