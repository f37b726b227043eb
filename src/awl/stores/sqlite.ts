/**
 * The default auto-welcomelist backend: hamlet's SQLite file (sqlite-db.ts, synchronous) behind
 * the asynchronous AddrListStore interface. Transactions are queued per connection: SQLite has
 * one per connection, and an asynchronous `atomically` may wait between its statements.
 */
import { SerialQueue } from '../../util/serial-queue';
import { settle } from '../../util/settle';
import type { AddrEntry, AddrKey, AddrListOps, AddrListStore } from '../store';
import type { AwlSettings } from '../settings';
import type { AwlOpenOptions } from './registry';
import { openAwlDb, type AwlSqliteOptions, type SqliteAwlDb } from './sqlite-db';

export class SqliteAddrListStore implements AddrListStore {
  private readonly transactions = new SerialQueue();

  constructor(
    /** The synchronous database (tests, tools). */
    readonly db: SqliteAwlDb,
  ) {}

  get location(): string {
    return this.db.location;
  }

  get(key: AddrKey): Promise<AddrEntry | undefined> {
    return settle(() => this.db.get(key));
  }

  addScore(key: AddrKey, score: number, now?: number): Promise<AddrEntry> {
    return settle(() => this.db.addScore(key, score, now));
  }

  put(key: AddrKey, count: number, totalScore: number, now?: number): Promise<void> {
    return settle(() => this.db.put(key, count, totalScore, now));
  }

  remove(key: AddrKey): Promise<boolean> {
    return settle(() => this.db.remove(key));
  }

  removeAddress(email: string, signedBy?: string): Promise<number> {
    return settle(() => this.db.removeAddress(email, signedBy));
  }

  entries(): Promise<AddrEntry[]> {
    return settle(() => this.db.entries());
  }

  clean(minCount: number): Promise<number> {
    return settle(() => this.db.clean(minCount));
  }

  atomically<T>(fn: (tx: AddrListOps) => Promise<T>): Promise<T> {
    return this.transactions.run(async () => {
      this.db.begin();
      try {
        const r = await fn(this);
        this.db.end(true);
        return r;
      } catch (e) {
        this.db.end(false);
        throw e;
      }
    });
  }

  async close(): Promise<void> {
    await this.transactions.idle();
    this.db.close();
  }
}

/** Open (creating when writable and absent) an auto-welcomelist file; `:memory:` for a private one. */
export function openAwlStore(path: string, opts: AwlSqliteOptions = {}): SqliteAddrListStore {
  return new SqliteAddrListStore(openAwlDb(path, opts));
}

/** The registry's opener: the file `auto_welcomelist_path` names (`<path>.sqlite`). */
export function openFileList(settings: AwlSettings, opts: AwlOpenOptions): SqliteAddrListStore {
  return openAwlStore(settings.dbFile, { fileMode: settings.fileMode, username: settings.overrideUsername, guard: opts.guard });
}
