/**
 * The Bayes backends, keyed on SpamAssassin's `bayes_store_module`: the one place a backend is
 * registered (a module name -> opener). Backends load on first use, so a scan with SQLite
 * never loads a database client.
 */
import { isPgDsn, parseDbiDsn } from '../../util/dbi-dsn';
import type { DbFileGuard } from '../../util/sqlite-file';
import { BayesError } from '../errors';
import type { BayesSettings } from '../settings';
import type { BayesStore } from '../store';
import type * as PgBackend from './pg';
import type * as RedisBackend from './redis';
import type * as SqliteBackend from './sqlite';

export interface BayesOpenOptions {
  /** Open for reading only (scanning, dumps). */
  readonly readonly?: boolean;
  /** The file backend's database path instead of `bayes_path` (`--dbpath`). */
  readonly path?: string;
  /** Checks for a file in a user's tree (hamletd). */
  readonly guard?: DbFileGuard;
  /** Whose data, for servers that keep several users' (the scanning user; `bayes_sql_override_username` wins). */
  readonly username?: string;
}

export type BayesStoreOpener = (settings: BayesSettings, opts: BayesOpenOptions) => BayesStore;

/** hamlet's backends; `file` says the data is a local file (a scan does not create it). */
interface Backend {
  readonly file: boolean;
  readonly open: () => BayesStoreOpener;
}

/* eslint-disable @typescript-eslint/no-require-imports */
const BACKENDS: Record<string, Backend> = {
  sqlite: { file: true, open: () => (require('./sqlite') as typeof SqliteBackend).openFileStore },
  pg: { file: false, open: () => (require('./pg') as typeof PgBackend).openPgStore },
  redis: { file: false, open: () => (require('./redis') as typeof RedisBackend).openRedisStore },
};
/* eslint-enable @typescript-eslint/no-require-imports */

/** SpamAssassin's module names -> hamlet's backend. Its DBM/SDBM files are hamlet's SQLite file. */
const MODULES: Record<string, string> = {
  '': 'sqlite',
  'Mail::SpamAssassin::BayesStore::DBM': 'sqlite',
  'Mail::SpamAssassin::BayesStore::SDBM': 'sqlite',
  'Mail::SpamAssassin::BayesStore::PgSQL': 'pg',
  'Mail::SpamAssassin::BayesStore::Redis': 'redis',
};

/** The backend `settings` name, or a clear error for a module or DSN hamlet does not serve. */
export function bayesBackend(settings: Pick<BayesSettings, 'store'>): string {
  const { module, dsn } = settings.store;
  if (module === 'Mail::SpamAssassin::BayesStore::SQL') {
    // The generic SQL store: PostgreSQL's data layout is the same through either module.
    if (isPgDsn(dsn)) return 'pg';
    const driver = parseDbiDsn(dsn)?.driver;
    throw new BayesError('HAMLET_ERR_BAYES_MODULE', `bayes: bayes_store_module ${module} with ${driver ? `the DBI driver ${driver}` : `bayes_sql_dsn '${dsn}'`} is not supported (hamlet speaks PostgreSQL: DBI:Pg:...)`);
  }
  const key = MODULES[module];
  if (key === undefined || !BACKENDS[key]) {
    throw new BayesError('HAMLET_ERR_BAYES_MODULE', `bayes: bayes_store_module ${module} is not supported (use ${Object.keys(MODULES).filter((m) => m && BACKENDS[MODULES[m]!]).join(', ')})`);
  }
  return key;
}

/** True when the backend keeps its data in a local file (absent until something is learned). */
export function bayesBackendIsFile(settings: Pick<BayesSettings, 'store'>): boolean {
  return BACKENDS[bayesBackend(settings)]!.file;
}

/** Open the Bayes store `settings` configure. */
export function openBayesBackend(settings: BayesSettings, opts: BayesOpenOptions = {}): BayesStore {
  return BACKENDS[bayesBackend(settings)]!.open()(settings, opts);
}
