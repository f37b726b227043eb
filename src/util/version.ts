/** hamlet's version as `_VERSION_` / `_SUBVERSION_` and `hamlet -V` show it. */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

function packageVersion(): string {
  try {
    // dist/src/report -> package root (and src/report when run from sources).
    for (const up of [['..', '..', '..'], ['..', '..']]) {
      const p = resolve(__dirname, ...up, 'package.json');
      const pkg = JSON.parse(readFileSync(p, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'hamlet' && pkg.version) return pkg.version;
    }
  } catch {
    // fall through
  }
  return '0.0.0';
}

/** `0.1.0` */
export const HAMLET_VERSION = packageVersion();
/** The release date, as SpamAssassin's `_SUBVERSION_` shows its own. */
export const HAMLET_SUBVERSION = '2026-11-28';
