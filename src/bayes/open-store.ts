/** Where a `bayes_path` puts the database file, and opening it (no tokenizer or parser loaded). */
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { BayesSettings } from './settings';
import type * as SqliteStore from './sqlite-store';
import type { BayesStore } from './store';
import type { DbFileGuard } from '../util/sqlite-file';
import { lazy } from '../util/lazy';

// The store and better-sqlite3 load when a database is opened: a scan without one never does.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const sqliteStore = lazy(() => require('./sqlite-store') as typeof SqliteStore);

/**
 * The database file for a `bayes_path` (or `--dbpath`): `<path>.sqlite`, or
 * `<dir>/bayes.sqlite` when the path is a directory; a path already ending in
 * `.sqlite` / `.db` is used as is.
 */
export function bayesDbFile(path: string): string {
  if (/\.(?:sqlite|db)$/.test(path)) return path;
  if (existsSync(path) && statSync(path).isDirectory()) return join(path, 'bayes.sqlite');
  return path + '.sqlite';
}

/** Open the Bayes store `settings` name (read-only for scanning). */
export function openBayesStore(settings: BayesSettings, opts: { readonly?: boolean; path?: string; guard?: DbFileGuard } = {}): BayesStore {
  return sqliteStore().openSqliteStore(bayesDbFile(opts.path ?? settings.path), { readonly: opts.readonly, fileMode: settings.fileMode, guard: opts.guard });
}
