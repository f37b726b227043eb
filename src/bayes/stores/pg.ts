/**
 * The PostgreSQL Bayes backend (`bayes_store_module Mail::SpamAssassin::BayesStore::PgSQL`, or
 * `::SQL` with a `DBI:Pg:` DSN), data-compatible with SpamAssassin's: per-user rows under
 * `bayes_vars.id` (the user is `bayes_sql_override_username`, else the scanning user), tokens
 * as 5-byte `bytea` (hamlet's 40-bit hash, big-endian: the last five bytes of the SHA-1, as
 * SpamAssassin keys them), `bayes_seen`, and the counters SpamAssassin keeps in `bayes_vars`.
 *
 * A classification is one query (`token = ANY(...)` joined to the user's counters); a learned
 * batch is one transaction whose changes are sent as a few set-based statements at commit.
 * hamlet's own writers queue on a per-user advisory lock, so two learners never deadlock.
 */
import type { PoolClient, QueryConfig, QueryResultRow } from 'pg';
import { parseDbiDsn, pgConnection } from '../../util/dbi-dsn';
import { inTransaction, sharedPool, type SharedPool } from '../../util/pg-pool';
import { BayesError } from '../errors';
import { hashToHex } from '../hash';
import type { BayesSettings } from '../settings';
import { type BayesStore, type BayesWriter, type ExpiryVar, type SeenFlag, type StoreVars, type TokenCounts, type TokenLookup } from '../store';
import type { TokenDeltas } from '../token-deltas';
import { TouchBuffer } from '../touch-buffer';
import type { BayesOpenOptions } from './registry';
import { ensureBayesSchema } from './pg-schema';
import { PgBayesWriter } from './pg-writer';
import { PAGE_ROWS, VARS_SQL, varsFromRow, type VarsRow } from './pg-vars';

/** Advisory-lock class of hamlet's Bayes writers (the second key is the user's id). */
const WRITE_LOCK = 0x6862;
/** How long a learner waits for another's batch on the same user's rows (a slow server under load). */
const LOCK_WAIT_MS = 10 * 60_000;
/** SQLSTATEs worth running a write transaction again for: deadlock, serialization failure. */
const RETRY_CODES = new Set(['40P01', '40001']);

const LOOKUP_SQL = `
SELECT v.spam_count AS nspam, v.ham_count AS nham,
  (SELECT coalesce(json_agg(json_build_array(encode(t.token, 'hex'), t.spam_count, t.ham_count)), '[]'::json)
     FROM bayes_token t
    WHERE t.id = v.id AND t.token IN (SELECT decode(x, 'hex') FROM unnest($2::text[]) x)) AS toks
FROM bayes_vars v WHERE v.username = $1`;


/** SQLSTATE of a missing table: a database nobody has set up reads as empty. */
const UNDEFINED_TABLE = '42P01';


const sqlState = (e: unknown): string => String((e as { code?: unknown }).code ?? '');

export class PgBayesStore implements BayesStore {
  readonly readonly: boolean;
  private readonly touches = new TouchBuffer();
  private userId: number | undefined;
  private closed = false;

  constructor(
    private readonly shared: SharedPool,
    readonly location: string,
    /** Whose rows (`bayes_vars.username`). */
    readonly username: string,
    readonly = false,
  ) {
    this.readonly = readonly;
  }

  private wrap(e: unknown): Error {
    if (e instanceof BayesError) return e;
    const err = e instanceof Error ? e : new Error(String(e));
    return Object.assign(new BayesError('HAMLET_ERR_BAYES_SERVER', `bayes: ${this.location}: ${err.message}`), { repeated: (err as { repeated?: boolean }).repeated ?? false });
  }

  private async read<T>(fn: () => Promise<T>, empty: T): Promise<T> {
    try {
      return await fn();
    } catch (e) {
      if (sqlState(e) === UNDEFINED_TABLE) return empty;
      throw this.wrap(e);
    }
  }

  vars(): Promise<StoreVars> {
    return this.read(async () => varsFromRow((await this.shared.query<VarsRow>(VARS_SQL, [this.username])).rows[0]), varsFromRow(undefined));
  }

  async messageCounts(): Promise<{ nspam: number; nham: number }> {
    const v = await this.vars();
    return { nspam: v.nspam, nham: v.nham };
  }

  lookup(hashes: readonly number[]): Promise<TokenLookup> {
    const empty: TokenLookup = { nspam: 0, nham: 0, hashes: [], spam: [], ham: [] };
    return this.read(async () => {
      const r = await this.shared.query<{ nspam: number; nham: number; toks: Array<[string, number, number]> }>(LOOKUP_SQL, [this.username, hashes.map(hashToHex)]);
      const row = r.rows[0];
      if (!row) return empty;
      const out: TokenLookup = { nspam: row.nspam, nham: row.nham, hashes: [], spam: [], ham: [] };
      for (const [hex, s, h] of row.toks) {
        out.hashes.push(parseInt(hex, 16));
        out.spam.push(s);
        out.ham.push(h);
      }
      return out;
    }, empty);
  }

  touchLater(hashes: readonly number[], atime: number): void {
    if (this.readonly || this.closed || hashes.length === 0) return;
    if (!this.touches.add(hashes, atime)) return;
    // Written in the background; a failure only loses stamps, which steer expiry.
    this.write(async () => undefined).catch(() => undefined);
  }

  async *allTokens(): AsyncIterable<[number, TokenCounts]> {
    const rows = this.paged<{ h: string; s: number; hm: number; a: number }>(
      "SELECT encode(token, 'hex') AS h, spam_count AS s, ham_count AS hm, atime AS a FROM bayes_token WHERE id = $1 AND token > decode($2, 'hex') ORDER BY token LIMIT $3",
      (row) => row.h,
    );
    for await (const row of rows) yield [parseInt(row.h, 16), { spam: row.s, ham: row.hm, atime: row.a }];
  }

  async *allSeen(): AsyncIterable<[string, SeenFlag]> {
    const rows = this.paged<{ m: string; f: string }>('SELECT msgid AS m, flag AS f FROM bayes_seen WHERE id = $1 AND msgid > $2 ORDER BY msgid LIMIT $3', (row) => row.m);
    for await (const row of rows) if (row.f === 's' || row.f === 'h') yield [row.m, row.f];
  }

  /** This user's rows of `sql` ($1 the id, $2 the last key seen, $3 the page size), a page at a time in `key` order. */
  private async *paged<R extends QueryResultRow>(sql: string, key: (row: R) => string): AsyncIterable<R> {
    const id = await this.existingId();
    if (id === undefined) return;
    let after = '';
    for (;;) {
      const r = await this.shared.query<R>(sql, [id, after, PAGE_ROWS]).catch((e: unknown) => Promise.reject(this.wrap(e)));
      yield* r.rows;
      if (r.rows.length < PAGE_ROWS) return;
      after = key(r.rows[r.rows.length - 1]!);
    }
  }

  /** The user's id, when the user has rows. */
  private async existingId(): Promise<number | undefined> {
    if (this.userId !== undefined) return this.userId;
    return this.read(async () => (await this.shared.query<{ id: number }>('SELECT id FROM bayes_vars WHERE username = $1', [this.username])).rows[0]?.id, undefined);
  }

  /** The user's id inside a write transaction, creating the schema and the user's row when absent. */
  private async idFor(c: PoolClient): Promise<number> {
    await ensureBayesSchema(c);
    const sel = async (): Promise<number | undefined> => (await c.query<{ id: number }>('SELECT id FROM bayes_vars WHERE username = $1', [this.username])).rows[0]?.id;
    let id = await sel();
    if (id === undefined) {
      await c.query('INSERT INTO bayes_vars (username) VALUES ($1) ON CONFLICT DO NOTHING', [this.username]);
      id = (await sel())!;
    }
    return id;
  }

  async write<T>(fn: (w: BayesWriter) => Promise<T>): Promise<T> {
    if (this.readonly) throw new BayesError('HAMLET_ERR_BAYES_READONLY', `bayes: ${this.location} is open read-only`);
    // The pending atime stamps go with this write (dropped if it fails: they only steer expiry).
    let stamps: ReadonlyMap<number, readonly number[]> | undefined;
    this.touches.drain((m) => void (stamps = m));
    for (let attempt = 0; ; attempt++) {
      try {
        let w: PgBayesWriter | undefined;
        const r = await inTransaction(this.shared, async (c) => {
          const id = await this.idFor(c);
          // Queued behind another learner's batch: wait as long as that takes, not the pool's per-query limit
          // (node-postgres reads query_timeout per query; @types/pg does not declare it, hence the cast).
          await c.query({ text: 'SELECT pg_advisory_xact_lock($1, $2)', values: [WRITE_LOCK, id], query_timeout: LOCK_WAIT_MS } as QueryConfig);
          w = new PgBayesWriter(c, id);
          if (stamps) await w.touch(stamps);
          const out = await fn(w);
          await w.flush();
          return out;
        });
        this.userId = w!.id;
        return r;
      } catch (e) {
        if (attempt < 3 && RETRY_CODES.has(sqlState(e))) continue;
        throw this.wrap(e);
      }
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    if (this.touches.size > 0) await this.write(async () => undefined).catch(() => undefined);
    this.closed = true;
    await this.shared.release();
  }
}

/** What `bayes_sql_dsn` and friends name, for messages: `PostgreSQL host:port/db`. */
function describe(conn: ReturnType<typeof pgConnection>): string {
  return `PostgreSQL ${conn.host ?? 'localhost'}:${conn.port ?? 5432}/${conn.database ?? ''}`;
}

/** The registry's opener. */
export function openPgStore(settings: BayesSettings, opts: BayesOpenOptions): PgBayesStore {
  const s = settings.store;
  const dsn = parseDbiDsn(s.dsn);
  if (!dsn) throw new BayesError('HAMLET_ERR_BAYES_MODULE', `bayes: bayes_sql_dsn '${s.dsn}' is not a DBI data source (DBI:Pg:dbname=...;host=...;port=...)`);
  const conn = pgConnection(dsn, s.username, s.password);
  const user = s.overrideUsername ?? opts.username ?? '';
  return new PgBayesStore(sharedPool(conn), describe(conn), user, opts.readonly ?? false);
}

export type { TokenDeltas, ExpiryVar };
