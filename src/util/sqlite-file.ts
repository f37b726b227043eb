/** File-level facts about SQLite databases, shared by the Bayes and AWL stores. */
import { closeSync, openSync, readSync } from 'node:fs';

const SQLITE_MAGIC = 'SQLite format 3\0';

/** True when the file is empty or starts with SQLite's header (so opening it cannot clobber another format). */
export function looksLikeSqlite(path: string): boolean {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(16);
    const n = readSync(fd, buf, 0, 16, 0);
    return n === 0 || buf.toString('latin1', 0, n) === SQLITE_MAGIC;
  } finally {
    closeSync(fd);
  }
}
