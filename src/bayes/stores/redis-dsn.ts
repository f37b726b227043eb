/**
 * SpamAssassin's Redis `bayes_sql_dsn`: semicolon-separated `option=value` pairs, of which
 * `server` (`host:port`, `[v6]:port`, or an absolute Unix socket path), `password` and
 * `database` (a small index for SELECT) mean something; other options are ignored, as
 * SpamAssassin ignores them. An empty DSN is 127.0.0.1:6379, database 0.
 */
import { BayesError } from '../errors';

/** Where the Redis server is and which database, as ioredis takes it. */
export interface RedisTarget {
  readonly host?: string;
  readonly port?: number;
  /** A Unix socket instead of host and port. */
  readonly path?: string;
  readonly db: number;
  readonly password?: string;
  /** For messages: `127.0.0.1:6379/2` or `/run/redis.sock/2` (no password). */
  readonly label: string;
}

const bad = (dsn: string, why: string) => new BayesError('HAMLET_ERR_BAYES_OPEN', `bayes: bayes_sql_dsn '${dsn}': ${why}`);

/** `host:port` / `[v6]:port` / `host` / `/socket` -> where to connect. */
function parseServer(dsn: string, server: string): Pick<RedisTarget, 'host' | 'port' | 'path'> {
  if (server.startsWith('/')) return { path: server };
  const m = /^(?:\[([^\]]+)\]|([^:[\]]+))(?::(\d+))?$/.exec(server);
  if (!m) throw bad(dsn, `server '${server}' is neither host:port, [ipv6]:port nor an absolute socket path`);
  const port = m[3] === undefined ? 6379 : Number(m[3]);
  if (port < 1 || port > 65535) throw bad(dsn, `port ${m[3]} is out of range`);
  return { host: m[1] ?? m[2]!, port };
}

/** Parse a Redis DSN; a clear error (naming the DSN, never its password) when it cannot be used. */
export function parseRedisDsn(dsn: string): RedisTarget {
  const opts = new Map<string, string>();
  for (const part of dsn.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0) opts.set(part.slice(0, eq).trim().toLowerCase(), part.slice(eq + 1).trim());
  }
  const shown = dsn.replace(/(password=)[^;]*/i, '$1***');
  const where = parseServer(shown, opts.get('server') || '127.0.0.1:6379');
  const dbText = opts.get('database') ?? '0';
  if (!/^\d{1,5}$/.test(dbText)) throw bad(shown, `database '${dbText}' is not a database index`);
  const db = Number(dbText);
  const password = opts.get('password') || undefined;
  const label = `${where.path ?? (where.host!.includes(':') ? `[${where.host}]` : where.host) + ':' + where.port}/${db}`;
  return { ...where, db, password, label };
}
