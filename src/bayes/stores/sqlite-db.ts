/**
 * The SQLite Bayes database (better-sqlite3), synchronous: one file, WAL mode so scans read
 * while a learn writes, a busy timeout so two writers queue instead of failing, and every
 * learned batch in one transaction (a crash leaves the last committed state). sqlite.ts puts
 * the asynchronous BayesStore interface on it.
 */
import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { BayesError } from '../errors';
import { DB_VERSION, type BayesWriter, type ExpiryVar, type SeenFlag, type StoreVars, type TokenCounts, type TokenLookup } from '../store';
import type { TokenDeltas } from '../token-deltas';
import { TouchBuffer } from '../touch-buffer';
import { LookupCache } from './lookup-cache';
import { createDbFile, looksLikeSqlite, openedFileName, type DbFileGuard } from '../../util/sqlite-file';

/** A synchronous write transaction on the file (the asynchronous BayesWriter's operations, answered at once). */
export interface SyncBayesWriter {
  seenGet(msgid: string): SeenFlag | undefined;
  seenPut(msgid: string, flag: SeenFlag): void;
  seenDelete(msgid: string): void;
  countsChange(dspam: number, dham: number): void;
  tokensChange(deltas: TokenDeltas): void;
  setVar(name: ExpiryVar, value: number): void;
  countOlderThan(cutoff: number): number;
  deleteOlderThan(cutoff: number): number;
  deleteOldest(n: number): number;
  replaceAll(vars: { nspam: number; nham: number }, tokens: Iterable<[number, TokenCounts]>, seen: Iterable<[string, SeenFlag]>): void;
  clear(): void;
}

export interface SqliteStoreOptions {
  /** Open without write access (scanning). Fails when the file does not exist. */
  readonly?: boolean;
  /** Milliseconds to wait for another process's write lock (default 30 s). */
  busyTimeoutMs?: number;
  /** `bayes_file_mode` as an octal string or number; applied (& 0666) to a new file. */
  fileMode?: string | number;
  /** Checks for a file in a user's tree (hamletd), before and after opening. */
  guard?: DbFileGuard;
}

/**
 * No index on atime: keeping one costs learning about half its SQLite time, while only
 * expiry (rare) and `--dump magic`'s oldest atime read it, and a scan of the token table
 * serves them in tens of milliseconds. Databases made with the index lose it on first write.
 */
const SCHEMA = `
CREATE TABLE IF NOT EXISTS bayes_vars (name TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS bayes_token (hash INTEGER PRIMARY KEY, spam INTEGER NOT NULL, ham INTEGER NOT NULL, atime INTEGER NOT NULL);
DROP INDEX IF EXISTS bayes_token_atime;
CREATE TABLE IF NOT EXISTS bayes_seen (msgid TEXT PRIMARY KEY, flag TEXT NOT NULL) WITHOUT ROWID;
`;

/**
 * A classification's read as one statement: `[nspam, nham, [[hash, spam, ham], ...]]`. Packing
 * the rows as JSON in SQLite costs a third less CPU than returning them as rows (better-sqlite3
 * builds one JS array per row), and one statement is one snapshot. Hashes are below 2^40, so
 * JSON carries them exactly. (Measured on 1,016 TEST messages, 319 tokens each, against a
 * 144,547-token database: this 251 us/msg; `WHERE hash IN (SELECT value FROM json_each(?))`
 * plus the counts 378; the same through a join in one read transaction 311; one prepared
 * look-up per token inside one read transaction 263, outside one 4,500-6,300.)
 */
const LOOKUP_SQL =
  "SELECT json_array((SELECT value FROM bayes_vars WHERE name = 'nspam'), (SELECT value FROM bayes_vars WHERE name = 'nham'), " +
  '(SELECT json_group_array(json_array(t.hash, t.spam, t.ham)) FROM json_each(?) j CROSS JOIN bayes_token t ON t.hash = j.value))';

/**
 * Token rows per upsert statement: one statement of many rows costs SQLite and better-sqlite3 about
 * 40% less CPU per row than one statement per row (150,000 rows: 0.6 against 1.0 us each; flat
 * from 50 rows up).
 */
const UPSERT_ROWS = 128;

/** Adds token changes (never below zero) and keeps the newest atime, for `rows` rows of (hash, spam, ham, atime). */
function upsertSql(rows: number): string {
  return (
    `INSERT INTO bayes_token (hash, spam, ham, atime) VALUES ${Array<string>(rows).fill('(?, ?, ?, ?)').join(', ')} ` +
    'ON CONFLICT(hash) DO UPDATE SET spam = MAX(0, spam + excluded.spam), ham = MAX(0, ham + excluded.ham), atime = MAX(atime, excluded.atime)'
  );
}

/** Page cache for writers (KiB): a trained database (5-20 MB) stays in memory while a batch is applied. */
const WRITER_CACHE_KIB = 65536;

/** `bayes_file_mode` for a new file (& 0666); SQLite's own 0644 when none is given or it is not octal. */
function fileModeOf(mode: string | number | undefined): number {
  const m = typeof mode === 'number' ? mode : mode === undefined ? NaN : parseInt(mode, 8);
  return Number.isFinite(m) ? m & 0o666 : 0o644;
}

/** Open (creating when writable and absent) a hamlet Bayes database, synchronously. */
export function openSqliteDb(path: string, opts: SqliteStoreOptions = {}): SqliteBayesDb {
  return new SqliteBayesDb(path, opts);
}

export class SqliteBayesDb {
  readonly readonly: boolean;
  private readonly db: Database.Database;
  private readonly stmts: ReturnType<SqliteBayesDb['prepare']>;
  private readonly touches = new TouchBuffer();
  private readonly cache = new LookupCache();
  /** Reused by tokensChange: one multi-row upsert's arguments. */
  private readonly upsertArgs: number[] = new Array<number>(UPSERT_ROWS * 4).fill(0);

  constructor(
    readonly path: string,
    opts: SqliteStoreOptions,
  ) {
    this.readonly = opts.readonly ?? false;
    try {
      if (!this.readonly) createDbFile(path, fileModeOf(opts.fileMode), 0o700, opts.guard);
      else opts.guard?.prepare(path, false, 0);
    } catch (e) {
      throw new BayesError('HAMLET_ERR_BAYES_OPEN', `bayes: cannot use ${path}: ${(e as Error).message}`);
    }
    if (existsSync(path) && !looksLikeSqlite(path)) {
      throw new BayesError('HAMLET_ERR_BAYES_NOT_A_DB', `bayes: ${path} is not an SQLite database; not touching it`);
    }
    // Opening races with another process creating the file or switching it to WAL can fail
    // with CANTOPEN/BUSY for a moment: retry for a while before giving up.
    let db: Database.Database | undefined;
    for (let attempt = 0; ; attempt++) {
      try {
        db = this.connect(path, opts);
        break;
      } catch (e) {
        const code = sqliteCode(e);
        if (attempt < 20 && (code === 'SQLITE_CANTOPEN' || code.startsWith('SQLITE_BUSY'))) {
          Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20 + attempt * 5);
          continue;
        }
        if (e instanceof BayesError) throw e;
        throw openError(path, e);
      }
    }
    this.db = db;
    try {
      opts.guard?.verify(path, openedFileName(db));
    } catch (e) {
      db.close();
      throw new BayesError('HAMLET_ERR_BAYES_OPEN', `bayes: not using ${path}: ${(e as Error).message}`);
    }
    this.stmts = this.prepare();
  }

  /** One attempt to open and, when writable, set up the database. */
  private connect(path: string, opts: SqliteStoreOptions): Database.Database {
    const db = new Database(path, { readonly: this.readonly, fileMustExist: this.readonly, timeout: opts.busyTimeoutMs ?? 30000 });
    try {
      if (!this.readonly) {
        db.pragma('journal_mode = WAL');
        db.pragma('synchronous = NORMAL');
        db.pragma(`cache_size = -${WRITER_CACHE_KIB}`);
        db.exec(SCHEMA);
        db.prepare('INSERT OR IGNORE INTO bayes_vars (name, value) VALUES (?, ?)').run('db_version', DB_VERSION);
      }
      const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name IN ('bayes_vars', 'bayes_token', 'bayes_seen')").all();
      if (tables.length === 0 && this.readonly) {
        // Another process may be creating it right now: retried like a busy database.
        throw Object.assign(new Error(`bayes: ${path} has no Bayes tables yet`), { code: 'SQLITE_BUSY_EMPTY' });
      }
      if (tables.length !== 3) {
        throw new BayesError('HAMLET_ERR_BAYES_NOT_A_DB', `bayes: ${path} is an SQLite file but not a hamlet Bayes database`);
      }
      return db;
    } catch (e) {
      db.close();
      throw e;
    }
  }

  private prepare() {
    const db = this.db;
    return {
      counts: db.prepare("SELECT name, value FROM bayes_vars WHERE name IN ('nspam', 'nham')").raw(),
      allVars: db.prepare('SELECT name, value FROM bayes_vars'),
      // One pass over the token table (there is no atime index).
      tokenStats: db.prepare('SELECT COUNT(*), MIN(atime), MAX(atime) FROM bayes_token').raw(),
      getToks: db.prepare('SELECT hash, spam, ham, atime FROM bayes_token WHERE hash IN (SELECT value FROM json_each(?))').raw(),
      lookup: db.prepare(LOOKUP_SQL).pluck(),
      // Moves when another connection commits (this connection's own writes empty the cache).
      dataVersion: db.prepare('PRAGMA data_version').pluck(),
      allToks: db.prepare('SELECT hash, spam, ham, atime FROM bayes_token').raw(),
      allSeen: db.prepare('SELECT msgid, flag FROM bayes_seen').raw(),
      seenGet: db.prepare('SELECT flag FROM bayes_seen WHERE msgid = ?').pluck(),
      ...(this.readonly ? undefined : this.prepareWrites()),
    };
  }

  private prepareWrites() {
    const db = this.db;
    return {
      setVar: db.prepare('INSERT INTO bayes_vars (name, value) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET value = excluded.value'),
      addVar: db.prepare('INSERT INTO bayes_vars (name, value) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET value = MAX(0, value + excluded.value)'),
      maxVar: db.prepare('INSERT INTO bayes_vars (name, value) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET value = MAX(value, excluded.value)'),
      upsert: db.prepare(upsertSql(1)),
      upsertRows: db.prepare(upsertSql(UPSERT_ROWS)),
      dropEmpty: db.prepare('DELETE FROM bayes_token WHERE hash = ? AND spam <= 0 AND ham <= 0'),
      // All held-back stamps in one statement: `[[hash, atime], ...]` (one statement per message's
      // atime cost a flush ~30% more CPU).
      touchAll: db.prepare(
        'UPDATE bayes_token SET atime = s.atime FROM (SELECT j.value ->> 0 AS hash, j.value ->> 1 AS atime FROM json_each(?) j) AS s ' +
          'WHERE bayes_token.hash = s.hash AND bayes_token.atime < s.atime',
      ),
      seenPut: db.prepare('INSERT INTO bayes_seen (msgid, flag) VALUES (?, ?) ON CONFLICT(msgid) DO UPDATE SET flag = excluded.flag'),
      seenDel: db.prepare('DELETE FROM bayes_seen WHERE msgid = ?'),
      countOlder: db.prepare('SELECT COUNT(*) FROM bayes_token WHERE atime < ?').pluck(),
      deleteOlder: db.prepare('DELETE FROM bayes_token WHERE atime < ?'),
      deleteOldest: db.prepare('DELETE FROM bayes_token WHERE hash IN (SELECT hash FROM bayes_token ORDER BY atime LIMIT ?)'),
      insertTok: db.prepare('INSERT OR REPLACE INTO bayes_token (hash, spam, ham, atime) VALUES (?, ?, ?, ?)'),
    };
  }

  vars(): StoreVars {
    const read = (): StoreVars => {
      const v = new Map<string, number>();
      for (const row of this.stmts.allVars.all() as Array<{ name: string; value: number }>) v.set(row.name, row.value);
      const [ntokens, oldest, newest] = this.stmts.tokenStats.get() as [number, number | null, number | null];
      return {
        dbVersion: v.get('db_version') ?? DB_VERSION,
        nspam: v.get('nspam') ?? 0,
        nham: v.get('nham') ?? 0,
        ntokens,
        oldestAtime: ntokens ? (oldest ?? 0) : 0,
        newestAtime: ntokens ? Math.max(v.get('newest_atime') ?? 0, newest ?? 0) : 0,
        lastJournalSync: v.get('last_journal_sync') ?? 0,
        lastExpire: v.get('last_expire') ?? 0,
        lastAtimeDelta: v.get('last_atime_delta') ?? 0,
        lastExpireReduce: v.get('last_expire_reduce') ?? 0,
      };
    };
    // One read transaction: the counters and the token table from the same snapshot.
    return this.db.transaction(read)();
  }

  messageCounts(): { nspam: number; nham: number } {
    const out = { nspam: 0, nham: 0 };
    for (const [name, value] of this.stmts.counts.all() as Array<[string, number]>) out[name as 'nspam' | 'nham'] = value;
    return out;
  }

  getTokens(hashes: readonly number[]): Map<number, TokenCounts> {
    const out = new Map<number, TokenCounts>();
    if (hashes.length === 0) return out;
    const rows = this.stmts.getToks.all(JSON.stringify(hashes)) as Array<[number, number, number, number]>;
    for (const [h, spam, ham, atime] of rows) out.set(h, { spam, ham, atime });
    return out;
  }

  /** The message counts and the known tokens of `hashes`: from the lookup cache, SQLite for the rest. */
  lookup(hashes: readonly number[]): TokenLookup {
    return this.cache.lookup(hashes, this.stmts.dataVersion.get() as number, (missing) => this.read(missing));
  }

  private read(hashes: readonly number[]): TokenLookup {
    const [nspam, nham, rows] = JSON.parse(this.stmts.lookup.get(JSON.stringify(hashes)) as string) as [number | null, number | null, Array<[number, number, number]>];
    const out: TokenLookup = { nspam: nspam ?? 0, nham: nham ?? 0, hashes: new Array<number>(rows.length), spam: new Array<number>(rows.length), ham: new Array<number>(rows.length) };
    for (let i = 0; i < rows.length; i++) {
      const r = rows[i]!;
      out.hashes[i] = r[0];
      out.spam[i] = r[1];
      out.ham[i] = r[2];
    }
    return out;
  }

  touchLater(hashes: readonly number[], atime: number): void {
    if (this.readonly || hashes.length === 0) return;
    if (!this.touches.add(hashes, atime)) return;
    try {
      this.write(() => undefined); // the write takes the pending stamps along
    } catch {
      /* a busy or read-only database: those stamps are dropped, as they only steer expiry */
    }
  }

  *allTokens(): IterableIterator<[number, TokenCounts]> {
    for (const [h, spam, ham, atime] of this.stmts.allToks.iterate() as IterableIterator<[number, number, number, number]>) {
      yield [h, { spam, ham, atime }];
    }
  }

  *allSeen(): IterableIterator<[string, SeenFlag]> {
    for (const [id, flag] of this.stmts.allSeen.iterate() as IterableIterator<[string, SeenFlag]>) yield [id, flag];
  }

  seenGet(msgid: string): SeenFlag | undefined {
    return this.stmts.seenGet.get(msgid) as SeenFlag | undefined;
  }

  private writeStmts() {
    if (this.readonly) throw new BayesError('HAMLET_ERR_BAYES_READONLY', `bayes: ${this.path} is open read-only`);
    return this.stmts as Required<typeof this.stmts> & ReturnType<SqliteBayesDb['prepareWrites']>;
  }

  private syncWriter(s: ReturnType<SqliteBayesDb['writeStmts']>): SyncBayesWriter {
    return {
      seenGet: (id) => this.seenGet(id),
      seenPut: (id, flag) => void s.seenPut.run(id, flag),
      seenDelete: (id) => void s.seenDel.run(id),
      countsChange: (ds, dh) => {
        if (ds) s.addVar.run('nspam', ds);
        if (dh) s.addVar.run('nham', dh);
      },
      tokensChange: (deltas: TokenDeltas) => {
        let newest = 0;
        const rows = this.upsertArgs;
        let n = 0;
        const lowered: number[] = [];
        deltas.forEach((h, spam, ham, atime) => {
          if (spam === 0 && ham === 0) return;
          rows[n++] = h;
          rows[n++] = spam;
          rows[n++] = ham;
          rows[n++] = atime;
          if (n === rows.length) {
            s.upsertRows.run(rows);
            n = 0;
          }
          if (spam < 0 || ham < 0) lowered.push(h);
          if (atime > newest) newest = atime;
        });
        for (let i = 0; i < n; i += 4) s.upsert.run(rows[i], rows[i + 1], rows[i + 2], rows[i + 3]);
        // Each hash occurs once in `deltas`, so its row is final once every upsert has run.
        for (const h of lowered) s.dropEmpty.run(h);
        if (newest) s.maxVar.run('newest_atime', newest);
      },
      setVar: (name, value) => {
        const key = { lastExpire: 'last_expire', lastAtimeDelta: 'last_atime_delta', lastExpireReduce: 'last_expire_reduce' }[name];
        s.setVar.run(key, value);
      },
      countOlderThan: (cutoff) => s.countOlder.get(cutoff) as number,
      deleteOlderThan: (cutoff) => s.deleteOlder.run(cutoff).changes,
      deleteOldest: (n) => (n > 0 ? s.deleteOldest.run(n).changes : 0),
      replaceAll: (vars, tokens, seen) => {
        this.db.exec('DELETE FROM bayes_token; DELETE FROM bayes_seen; DELETE FROM bayes_vars;');
        s.setVar.run('db_version', DB_VERSION);
        s.setVar.run('nspam', vars.nspam);
        s.setVar.run('nham', vars.nham);
        let newest = 0;
        for (const [h, t] of tokens) {
          s.insertTok.run(h, t.spam, t.ham, t.atime);
          if (t.atime > newest) newest = t.atime;
        }
        s.setVar.run('newest_atime', newest);
        for (const [id, flag] of seen) s.seenPut.run(id, flag);
      },
      clear: () => {
        this.db.exec('DELETE FROM bayes_token; DELETE FROM bayes_seen; DELETE FROM bayes_vars;');
        s.setVar.run('db_version', DB_VERSION);
      },
    };
  }

  /** Write the pending atime stamps (inside a write transaction). */
  private drainTouches(s: ReturnType<SqliteBayesDb['writeStmts']>): void {
    this.touches.drain((stamps) => {
      const pairs: Array<[number, number]> = [];
      for (const [atime, hashes] of stamps) for (const h of hashes) pairs.push([h, atime]);
      s.touchAll.run(JSON.stringify(pairs));
      s.maxVar.run('newest_atime', Math.max(...stamps.keys()));
    });
  }

  /** Run `fn` in one IMMEDIATE transaction, synchronously; pending atime stamps go with it. */
  write<T>(fn: (w: SyncBayesWriter) => T): T {
    const s = this.writeStmts();
    const writer = this.syncWriter(s);
    const run = (): T => {
      this.drainTouches(s);
      return fn(writer);
    };
    try {
      return this.db.transaction(run).immediate();
    } catch (e) {
      throw writeError(this.path, e);
    } finally {
      this.cache.clear(); // counts this connection read may have changed
    }
  }

  /**
   * Run `fn` in one IMMEDIATE transaction that may wait between its operations (the
   * asynchronous BayesWriter). The caller serialises these per connection (sqlite.ts): SQLite
   * has one transaction per connection.
   */
  async writeAsync<T>(fn: (w: BayesWriter) => Promise<T>): Promise<T> {
    const s = this.writeStmts();
    const sw = this.syncWriter(s);
    const writer: BayesWriter = {
      seenGet: async (ids) => {
        const out = new Map<string, SeenFlag>();
        for (const id of ids) {
          const f = sw.seenGet(id);
          if (f === 's' || f === 'h') out.set(id, f);
        }
        return out;
      },
      seenPut: sw.seenPut,
      seenDelete: sw.seenDelete,
      countsChange: sw.countsChange,
      tokensChange: sw.tokensChange,
      setVar: sw.setVar,
      vars: async () => this.vars(),
      countOlderThan: async (c) => sw.countOlderThan(c),
      deleteOlderThan: async (c) => sw.deleteOlderThan(c),
      deleteOldest: async (n) => sw.deleteOldest(n),
      replaceAll: async (v, t, seen) => sw.replaceAll(v, t, seen),
      clear: async () => sw.clear(),
    };
    try {
      this.db.exec('BEGIN IMMEDIATE');
    } catch (e) {
      throw writeError(this.path, e);
    }
    try {
      this.drainTouches(s);
      const r = await fn(writer);
      this.db.exec('COMMIT');
      return r;
    } catch (e) {
      if (this.db.inTransaction) this.db.exec('ROLLBACK');
      throw writeError(this.path, e);
    } finally {
      // A read while the transaction was open saw its uncommitted changes.
      this.cache.clear();
    }
  }

  close(): void {
    if (!this.db.open) return;
    if (this.touches.size > 0) {
      try {
        this.write(() => undefined);
      } catch {
        /* as in touchLater: the stamps only steer expiry */
      }
    }
    this.db.close();
  }
}

function sqliteCode(e: unknown): string {
  return typeof e === 'object' && e !== null && 'code' in e ? String((e as { code: unknown }).code) : '';
}

function openError(path: string, e: unknown): BayesError {
  const code = sqliteCode(e);
  const msg = e instanceof Error ? e.message : String(e);
  if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') {
    return new BayesError('HAMLET_ERR_BAYES_NOT_A_DB', `bayes: ${path} is not a usable SQLite database (${msg})`);
  }
  if (code === 'SQLITE_READONLY' || code === 'SQLITE_CANTOPEN' || code === 'SQLITE_PERM') {
    return new BayesError('HAMLET_ERR_BAYES_READONLY', `bayes: cannot open ${path} for writing (${msg})`);
  }
  return new BayesError('HAMLET_ERR_BAYES_OPEN', `bayes: cannot open ${path}: ${msg}`);
}

function writeError(path: string, e: unknown): unknown {
  if (e instanceof BayesError) return e;
  const code = sqliteCode(e);
  if (code.startsWith('SQLITE_READONLY')) return new BayesError('HAMLET_ERR_BAYES_READONLY', `bayes: ${path} is read-only`);
  if (code.startsWith('SQLITE_BUSY')) return new BayesError('HAMLET_ERR_BAYES_LOCKED', `bayes: ${path} stayed locked by another process`);
  if (code === 'SQLITE_NOTADB' || code.startsWith('SQLITE_CORRUPT')) {
    return new BayesError('HAMLET_ERR_BAYES_NOT_A_DB', `bayes: ${path} is corrupt`);
  }
  return e;
}
