/**
 * The SQLite auto-welcomelist database (better-sqlite3, synchronous; sqlite.ts puts the
 * asynchronous AddrListStore interface on it): one file, WAL mode so
 * readers never wait for a writer, a busy timeout so concurrent writers queue
 * instead of failing, and `atomically` as an IMMEDIATE transaction, so two
 * processes scanning mail from the same sender both count. The table follows
 * SpamAssassin's SQL schema for the AWL (username, email, ip, msgcount, totscore,
 * signedby, last_hit), which keeps per-user lists in one file possible.
 */
import type Database from 'better-sqlite3';
import { lazy } from '../../util/lazy';
import { existsSync } from 'node:fs';
import { AwlError } from '../errors';
import type { AddrEntry, AddrKey } from '../store';
import { createDbFile, looksLikeSqlite, openedFileName, type DbFileGuard } from '../../util/sqlite-file';

// better-sqlite3 (~25 ms to load) only when a list is opened: a scan with the AWL off never does.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const betterSqlite = lazy(() => require('better-sqlite3') as typeof Database);

export interface AwlSqliteOptions {
  /** Open without write access. Fails when the file does not exist. */
  readonly readonly?: boolean;
  /** Milliseconds to wait for another process's write lock (default 30 s). */
  readonly busyTimeoutMs?: number;
  /**
   * `auto_welcomelist_file_mode` (default 0o700): a missing directory is created
   * with it, a new file with it minus the execute bits (as SpamAssassin does).
   */
  readonly fileMode?: number;
  /** Whose list (SpamAssassin's `username` column); '' = the one list in the file. */
  readonly username?: string;
  /** Checks for a file in a user's tree (hamletd), before and after opening. */
  readonly guard?: DbFileGuard;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS awl (
  username TEXT NOT NULL DEFAULT '',
  email TEXT NOT NULL,
  ip TEXT NOT NULL,
  signedby TEXT NOT NULL DEFAULT '',
  msgcount INTEGER NOT NULL DEFAULT 0,
  totscore REAL NOT NULL DEFAULT 0,
  last_hit INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (username, email, signedby, ip)
) WITHOUT ROWID;
`;


interface Row {
  email: string;
  ip: string;
  signedby: string;
  msgcount: number;
  totscore: number;
  last_hit: number;
}

function toEntry(r: Row): AddrEntry {
  return { email: r.email, ip: r.ip, signedBy: r.signedby, count: r.msgcount, totalScore: r.totscore, lastHit: r.last_hit };
}

const nowSeconds = (): number => Math.floor(Date.now() / 1000);

/** Open (creating when writable and absent) an auto-welcomelist database, synchronously; `:memory:` for a private one. */
export function openAwlDb(path: string, opts: AwlSqliteOptions = {}): SqliteAwlDb {
  return new SqliteAwlDb(path, opts);
}

export class SqliteAwlDb {
  private readonly db: Database.Database;
  private readonly user: string;
  private readonly stmts: ReturnType<SqliteAwlDb['prepare']>;
  private readonly tx: (fn: () => unknown) => unknown;

  constructor(
    readonly location: string,
    opts: AwlSqliteOptions,
  ) {
    const ro = opts.readonly ?? false;
    this.user = opts.username ?? '';
    const memory = location === ':memory:';
    if (!memory) prepareFile(location, ro, opts);
    try {
      this.db = new (betterSqlite())(location, { readonly: ro, fileMustExist: ro, timeout: opts.busyTimeoutMs ?? 30000 });
    } catch (e) {
      throw new AwlError('HAMLET_ERR_AWL_OPEN', `auto-welcomelist: cannot open ${location}: ${(e as Error).message}`);
    }
    try {
      if (!ro) {
        if (!memory) this.db.pragma('journal_mode = WAL');
        this.db.pragma('synchronous = NORMAL');
        this.db.exec(SCHEMA);
      }
      this.stmts = this.prepare(ro);
    } catch (e) {
      this.db.close();
      throw new AwlError('HAMLET_ERR_AWL_OPEN', `auto-welcomelist: ${location} is not a usable auto-welcomelist database: ${(e as Error).message}`);
    }
    try {
      if (!memory) opts.guard?.verify(location, openedFileName(this.db));
    } catch (e) {
      this.db.close();
      throw new AwlError('HAMLET_ERR_AWL_OPEN', `auto-welcomelist: not using ${location}: ${(e as Error).message}`);
    }
    const txn = this.db.transaction((fn: () => unknown) => fn());
    this.tx = ro ? (fn) => txn.deferred(fn) : (fn) => txn.immediate(fn);
  }

  private prepare(ro: boolean) {
    const db = this.db;
    const where = 'username = ? AND email = ? AND signedby = ? AND ip = ?';
    const cols = 'email, ip, signedby, msgcount, totscore, last_hit';
    return {
      get: db.prepare<[string, string, string, string], Row>(`SELECT ${cols} FROM awl WHERE ${where}`),
      all: db.prepare<[string], Row>(`SELECT ${cols} FROM awl WHERE username = ? ORDER BY email, signedby, ip`),
      ...(ro
        ? undefined
        : {
            add: db.prepare<[string, string, string, string, number, number], Row>(
              `INSERT INTO awl (username, email, signedby, ip, msgcount, totscore, last_hit) VALUES (?, ?, ?, ?, 1, ?, ?)
               ON CONFLICT (username, email, signedby, ip) DO UPDATE SET msgcount = msgcount + 1,
                 totscore = totscore + excluded.totscore, last_hit = excluded.last_hit
               RETURNING ${cols}`,
            ),
            put: db.prepare(
              `INSERT INTO awl (username, email, signedby, ip, msgcount, totscore, last_hit) VALUES (?, ?, ?, ?, ?, ?, ?)
               ON CONFLICT (username, email, signedby, ip) DO UPDATE SET msgcount = excluded.msgcount,
                 totscore = excluded.totscore, last_hit = excluded.last_hit`,
            ),
            del: db.prepare(`DELETE FROM awl WHERE ${where}`),
            delAddr: db.prepare('DELETE FROM awl WHERE username = ? AND email = ?'),
            delAddrSigned: db.prepare('DELETE FROM awl WHERE username = ? AND email = ? AND signedby = ?'),
            clean: db.prepare('DELETE FROM awl WHERE username = ? AND msgcount < ?'),
          }),
    };
  }

  private writable() {
    const s = this.stmts;
    if (!s.add) throw new AwlError('HAMLET_ERR_AWL_READONLY', `auto-welcomelist: ${this.location} is open read-only`);
    return s as Required<typeof s>;
  }

  get(k: AddrKey): AddrEntry | undefined {
    const r = this.stmts.get.get(this.user, k.email, k.signedBy ?? '', k.ip);
    return r ? toEntry(r) : undefined;
  }

  addScore(k: AddrKey, score: number, now = nowSeconds()): AddrEntry {
    return toEntry(this.writable().add.get(this.user, k.email, k.signedBy ?? '', k.ip, score, now)!);
  }

  put(k: AddrKey, count: number, totalScore: number, now = nowSeconds()): void {
    this.writable().put.run(this.user, k.email, k.signedBy ?? '', k.ip, count, totalScore, now);
  }

  remove(k: AddrKey): boolean {
    return this.writable().del.run(this.user, k.email, k.signedBy ?? '', k.ip).changes > 0;
  }

  removeAddress(email: string, signedBy?: string): number {
    const w = this.writable();
    return (signedBy === undefined ? w.delAddr.run(this.user, email) : w.delAddrSigned.run(this.user, email, signedBy)).changes;
  }

  entries(): AddrEntry[] {
    return this.stmts.all.all(this.user).map(toEntry);
  }

  clean(minCount: number): number {
    return this.writable().clean.run(this.user, minCount).changes;
  }

  atomically<T>(fn: () => T): T {
    return this.tx(fn) as T;
  }

  /** Open a write transaction by hand, for a caller that waits between its statements (sqlite.ts queues them). */
  begin(): void {
    this.db.exec('BEGIN IMMEDIATE');
  }

  /** End the transaction `begin` opened: keep (`commit`) or drop its changes. */
  end(commit: boolean): void {
    if (this.db.inTransaction) this.db.exec(commit ? 'COMMIT' : 'ROLLBACK');
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}

/** Check (and when writable, create) the file before SQLite opens it; refuse a file of another format. */
function prepareFile(location: string, ro: boolean, opts: AwlSqliteOptions): void {
  const mode = opts.fileMode ?? 0o700;
  try {
    // The directory keeps the execute bits of auto_welcomelist_file_mode, the file loses them.
    if (!ro) createDbFile(location, mode & 0o666, mode & 0o777, opts.guard);
    else opts.guard?.prepare(location, false, 0);
  } catch (e) {
    throw new AwlError('HAMLET_ERR_AWL_OPEN', `auto-welcomelist: cannot use ${location}: ${(e as Error).message}`);
  }
  if (existsSync(location) && !looksLikeSqlite(location)) {
    throw new AwlError('HAMLET_ERR_AWL_NOT_A_DB', `auto-welcomelist: ${location} is not an SQLite database; not touching it`);
  }
}
