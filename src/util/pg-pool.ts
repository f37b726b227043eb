/**
 * One PostgreSQL connection pool per process and server (node-postgres), shared by the Bayes
 * and AWL stores that name the same database, and the server's health as the stores saw it: a
 * server that goes away is reported once (the first failure's error; later ones are marked
 * `repeated` so logs stay quiet), and the pool reconnects by itself when it is back.
 */
import type * as Pg from 'pg';
import { lazy } from './lazy';
import type { PgConnection } from './dbi-dsn';

// node-postgres loads only when a PostgreSQL store is opened.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const pg = lazy(() => require('pg') as typeof Pg);

/** Connections per pool: a hamletd worker scans a few messages at once; learning uses one. */
const POOL_SIZE = 4;
/** A scan does not wait longer than this for a connection or an answer (ms). */
const CONNECT_TIMEOUT_MS = 3000;
const QUERY_TIMEOUT_MS = 15000;

/** Marks an error the store has already reported while the server is down. */
export interface RepeatedError extends Error {
  readonly repeated?: boolean;
}

export class SharedPool {
  readonly pool: Pg.Pool;
  private users = 0;
  private down = false;

  constructor(
    readonly key: string,
    conn: PgConnection,
  ) {
    this.pool = new (pg().Pool)({
      ...conn,
      max: POOL_SIZE,
      connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
      query_timeout: QUERY_TIMEOUT_MS,
      idleTimeoutMillis: 30000,
      allowExitOnIdle: true,
    });
    // An idle client whose server went away: the pool drops it; the next query reconnects.
    this.pool.on('error', () => undefined);
  }

  acquire(): this {
    this.users++;
    return this;
  }

  /** Run a query on any pooled connection, noting the server's health. */
  async query<R extends Pg.QueryResultRow = Pg.QueryResultRow>(text: string, values?: unknown[]): Promise<Pg.QueryResult<R>> {
    try {
      const r = await this.pool.query<R>(text, values);
      this.down = false;
      return r;
    } catch (e) {
      throw this.failed(e);
    }
  }

  /** A client for a transaction (released by the caller), noting the server's health. */
  async connect(): Promise<Pg.PoolClient> {
    try {
      const c = await this.pool.connect();
      this.down = false;
      return c;
    } catch (e) {
      throw this.failed(e);
    }
  }

  /** The error to pass on: a lost server is said once until it answers again. */
  failed(e: unknown): Error {
    const err = e instanceof Error ? e : new Error(String(e));
    if (!isConnectionError(err)) return err;
    // Already judged (a store wrapping what this pool threw): judging it again would mark a first failure repeated.
    if ((err as RepeatedError).repeated !== undefined) return err;
    const repeated = this.down;
    this.down = true;
    return Object.assign(err, { repeated });
  }

  /** One user fewer; the last one ends the pool. */
  async release(): Promise<void> {
    if (--this.users > 0) return;
    pools.delete(this.key);
    await this.pool.end();
  }
}

const pools = new Map<string, SharedPool>();

/** The process's pool for `conn` (one per server, database and user). */
export function sharedPool(conn: PgConnection): SharedPool {
  const key = JSON.stringify([conn.host, conn.port, conn.database, conn.user, conn.password]);
  let p = pools.get(key);
  if (!p) {
    p = new SharedPool(key, conn);
    pools.set(key, p);
  }
  return p.acquire();
}

/** Errors that mean the server is not there (refused, reset, timed out, shutting down), not a bad query. */
export function isConnectionError(e: Error): boolean {
  const code = (e as { code?: string }).code ?? '';
  if (/^(?:ECONNREFUSED|ECONNRESET|ETIMEDOUT|EHOSTUNREACH|ENOTFOUND|EPIPE|57P01|57P02|57P03|08\d\d\d)$/.test(code)) return true;
  return /timeout exceeded when trying to connect|Connection terminated|Client has encountered a connection error|the database system is (?:starting up|shutting down)/i.test(e.message);
}

/** Run `fn` in one transaction on one pooled client: COMMIT when it resolves, ROLLBACK when it throws. */
export async function inTransaction<T>(shared: SharedPool, fn: (c: Pg.PoolClient) => Promise<T>): Promise<T> {
  const c = await shared.connect();
  let broken = false;
  try {
    await c.query('BEGIN');
    const r = await fn(c);
    await c.query('COMMIT');
    return r;
  } catch (e) {
    try {
      await c.query('ROLLBACK');
    } catch {
      broken = true; // the connection is gone: the server rolls the transaction back itself
    }
    throw shared.failed(e);
  } finally {
    c.release(broken);
  }
}
