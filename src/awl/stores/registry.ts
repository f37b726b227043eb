/**
 * The auto-welcomelist backends, keyed on SpamAssassin's `auto_welcomelist_factory`: the one
 * place a backend is registered (a factory name -> opener). Backends load on first use.
 */
import { isPgDsn, parseDbiDsn } from '../../util/dbi-dsn';
import type { DbFileGuard } from '../../util/sqlite-file';
import { AwlError } from '../errors';
import type { AwlSettings } from '../settings';
import type { AddrListStore } from '../store';
import type * as SqliteBackend from './sqlite';
import type * as PgBackend from './pg';

export interface AwlOpenOptions {
  /** Checks for a file in a user's tree (hamletd). */
  readonly guard?: DbFileGuard;
  /** Whose list (the scanning user); `user_awl_sql_override_username` wins. */
  readonly username?: string;
}

export type AwlStoreOpener = (settings: AwlSettings, opts: AwlOpenOptions) => AddrListStore;

interface Backend {
  /** The data is a local file. */
  readonly file: boolean;
  readonly open: () => AwlStoreOpener;
}

/* eslint-disable @typescript-eslint/no-require-imports */
const BACKENDS: Record<string, Backend> = {
  sqlite: { file: true, open: () => (require('./sqlite') as typeof SqliteBackend).openFileList },
  pg: { file: false, open: () => (require('./pg') as typeof PgBackend).openPgAddrList },
};
/* eslint-enable @typescript-eslint/no-require-imports */

/** SpamAssassin's factories -> hamlet's backend. Its DB_File list is hamlet's SQLite file. */
const FACTORIES: Record<string, string> = {
  '': 'sqlite',
  'Mail::SpamAssassin::DBBasedAddrList': 'sqlite',
};

/** The backend `settings` name, or a clear error for a factory or DSN hamlet does not serve. */
export function awlBackend(settings: Pick<AwlSettings, 'factory' | 'sql'>): string {
  const { factory, sql } = settings;
  if (factory === 'Mail::SpamAssassin::SQLBasedAddrList') {
    if (isPgDsn(sql.dsn)) return 'pg';
    const driver = parseDbiDsn(sql.dsn)?.driver;
    throw new AwlError('HAMLET_ERR_AWL_MODULE', `auto-welcomelist: ${factory} with ${driver ? `the DBI driver ${driver}` : `user_awl_dsn '${sql.dsn}'`} is not supported (hamlet speaks PostgreSQL: DBI:Pg:...)`);
  }
  const key = FACTORIES[factory];
  if (key === undefined || !BACKENDS[key]) {
    throw new AwlError('HAMLET_ERR_AWL_MODULE', `auto-welcomelist: auto_welcomelist_factory ${factory} is not supported (use Mail::SpamAssassin::DBBasedAddrList or Mail::SpamAssassin::SQLBasedAddrList)`);
  }
  return key;
}

/** True when the list is a local file. */
export function awlBackendIsFile(settings: Pick<AwlSettings, 'factory' | 'sql'>): boolean {
  return BACKENDS[awlBackend(settings)]!.file;
}

/** Open the address list `settings` configure. */
export function openAddrList(settings: AwlSettings, opts: AwlOpenOptions = {}): AddrListStore {
  return BACKENDS[awlBackend(settings)]!.open()(settings, opts);
}
