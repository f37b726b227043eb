/**
 * Files inside one user's tree (a home directory or a virtual config directory),
 * opened so that the tree cannot send hamletd elsewhere. spamd switches to the
 * user's uid before it touches these files; a Node worker thread cannot, so when
 * hamletd runs as root the checks stand in for the kernel's:
 *
 * - every component below the tree's root is lstat'ed: a symlink is refused (it
 *   could point anywhere), and so is anything not owned by an accepted owner;
 * - missing directories are made one at a time (0700), files with
 *   O_CREAT|O_EXCL|O_NOFOLLOW, then handed to the user with fchown/fchmod on the
 *   descriptor (never by path, which the user could have swapped meanwhile);
 * - files are read through a descriptor opened with O_NOFOLLOW and checked with
 *   fstat, so what is read is what was checked.
 *
 * The tree's root itself comes from the passwd file or the administrator's
 * --virtual-config-dir and is trusted as given.
 */
import { closeSync, constants, fchmodSync, fchownSync, fstatSync, lchownSync, lstatSync, mkdirSync, openSync, readlinkSync, readSync, realpathSync, unlinkSync, writeSync, type Stats } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { inside } from './inside';

/** One user's tree, as a worker receives it (plain data: it crosses the thread boundary). */
export interface UserTree {
  /** The directory `~` stands for: a passwd home or a virtual config directory. */
  readonly root: string;
  /** uids that may own what is below root (the user's; the daemon's own when not root). */
  readonly owners: readonly number[];
  /** Give what is created to this user: hamletd runs as root without -u. */
  readonly chownTo?: { readonly uid: number; readonly gid: number };
}

export type OwnedPathCode = 'HAMLET_ERR_PATH_SYMLINK' | 'HAMLET_ERR_PATH_OWNER' | 'HAMLET_ERR_PATH_TYPE' | 'HAMLET_ERR_PATH_OUTSIDE';

/** A path in a user's tree that must not be used, and why. */
export class OwnedPathError extends Error {
  constructor(
    readonly code: OwnedPathCode,
    message: string,
  ) {
    super(message);
    this.name = 'OwnedPathError';
  }
}

const { O_CREAT, O_EXCL, O_NOFOLLOW, O_RDONLY, O_WRONLY } = constants;

function lstatOrUndefined(p: string): Stats | undefined {
  try {
    return lstatSync(p);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

/** Throw unless `st` (of `p`) is the kind wanted and belongs to an accepted owner. */
function checkEntry(tree: UserTree, p: string, st: Stats, want: 'dir' | 'file'): void {
  if (st.isSymbolicLink()) throw new OwnedPathError('HAMLET_ERR_PATH_SYMLINK', `${p} is a symbolic link; not following it out of ${tree.root}`);
  if (want === 'dir' ? !st.isDirectory() : !st.isFile()) throw new OwnedPathError('HAMLET_ERR_PATH_TYPE', `${p} is not a ${want === 'dir' ? 'directory' : 'regular file'}`);
  if (!tree.owners.includes(st.uid)) throw new OwnedPathError('HAMLET_ERR_PATH_OWNER', `${p} belongs to uid ${st.uid}, not to the user of ${tree.root}`);
}

/** The components of `path` below the root, each as a full path (root excluded). */
function below(tree: UserTree, path: string): string[] {
  if (!inside(tree.root, path) || path === tree.root) throw new OwnedPathError('HAMLET_ERR_PATH_OUTSIDE', `${path} is not inside ${tree.root}`);
  const out: string[] = [];
  let cur = tree.root;
  for (const seg of relative(tree.root, path).split(sep)) out.push((cur = join(cur, seg)));
  return out;
}

/**
 * Check `path` and the directories leading to it. Returns the final entry's
 * lstat, or undefined when it (or a directory before it) does not exist yet.
 */
export function checkOwnedPath(tree: UserTree, path: string): Stats | undefined {
  const parts = below(tree, path);
  for (let i = 0; i < parts.length; i++) {
    const st = lstatOrUndefined(parts[i]!);
    if (!st) return undefined;
    checkEntry(tree, parts[i]!, st, i === parts.length - 1 ? 'file' : 'dir');
  }
  return lstatSync(path);
}

/** Make the directories down to `dir` (inclusive) that are missing: 0700, given to the user. */
export function ensureOwnedDir(tree: UserTree, dir: string): void {
  if (dir === tree.root) return;
  for (const p of below(tree, dir)) {
    let st = lstatOrUndefined(p);
    if (!st) {
      try {
        mkdirSync(p, { mode: 0o700 }); // mkdir never follows a symlink in the last component
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      }
      st = lstatSync(p);
      // lchown: if the user swapped in a symlink since, the link is chowned, not its target.
      if (tree.chownTo && st.isDirectory() && st.uid !== tree.chownTo.uid) lchownSync(p, tree.chownTo.uid, tree.chownTo.gid);
      st = lstatSync(p);
    }
    checkEntry(tree, p, st, 'dir');
  }
}

/**
 * Create `path` when it does not exist: `mode` exactly (not through the umask),
 * owned by the user, optionally with `content`. An existing file is only checked.
 * Returns the file's lstat.
 */
export function createOwnedFile(tree: UserTree, path: string, mode: number, content?: string): Stats {
  ensureOwnedDir(tree, dirname(path));
  const had = checkOwnedPath(tree, path);
  if (had) return had;
  let fd: number;
  try {
    fd = openSync(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, mode & 0o666);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return checkOwnedPath(tree, path)!; // made meanwhile: check what is there
    throw e;
  }
  try {
    refuseIfElsewhere(tree, path, fd);
    if (tree.chownTo) fchownSync(fd, tree.chownTo.uid, tree.chownTo.gid);
    fchmodSync(fd, mode & 0o666);
    if (content) writeSync(fd, content);
  } finally {
    closeSync(fd);
  }
  return checkOwnedPath(tree, path)!;
}

/** `path` with the tree's root resolved (the root may sit behind the administrator's symlinks). */
export function realPathInTree(tree: UserTree, path: string): string {
  return join(realpathSync(tree.root), relative(tree.root, path));
}

/**
 * O_NOFOLLOW guards only the last component: a directory swapped for a symlink
 * between the checks and open() lands the new file elsewhere. The kernel knows
 * where the descriptor really is (/proc/self/fd); if that is not `path`, the
 * file is removed (when it is still the one made) and refused, before it is
 * given to the user or written.
 */
function refuseIfElsewhere(tree: UserTree, path: string, fd: number): void {
  let real: string;
  try {
    real = readlinkSync(`/proc/self/fd/${fd}`);
  } catch {
    return; // no /proc: the checks before and after the open are all there is
  }
  if (real === realPathInTree(tree, path)) return;
  try {
    if (lstatSync(real).ino === fstatSync(fd).ino) unlinkSync(real);
  } catch {
    // gone already
  }
  throw new OwnedPathError('HAMLET_ERR_PATH_SYMLINK', `${path} led to ${real} while it was being created (a directory was swapped for a symbolic link); removed it`);
}

/** Read a file in the tree through a descriptor that cannot be a symlink; undefined when it is missing. */
export function readOwnedFile(tree: UserTree, path: string): { text: Buffer; mtimeMs: number } | undefined {
  if (!checkOwnedPath(tree, path)) return undefined;
  const fd = openSync(path, O_RDONLY | O_NOFOLLOW);
  try {
    // What was opened is what is checked: a swap after the path check shows here.
    const st = fstatSync(fd);
    checkEntry(tree, path, st, 'file');
    const text = Buffer.alloc(st.size);
    let n = 0;
    while (n < text.length) {
      const r = readSync(fd, text, n, text.length - n, n);
      if (r === 0) break;
      n += r;
    }
    return { text: text.subarray(0, n), mtimeMs: st.mtimeMs };
  } finally {
    closeSync(fd);
  }
}
