/**
 * Per-user preferences from the `User` header, as spamd finds them, with the
 * header unable to name a file outside the configured tree.
 *
 * - `--virtual-config-dir PATTERN`: `%u` the user as sent, `%l` its local part,
 *   `%d` its domain, `%x` the user or (when that directory is missing) the
 *   domain, `%%` a percent sign; `user_prefs` inside the directory. As in spamd,
 *   characters outside `A-Z a-z 0-9 - + _ . , @ =` become `_`.
 * - otherwise, unless `-x`: the user's home directory from the passwd file,
 *   `~/.hamlet/user_prefs` (where the `hamlet` command reads it), else spamd's
 *   `~/.spamassassin/user_prefs`.
 * The same directory is where that user's Bayes and AWL databases live
 * (`<dir>/.hamlet/`, unless the site's configuration names a path).
 * On top of spamd's character rule, a path segment of `.` or `..` is refused
 * and the result must stay under the pattern's fixed leading directory.
 *
 * As root without -u, spamd switches to the user for each request, or to
 * `nobody` when the user is unknown, is root or was not sent. hamletd cannot
 * switch a thread's uid, so it gives the user's tree to the worker with the
 * user's uid (src/util/owned-files.ts checks every file against it and hands
 * new ones to the user), and a user it cannot serve as itself (unknown, root,
 * no User header, or a home the user does not own, like nobody's /nonexistent)
 * gets the site configuration and no per-user files, with a warning.
 */
import { existsSync, lstatSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative, sep } from 'node:path';
import { findUserPrefs, USER_PREFS_CANDIDATES } from '../config/user-prefs-file';
import { inside } from '../util/inside';
import type { UserTree } from '../util/owned-files';
import type { JobUser } from './worker';

export { inside };

/** One passwd entry: uid, gid and home. */
export interface PasswdEntry {
  readonly uid: number;
  readonly gid: number;
  readonly home: string;
}

export interface PrefsPolicy {
  readonly virtualConfigDir?: string;
  /** Read `~user/.hamlet/user_prefs` or `~user/.spamassassin/user_prefs` (spamd's default; off with -x). */
  readonly userConfig: boolean;
  /** Home directory by user name (tests pass their own; the user then counts as the daemon's own uid). */
  readonly homeOf?: (user: string) => string | undefined;
  /** passwd entry by user name (tests pass their own). */
  readonly passwdOf?: (user: string) => PasswdEntry | undefined;
  /** hamletd runs as root without -u: each user's files are checked against, and given to, that user. */
  readonly asRoot?: boolean;
  /** `--create-prefs`: say where a missing user_prefs is to be created. */
  readonly createPrefs?: boolean;
}

export interface PrefsLocation {
  /** The user_prefs file, when one exists. */
  readonly file: string | undefined;
  /**
   * The directory `~` stands for in this user's store paths: the home directory,
   * or the virtual config directory. Only ever a passwd home or a path inside
   * the configured tree, never text from the request.
   */
  readonly dir: string | undefined;
  /** Why none was used, for the log. */
  readonly refused?: string;
  /** The User value looked like an attempt to leave the prefs tree (logged as a warning). */
  readonly suspicious?: boolean;
  /** The tree this user's files are in, and who must own them. */
  readonly tree?: UserTree;
  /** Where to create user_prefs when there is none (`--create-prefs`). */
  readonly create?: string;
  /** No per-user files at all: root without -u, for a user it cannot serve as itself (logged as a warning). */
  readonly noUserFiles?: boolean;
}

const NONE: PrefsLocation = { file: undefined, dir: undefined };

/** spamd's character rule for virtual user names. */
export function safeUserName(user: string): string {
  return user.replace(/[^A-Za-z0-9\-+_.,@=]/g, '_');
}

/** The fixed directory a pattern starts with (everything before the first escape). */
export function patternRoot(pattern: string): string {
  const i = pattern.indexOf('%');
  const head = i < 0 ? pattern : pattern.slice(0, i);
  if (i < 0) return normalize(head);
  return head.endsWith(sep) ? normalize(head.slice(0, -1)) || sep : dirname(head);
}

/** Expand a virtual-config-dir pattern for one (already sanitised) user. */
export function expandPattern(pattern: string, user: string, exists: (p: string) => boolean = existsSync): string {
  const at = user.lastIndexOf('@');
  const local = at < 0 ? user : user.slice(0, at);
  const domain = at < 0 ? '' : user.slice(at + 1);
  const sub = (x: string): string =>
    pattern.replace(/%(.)/g, (_m, c: string) => (c === 'u' ? user : c === 'l' ? local : c === 'd' ? domain : c === 'x' ? x : c === '%' ? '%' : `%${c}`));
  const full = sub(user);
  return pattern.includes('%x') && !exists(full) ? sub(domain) : full;
}

/** Where one user's preferences are, or why none are used. */
export function locatePrefs(user: string | undefined, policy: PrefsPolicy): PrefsLocation {
  if (policy.asRoot && (policy.userConfig || policy.virtualConfigDir !== undefined) && (user === undefined || user === '')) {
    return rootFallback('no user was sent');
  }
  if (user === undefined || user === '') return NONE;
  if (policy.virtualConfigDir !== undefined) {
    // hamletd.ts refuses this combination at start, as spamd does; never serve it as root.
    if (policy.asRoot) return rootFallback('--virtual-config-dir needs -u');
    const name = safeUserName(user);
    const dir = expandPattern(policy.virtualConfigDir, name);
    const root = patternRoot(policy.virtualConfigDir);
    const segments = relative(root, dir).split(sep);
    if (segments.some((s) => s === '.' || s === '..') || !inside(root, dir) || normalize(dir) === root) {
      return { file: undefined, dir: undefined, refused: `user "${user}" names a directory outside ${root}`, suspicious: true };
    }
    const file = join(dir, 'user_prefs');
    const tree: UserTree = { root, owners: daemonOwners() };
    return { file: isFile(file) ? file : undefined, dir, tree, create: policy.createPrefs ? file : undefined };
  }
  if (!policy.userConfig) return NONE;
  if (/[/\0]/.test(user) || user === '.' || user === '..') return { ...NONE, refused: `user "${user}" is not a valid user name`, suspicious: true };
  const pw = policy.homeOf ? ownHome(policy.homeOf(user)) : (policy.passwdOf ?? passwdEntry)(user);
  if (pw === undefined) return policy.asRoot ? rootFallback(`user "${user}" was not found`) : { ...NONE, refused: `user "${user}" not found` };
  const home = pw.home;
  let tree: UserTree;
  if (policy.asRoot) {
    if (pw.uid === 0) return rootFallback(`user "${user}" is root`);
    if (!ownedDir(home, pw.uid)) return rootFallback(`user "${user}" has no home directory of its own (${home})`);
    tree = { root: home, owners: [pw.uid], chownTo: { uid: pw.uid, gid: pw.gid } };
  } else {
    tree = { root: home, owners: [...new Set([pw.uid, ...daemonOwners()])] };
  }
  const create = policy.createPrefs ? join(home, USER_PREFS_CANDIDATES[0]!) : undefined;
  return { file: findUserPrefs(home, isFile), dir: home, tree, create };
}

/** The job fields a request's location gives a worker. */
export function userFields(where: PrefsLocation): Omit<JobUser, 'user'> {
  return { prefsFile: where.file, userDir: where.dir, userTree: where.tree, createPrefs: where.file ? undefined : where.create, noUserFiles: where.noUserFiles };
}

function rootFallback(why: string): PrefsLocation {
  return { ...NONE, noUserFiles: true, refused: `still running as root (no -u): ${why}; using the site configuration and no per-user files` };
}

/** Owners accepted in a tree when hamletd is not root: the daemon's own uid, and root's (the administrator's). */
function daemonOwners(): number[] {
  const self = process.getuid?.() ?? 0;
  return self === 0 ? [0] : [self, 0];
}

/** A home given by a test's homeOf: as if the daemon's own user owned it. */
function ownHome(home: string | undefined): PasswdEntry | undefined {
  return home === undefined ? undefined : { uid: process.getuid?.() ?? 0, gid: process.getgid?.() ?? 0, home };
}

/** True when `dir` is a directory (the passwd path followed, as the administrator wrote it) owned by `uid`. */
function ownedDir(dir: string, uid: number): boolean {
  try {
    const st = statSync(dir);
    return st.isDirectory() && st.uid === uid;
  } catch {
    return false;
  }
}

/** A regular file or a symlink (which the worker then refuses, and says so). */
function isFile(p: string): boolean {
  try {
    const st = lstatSync(p);
    return st.isFile() || st.isSymbolicLink();
  } catch {
    return false;
  }
}

/** A user's home directory from /etc/passwd (Node has no getpwnam). */
export function passwdHome(user: string, passwd = '/etc/passwd'): string | undefined {
  return passwdEntry(user, passwd)?.home;
}

/** One passwd entry: uid, gid and home. */
export function passwdEntry(user: string, passwd = '/etc/passwd'): PasswdEntry | undefined {
  let text: string;
  try {
    text = readFileSync(passwd, 'utf8');
  } catch {
    return undefined;
  }
  for (const line of text.split('\n')) {
    const f = line.split(':');
    if (f[0] === user && f.length >= 6) return { uid: Number(f[2]), gid: Number(f[3]), home: f[5]! };
  }
  return undefined;
}
