/** File-level facts about SQLite databases, shared by the Bayes and AWL stores. */
import { chmodSync, closeSync, existsSync, openSync, readSync } from 'node:fs';
import { makeDirs } from './make-dirs';
import { dirname } from 'node:path';
import { inside } from './inside';
import { checkOwnedPath, createOwnedFile, OwnedPathError, realPathInTree, type UserTree } from './owned-files';

const SQLITE_MAGIC = 'SQLite format 3\0';

/** The files SQLite keeps beside a database (WAL mode, shared memory, rollback journal). */
export const SQLITE_COMPANIONS: readonly string[] = ['-wal', '-shm', '-journal'];

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

/**
 * Checks around opening a database file that lives in someone else's tree
 * (hamletd's per-user stores). Both throw when the file must not be used.
 */
export interface DbFileGuard {
  /** Before SQLite opens `path`: check it and, when `create`, make it (and its directory) with `mode`. */
  prepare(path: string, create: boolean, mode: number): void;
  /**
   * After SQLite opened it and made its companions: still the same file, everything
   * owned as it should be; `opened` is the file name SQLite resolved (PRAGMA database_list).
   */
  verify(path: string, opened?: string): void;
}

/** The main database's file name as SQLite resolved it (symlinks followed), for DbFileGuard.verify. */
export function openedFileName(db: { pragma(sql: string): unknown }): string | undefined {
  const rows = db.pragma('database_list') as { name: string; file: string }[];
  return rows.find((r) => r.name === 'main')?.file || undefined;
}

/**
 * Make a missing database file before SQLite opens it. SQLite gives the -wal,
 * -shm and -journal files it creates the database file's mode (and, as root, its
 * owner), so making the file first with the configured mode is what keeps them
 * from being 0644. The mode is applied exactly, not through the umask, as
 * SpamAssassin does with umask 0111. A missing directory gets `dirMode`.
 */
export function createDbFile(path: string, mode: number, dirMode = 0o700, guard?: DbFileGuard): void {
  if (guard) {
    guard.prepare(path, true, mode);
    return;
  }
  if (existsSync(path)) return;
  const dir = dirname(path);
  if (!existsSync(dir)) makeDirs(dir, dirMode);
  closeSync(openSync(path, 'a', mode & 0o666));
  chmodSync(path, mode & 0o666);
}

/**
 * The guard for a user's tree (src/util/owned-files.ts): the database and any
 * companion already there must be regular files owned by the user, reached
 * without a symlink; a new database is created owned by the user. Paths outside
 * the tree (a `bayes_path` the site configuration gives everyone) are the
 * administrator's and pass unchecked.
 */
export function treeDbGuard(tree: UserTree): DbFileGuard {
  const seen = new Map<string, number>();
  const companions = (path: string): void => {
    for (const c of SQLITE_COMPANIONS) checkOwnedPath(tree, path + c);
  };
  return {
    prepare(path, create, mode) {
      if (!inside(tree.root, path)) return;
      const st = create ? createOwnedFile(tree, path, mode) : checkOwnedPath(tree, path);
      companions(path);
      if (st) seen.set(path, st.ino);
    },
    verify(path, opened) {
      if (!inside(tree.root, path)) return;
      const st = checkOwnedPath(tree, path);
      const ino = seen.get(path);
      if (!st || (ino !== undefined && st.ino !== ino)) throw new OwnedPathError('HAMLET_ERR_PATH_TYPE', `${path} was replaced while it was being opened`);
      if (opened !== undefined && opened !== realPathInTree(tree, path)) {
        throw new OwnedPathError('HAMLET_ERR_PATH_SYMLINK', `${path} was opened as ${opened} (a directory was swapped for a symbolic link)`);
      }
      companions(path);
    },
  };
}
