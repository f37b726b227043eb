/**
 * The PostgreSQL auto-welcomelist (`auto_welcomelist_factory Mail::SpamAssassin::SQLBasedAddrList`
 * with a `DBI:Pg:` `user_awl_dsn`), in SpamAssassin's awl_pg.sql layout: one row per (username,
 * email, signedby, ip) with msgcount, totscore and last_hit (a timestamp), in the table
 * `user_awl_sql_table` names. The table is created when absent (with the trigger SpamAssassin's
 * script adds, so its updates stamp last_hit too). Counting a message is one statement, so two
 * hosts counting the same sender lose nothing.
 */
import type { PoolClient } from 'pg';
import { parseDbiDsn, pgConnection } from '../../util/dbi-dsn';
import { inTransaction, sharedPool, type SharedPool } from '../../util/pg-pool';
import { AwlError } from '../errors';
import type { AwlSettings } from '../settings';
import type { AddrEntry, AddrKey, AddrListOps, AddrListStore } from '../store';
import type { AwlOpenOptions } from './registry';

interface Row {
  email: string;
  ip: string;
  signedby: string;
  msgcount: string | number;
  totscore: number;
  last_hit: number;
}

const COLS = 'email, ip, signedby, msgcount, totscore, extract(epoch FROM last_hit)::float8 AS last_hit';

const toEntry = (r: Row): AddrEntry => ({ email: r.email, ip: r.ip, signedBy: r.signedby, count: Number(r.msgcount), totalScore: r.totscore, lastHit: Math.floor(r.last_hit) });
const nowSeconds = (): number => Math.floor(Date.now() / 1000);

/** Something that runs a query: the pool, or one transaction's client. */
interface Querier {
  query<R extends object>(text: string, values?: unknown[]): Promise<{ rows: R[]; rowCount: number | null }>;
}

function schema(table: string): string {
  return `
CREATE TABLE IF NOT EXISTS ${table} (
  username varchar(100) NOT NULL DEFAULT '',
  email varchar(255) NOT NULL DEFAULT '',
  ip varchar(40) NOT NULL DEFAULT '',
  msgcount bigint NOT NULL DEFAULT 0,
  totscore float NOT NULL DEFAULT 0,
  signedby varchar(255) NOT NULL DEFAULT '',
  last_hit timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP,
  PRIMARY KEY (username, email, signedby, ip));
CREATE INDEX IF NOT EXISTS ${table}_last_hit ON ${table} (last_hit);
CREATE OR REPLACE FUNCTION update_awl_last_hit() RETURNS trigger AS $fn$
BEGIN
  NEW.last_hit = CURRENT_TIMESTAMP;
  RETURN NEW;
END;
$fn$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS update_awl_update_last_hit ON ${table};
CREATE TRIGGER update_awl_update_last_hit BEFORE UPDATE ON ${table} FOR EACH ROW EXECUTE PROCEDURE update_awl_last_hit();`;
}

/** The operations, on the pool or inside one transaction. */
class PgAddrOps implements AddrListOps {
  constructor(
    protected readonly q: () => Querier,
    protected readonly table: string,
    protected readonly user: string,
    protected readonly wrap: (e: unknown) => Error,
  ) {}

  protected async run<R extends object>(text: string, values: unknown[]): Promise<{ rows: R[]; rowCount: number | null }> {
    try {
      return await this.q().query<R>(text, values);
    } catch (e) {
      throw this.wrap(e);
    }
  }

  async get(k: AddrKey): Promise<AddrEntry | undefined> {
    const r = await this.run<Row>(`SELECT ${COLS} FROM ${this.table} WHERE username = $1 AND email = $2 AND signedby = $3 AND ip = $4`, [this.user, k.email, k.signedBy ?? '', k.ip]);
    return r.rows[0] && toEntry(r.rows[0]);
  }

  async addScore(k: AddrKey, score: number, now = nowSeconds()): Promise<AddrEntry> {
    const r = await this.run<Row>(
      `INSERT INTO ${this.table} (username, email, signedby, ip, msgcount, totscore, last_hit) VALUES ($1, $2, $3, $4, 1, $5, to_timestamp($6))
       ON CONFLICT (username, email, signedby, ip) DO UPDATE SET msgcount = ${this.table}.msgcount + 1, totscore = ${this.table}.totscore + EXCLUDED.totscore, last_hit = EXCLUDED.last_hit
       RETURNING ${COLS}`,
      [this.user, k.email, k.signedBy ?? '', k.ip, score, now],
    );
    return toEntry(r.rows[0]!);
  }

  async put(k: AddrKey, count: number, totalScore: number, now = nowSeconds()): Promise<void> {
    await this.run(
      `INSERT INTO ${this.table} (username, email, signedby, ip, msgcount, totscore, last_hit) VALUES ($1, $2, $3, $4, $5, $6, to_timestamp($7))
       ON CONFLICT (username, email, signedby, ip) DO UPDATE SET msgcount = EXCLUDED.msgcount, totscore = EXCLUDED.totscore, last_hit = EXCLUDED.last_hit`,
      [this.user, k.email, k.signedBy ?? '', k.ip, count, totalScore, now],
    );
  }

  async remove(k: AddrKey): Promise<boolean> {
    const r = await this.run(`DELETE FROM ${this.table} WHERE username = $1 AND email = $2 AND signedby = $3 AND ip = $4`, [this.user, k.email, k.signedBy ?? '', k.ip]);
    return (r.rowCount ?? 0) > 0;
  }

  async removeAddress(email: string, signedBy?: string): Promise<number> {
    const r =
      signedBy === undefined
        ? await this.run(`DELETE FROM ${this.table} WHERE username = $1 AND email = $2`, [this.user, email])
        : await this.run(`DELETE FROM ${this.table} WHERE username = $1 AND email = $2 AND signedby = $3`, [this.user, email, signedBy]);
    return r.rowCount ?? 0;
  }
}

export class PgAddrList extends PgAddrOps implements AddrListStore {
  private ready: Promise<void> | undefined;

  constructor(
    private readonly shared: SharedPool,
    readonly location: string,
    table: string,
    user: string,
  ) {
    super(
      () => shared,
      table,
      user,
      (e) => this.error(e),
    );
  }

  private error(e: unknown): Error {
    if (e instanceof AwlError) return e;
    const err = this.shared.failed(e);
    return Object.assign(new AwlError('HAMLET_ERR_AWL_SERVER', `auto-welcomelist: ${this.location}: ${err.message}`), { repeated: (err as { repeated?: boolean }).repeated ?? false });
  }

  /** Create the table when absent, once per store (a failure is tried again next time). */
  private setUp(): Promise<void> {
    this.ready ??= inTransaction(this.shared, async (c) => {
      const t = await c.query<{ t: string | null }>('SELECT to_regclass($1) AS t', [this.table]);
      if (t.rows[0]!.t === null) {
        await c.query('SELECT pg_advisory_xact_lock($1)', [0x61776c]);
        await c.query(schema(this.table));
      }
    }).catch((e: unknown) => {
      this.ready = undefined;
      throw this.error(e);
    });
    return this.ready;
  }

  protected override async run<R extends object>(text: string, values: unknown[]): Promise<{ rows: R[]; rowCount: number | null }> {
    await this.setUp();
    return super.run<R>(text, values);
  }

  async entries(): Promise<AddrEntry[]> {
    return (await this.run<Row>(`SELECT ${COLS} FROM ${this.table} WHERE username = $1 ORDER BY email, signedby, ip`, [this.user])).rows.map(toEntry);
  }

  async clean(minCount: number): Promise<number> {
    return (await this.run(`DELETE FROM ${this.table} WHERE username = $1 AND msgcount < $2`, [this.user, minCount])).rowCount ?? 0;
  }

  async atomically<T>(fn: (tx: AddrListOps) => Promise<T>): Promise<T> {
    await this.setUp();
    try {
      return await inTransaction(this.shared, (c: PoolClient) => fn(new PgAddrOps(() => c, this.table, this.user, (e) => this.error(e))));
    } catch (e) {
      throw this.error(e);
    }
  }

  close(): Promise<void> {
    return this.shared.release();
  }
}

/** The registry's opener. */
export function openPgAddrList(settings: AwlSettings, opts: AwlOpenOptions): PgAddrList {
  const { dsn, username, password, table } = settings.sql;
  const parsed = parseDbiDsn(dsn);
  if (!parsed) throw new AwlError('HAMLET_ERR_AWL_MODULE', `auto-welcomelist: user_awl_dsn '${dsn}' is not a DBI data source (DBI:Pg:dbname=...;host=...;port=...)`);
  if (!/^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)?$/.test(table)) {
    throw new AwlError('HAMLET_ERR_AWL_MODULE', `auto-welcomelist: user_awl_sql_table '${table}' is not a plain table name`);
  }
  const conn = pgConnection(parsed, username, password);
  const where = `PostgreSQL ${conn.host ?? 'localhost'}:${conn.port ?? 5432}/${conn.database ?? ''} table ${table}`;
  return new PgAddrList(sharedPool(conn), where, table, settings.overrideUsername ?? opts.username ?? '');
}
