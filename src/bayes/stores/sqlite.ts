/**
 * The default Bayes backend: hamlet's SQLite file (sqlite-db.ts, synchronous) behind the
 * asynchronous BayesStore interface. Reads answer at once; write transactions are queued per
 * connection, because SQLite has one transaction per connection and an asynchronous writer may
 * wait between its statements.
 */
import { SerialQueue } from '../../util/serial-queue';
import { settle } from '../../util/settle';
import type { BayesStore, BayesWriter, SeenFlag, StoreVars, TokenCounts, TokenLookup } from '../store';
import type { BayesSettings } from '../settings';
import type { BayesOpenOptions } from './registry';
import { openSqliteDb, type SqliteBayesDb, type SqliteStoreOptions } from './sqlite-db';
import { bayesDbFile } from './sqlite-path';

export class SqliteBayesStore implements BayesStore {
  private readonly writes = new SerialQueue();

  constructor(
    /** The synchronous database (tests, tools that need no server). */
    readonly db: SqliteBayesDb,
  ) {}

  get location(): string {
    return this.db.path;
  }

  get readonly(): boolean {
    return this.db.readonly;
  }

  vars(): Promise<StoreVars> {
    return settle(() => this.db.vars());
  }

  messageCounts(): Promise<{ nspam: number; nham: number }> {
    return settle(() => this.db.messageCounts());
  }

  lookup(hashes: readonly number[]): Promise<TokenLookup> {
    return settle(() => this.db.lookup(hashes));
  }

  touchLater(hashes: readonly number[], atime: number): void {
    this.db.touchLater(hashes, atime);
  }

  async *allTokens(): AsyncIterable<[number, TokenCounts]> {
    yield* this.db.allTokens();
  }

  async *allSeen(): AsyncIterable<[string, SeenFlag]> {
    yield* this.db.allSeen();
  }

  write<T>(fn: (w: BayesWriter) => Promise<T>): Promise<T> {
    return this.writes.run(() => this.db.writeAsync(fn));
  }

  async close(): Promise<void> {
    await this.writes.idle();
    this.db.close();
  }
}

/** Open (creating when writable and absent) a hamlet Bayes database file. */
export function openSqliteStore(path: string, opts: SqliteStoreOptions = {}): SqliteBayesStore {
  return new SqliteBayesStore(openSqliteDb(path, opts));
}

/** The registry's opener: the file `bayes_path` (or `--dbpath`) names. */
export function openFileStore(settings: BayesSettings, opts: BayesOpenOptions): SqliteBayesStore {
  return openSqliteStore(bayesDbFile(opts.path ?? settings.path), { readonly: opts.readonly, fileMode: settings.fileMode, guard: opts.guard });
}
