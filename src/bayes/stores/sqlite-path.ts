/** Where a `bayes_path` puts hamlet's SQLite Bayes file (no database code loaded). */
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';

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
