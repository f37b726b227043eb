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
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, normalize, relative, sep } from 'node:path';
import { findUserPrefs } from '../config/user-prefs-file';

export interface PrefsPolicy {
  readonly virtualConfigDir?: string;
  /** Read `~user/.hamlet/user_prefs` or `~user/.spamassassin/user_prefs` (spamd's default; off with -x). */
  readonly userConfig: boolean;
  /** Home directory by user name (tests pass their own). */
  readonly homeOf?: (user: string) => string | undefined;
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

/** True when `path` is `root` or below it, read lexically. */
export function inside(root: string, path: string): boolean {
  const rel = relative(normalize(root), normalize(path));
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/** Where one user's preferences are, or why none are used. */
export function locatePrefs(user: string | undefined, policy: PrefsPolicy): PrefsLocation {
  if (user === undefined || user === '') return NONE;
  if (policy.virtualConfigDir !== undefined) {
    const name = safeUserName(user);
    const dir = expandPattern(policy.virtualConfigDir, name);
    const root = patternRoot(policy.virtualConfigDir);
    const segments = relative(root, dir).split(sep);
    if (segments.some((s) => s === '.' || s === '..') || !inside(root, dir)) {
      return { file: undefined, dir: undefined, refused: `user "${user}" names a directory outside ${root}`, suspicious: true };
    }
    const file = join(dir, 'user_prefs');
    return { file: isFile(file) ? file : undefined, dir };
  }
  if (!policy.userConfig) return NONE;
  if (/[/\0]/.test(user) || user === '.' || user === '..') return { ...NONE, refused: `user "${user}" is not a valid user name`, suspicious: true };
  const home = (policy.homeOf ?? passwdHome)(user);
  if (home === undefined) return { ...NONE, refused: `user "${user}" not found` };
  return { file: findUserPrefs(home, isFile), dir: home };
}

function isFile(p: string): boolean {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
}

/** A user's home directory from /etc/passwd (Node has no getpwnam). */
export function passwdHome(user: string, passwd = '/etc/passwd'): string | undefined {
  return passwdEntry(user, passwd)?.home;
}

/** One passwd entry: uid, gid and home. */
export function passwdEntry(user: string, passwd = '/etc/passwd'): { uid: number; gid: number; home: string } | undefined {
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
