/**
 * The SQLite Bayes store (better-sqlite3): one file, WAL mode so scans read while a
 * learn writes, a busy timeout so two writers queue instead of failing, and every
 * learned batch in one transaction (a crash leaves the last committed state).
 */
import Database from 'better-sqlite3';
import { chmodSync, existsSync } from 'node:fs';
import { makeDirs } from '../util/make-dirs';
import { dirname } from 'node:path';
import { BayesError } from './errors';
import { DB_VERSION, type BayesStore, type BayesWriter, type SeenFlag, type StoreVars, type TokenCounts } from './store';
import type { TokenDeltas } from './token-deltas';
import { looksLikeSqlite } from '../util/sqlite-file';

export interface SqliteStoreOptions {
  /** Open without write access (scanning). Fails when the file does not exist. */
  readonly?: boolean;
  /** Milliseconds to wait for another process's write lock (default 30 s). */
  busyTimeoutMs?: number;
  /** `bayes_file_mode` as an octal string or number; applied (& 0666) to a new file. */
  fileMode?: string | number;
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

/** Page cache for writers (KiB): a trained database (5-20 MB) stays in memory while a batch is applied. */
const WRITER_CACHE_KIB = 65536;

/** Open (creating when writable and absent) a hamlet Bayes database. */
export function openSqliteStore(path: string, opts: SqliteStoreOptions = {}): BayesStore {
  return new SqliteStore(path, opts);
}

class SqliteStore implements BayesStore {
  readonly readonly: boolean;
  private readonly db: Database.Database;
  private readonly stmts: ReturnType<SqliteStore['prepare']>;

  constructor(
    readonly path: string,
    opts: SqliteStoreOptions,
  ) {
    this.readonly = opts.readonly ?? false;
    const existed = existsSync(path);
    if (existed && !looksLikeSqlite(path)) {
      throw new BayesError('HAMLET_ERR_BAYES_NOT_A_DB', `bayes: ${path} is not an SQLite database; not touching it`);
    }
    if (!existed && !this.readonly) {
      try {
        makeDirs(dirname(path));
      } catch (e) {
        throw openError(path, e);
      }
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
    if (!existed && !this.readonly && opts.fileMode !== undefined) {
      const mode = (typeof opts.fileMode === 'number' ? opts.fileMode : parseInt(opts.fileMode, 8)) & 0o666;
      if (Number.isFinite(mode)) {
        try {
          chmodSync(path, mode);
        } catch {
          /* best effort, as SpamAssassin */
        }
      }
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
      getTok: db.prepare('SELECT spam, ham, atime FROM bayes_token WHERE hash = ?').raw(),
      getToks: db.prepare('SELECT hash, spam, ham, atime FROM bayes_token WHERE hash IN (SELECT value FROM json_each(?))').raw(),
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
      upsert: db.prepare(
        'INSERT INTO bayes_token (hash, spam, ham, atime) VALUES (?, ?, ?, ?) ON CONFLICT(hash) DO UPDATE SET ' +
          'spam = MAX(0, spam + excluded.spam), ham = MAX(0, ham + excluded.ham), atime = MAX(atime, excluded.atime)',
      ),
      dropEmpty: db.prepare('DELETE FROM bayes_token WHERE hash = ? AND spam <= 0 AND ham <= 0'),
      touch: db.prepare('UPDATE bayes_token SET atime = ? WHERE hash = ? AND atime < ?'),
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

  write<T>(fn: (w: BayesWriter) => T): T {
    if (this.readonly) throw new BayesError('HAMLET_ERR_BAYES_READONLY', `bayes: ${this.path} is open read-only`);
    const s = this.stmts as Required<typeof this.stmts> & ReturnType<SqliteStore['prepareWrites']>;
    const writer: BayesWriter = {
      seenGet: (id) => this.seenGet(id),
      seenPut: (id, flag) => void s.seenPut.run(id, flag),
      seenDelete: (id) => void s.seenDel.run(id),
      countsChange: (ds, dh) => {
        if (ds) s.addVar.run('nspam', ds);
        if (dh) s.addVar.run('nham', dh);
      },
      tokensChange: (deltas: TokenDeltas) => {
        let newest = 0;
        deltas.forEach((h, spam, ham, atime) => {
          if (spam === 0 && ham === 0) return;
          s.upsert.run(h, spam, ham, atime);
          if (spam < 0 || ham < 0) s.dropEmpty.run(h);
          if (atime > newest) newest = atime;
        });
        if (newest) s.maxVar.run('newest_atime', newest);
      },
      touch: (hashes, atime) => {
        for (const h of hashes) s.touch.run(atime, h, atime);
        s.maxVar.run('newest_atime', atime);
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
    try {
      return this.db.transaction(fn).immediate(writer);
    } catch (e) {
      throw writeError(this.path, e);
    }
  }

  close(): void {
    if (this.db.open) this.db.close();
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
