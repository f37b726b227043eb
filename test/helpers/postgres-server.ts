/**
 * A throwaway PostgreSQL server for tests: `initdb` into a temporary directory, `postgres` on
 * 127.0.0.1 and a free port (its socket in the same directory), stopped by its PID. As root the
 * server runs as `nobody` (PostgreSQL refuses root), through `setpriv`, which execs: the PID we
 * hold is the postmaster's. Without the binaries, `startPostgres` returns undefined and the
 * caller skips visibly.
 *
 *   const pg = await startPostgres();
 *   if (!pg) { t.skip('PostgreSQL binaries not installed'); return; }
 *   try { ... pg.dsn ... } finally { await pg.stop(); }
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../spamd/helpers';

export interface PostgresServer {
  readonly host: string;
  readonly port: number;
  /** The superuser (trust authentication on this server). */
  readonly user: string;
  readonly database: string;
  /** `DBI:Pg:dbname=...;host=127.0.0.1;port=...`, as SpamAssassin's options take it. */
  readonly dsn: string;
  readonly pid: number;
  /** Stop the server (SIGINT: fast shutdown), then remove its directory. */
  stop(): Promise<void>;
  /** Stop the server but keep its data, and start it again on the same port with `restart`. */
  pause(): Promise<void>;
  restart(): Promise<void>;
}

/** PostgreSQL's server binaries (Debian keeps them under /usr/lib/postgresql/<version>/bin). */
export function postgresBin(): string | undefined {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root).filter((v) => existsSync(join(root, v, 'bin', 'postgres'))).sort((a, b) => Number(b) - Number(a));
  return versions[0] === undefined ? undefined : join(root, versions[0], 'bin');
}

/** Why PostgreSQL tests cannot run here, or undefined when they can. */
export function postgresMissing(): string | undefined {
  return postgresBin() ? undefined : 'PostgreSQL server binaries are not installed (Debian package postgresql)';
}

/** The command prefix that drops root to nobody (PostgreSQL will not run as root). */
function asServerUser(): string[] {
  return process.getuid?.() === 0 ? ['setpriv', '--reuid=nobody', '--regid=nogroup', '--clear-groups', '--'] : [];
}

function nobodyIds(): [number, number] | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const u = spawnSync('id', ['-u', 'nobody'], { encoding: 'utf8' });
  const g = spawnSync('getent', ['group', 'nogroup'], { encoding: 'utf8' });
  return [Number(u.stdout.trim()), Number(g.stdout.split(':')[2])];
}

function run(cmd: string[], what: string): void {
  const r = spawnSync(cmd[0]!, cmd.slice(1), { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${what} failed: ${r.stderr || r.stdout}`);
}

/** Wait until the server accepts connections (pg_isready), or fail after `ms`. */
async function waitReady(bin: string, port: number, child: ChildProcess, ms: number): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new Error(`postgres exited with ${child.exitCode}`);
    const r = spawnSync(join(bin, 'pg_isready'), ['-h', '127.0.0.1', '-p', String(port), '-q'], { encoding: 'utf8' });
    if (r.status === 0) return;
    await new Promise((r2) => setTimeout(r2, 100));
  }
  throw new Error('postgres did not become ready');
}

/** Start a fresh server; undefined when PostgreSQL is not installed. */
export async function startPostgres(): Promise<PostgresServer | undefined> {
  const bin = postgresBin();
  if (!bin) return undefined;
  const dir = mkdtempSync(join(tmpdir(), 'hamlet-pg-'));
  const data = join(dir, 'data');
  const ids = nobodyIds();
  if (ids) chownSync(dir, ids[0], ids[1]);
  const user = 'postgres';
  run([...asServerUser(), join(bin, 'initdb'), '-D', data, '-U', user, '--auth=trust', '-E', 'UTF8', '--locale=C', '--no-sync'], 'initdb');
  const port = await freePort();
  let child: ChildProcess;
  const launch = async (): Promise<void> => {
    const cmd = [...asServerUser(), join(bin, 'postgres'), '-D', data, '-k', dir, '-p', String(port), '-h', '127.0.0.1', '-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off', '-c', 'max_connections=60'];
    child = spawn(cmd[0]!, cmd.slice(1), { stdio: ['ignore', 'ignore', 'pipe'] });
    child.stderr!.resume();
    await waitReady(bin, port, child, 20000);
  };
  const halt = async (): Promise<void> => {
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    process.kill(child.pid!, 'SIGINT');
    await exited;
  };
  await launch();
  const database = 'postgres';
  return {
    host: '127.0.0.1',
    port,
    user,
    database,
    dsn: `DBI:Pg:dbname=${database};host=127.0.0.1;port=${port}`,
    get pid() {
      return child.pid!;
    },
    stop: async () => {
      await halt();
      rmSync(dir, { recursive: true, force: true });
    },
    pause: halt,
    restart: launch,
  };
}
