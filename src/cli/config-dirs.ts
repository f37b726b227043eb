/**
 * Where hamlet, hamlet-learn and hamletd find their configuration: one search for all three,
 * so that a `bayes_path` in the site's `local.cf` names the database every command uses.
 * Kept apart from hamlet.ts so that hamletd's main thread, which never compiles rules, does not
 * load the whole one-shot command (about 40 MB of modules).
 *
 * - rules: `-C DIR`, else hamlet's own `rules/`. SpamAssassin's stock rules directory
 *   (`-C /usr/share/spamassassin`) stands for SpamAssassin's rules as SpamAssassin finds them:
 *   the ones `sa-update` installed (`/var/lib/spamassassin/4.000001/`, its channel `.cf`/`.pre`
 *   includes and folders) are preferred when present, as `spamassassin` prefers them, so a
 *   site's daily rule updates reach hamlet.
 * - site files: `--siteconfigpath DIR`, else `/etc/hamlet` when it exists.
 * - user preferences (the commands, not the server): `-p FILE`, else `~/.hamlet/user_prefs`,
 *   else `~/.spamassassin/user_prefs`.
 */
import { readdirSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { DEFAULT_RULES_DIR, type LoadOptions } from '../config/read';
import { findUserPrefs } from '../config/user-prefs-file';

/** The site configuration directory when `--siteconfigpath` is not given (used if it exists). */
export const DEFAULT_SITE_DIR = '/etc/hamlet';
/** Where Debian's spamassassin package installs the stock rules. */
export const STOCK_RULES_DIR = '/usr/share/spamassassin';
/** SpamAssassin's LOCAL_STATE_DIR, under which sa-update installs rules per version. */
export const SA_STATE_DIR = '/var/lib/spamassassin';
/** The rule version hamlet reads: SpamAssassin 4.0.1's, as sa-update names its folder. */
export const SA_RULES_VERSION = '4.000001';

/** The directory holds at least one `.cf` file (a rules directory worth loading). */
export function hasCfFiles(dir: string): boolean {
  try {
    return readdirSync(dir).some((f) => f.endsWith('.cf'));
  } catch {
    return false;
  }
}

function exists(path: string): boolean {
  try {
    statSync(path);
    return true;
  } catch {
    return false;
  }
}

/** Where the commands are told to look (their shared options). */
export interface DirOptions {
  readonly configpath?: string;
  readonly siteconfigpath?: string;
  readonly prefspath?: string;
  readonly cf?: readonly string[];
}

/** Where the search starts: the real machine, or a test's stand-ins. */
export interface SearchRoots {
  readonly home?: string;
  /** sa-update's state directory; `$HAMLET_SA_STATE_DIR` or /var/lib/spamassassin. */
  readonly saStateDir?: string;
}

/** The rules directory chosen, and why (what `--lint` prints). */
export interface RulesChoice {
  readonly dir: string;
  readonly why: string;
}

/** The rules directory for `-C` (or its absence), preferring sa-update's copy of the stock rules. */
export function chooseRulesDir(configpath: string | undefined, roots: SearchRoots = {}): RulesChoice {
  if (configpath === undefined) return { dir: DEFAULT_RULES_DIR, why: "hamlet's own rules (no -C)" };
  if (resolve(configpath) !== STOCK_RULES_DIR) return { dir: configpath, why: 'given with -C' };
  const state = roots.saStateDir ?? (process.env.HAMLET_SA_STATE_DIR || SA_STATE_DIR);
  const updates = join(state, SA_RULES_VERSION);
  if (hasCfFiles(updates)) return { dir: updates, why: `rules installed by sa-update, preferred to ${STOCK_RULES_DIR} as SpamAssassin prefers them` };
  return { dir: configpath, why: `SpamAssassin's stock rules (no sa-update rules in ${updates})` };
}

/** The site directory: the one given, else /etc/hamlet when it exists. */
export function chooseSiteDir(siteconfigpath: string | undefined): string | undefined {
  return siteconfigpath ?? (exists(DEFAULT_SITE_DIR) ? DEFAULT_SITE_DIR : undefined);
}

/** The user preferences a command reads: `-p` when it exists (`/dev/null` is an empty file), else the first found in the home. */
export function chooseUserPrefs(prefspath: string | undefined, home: string): string | undefined {
  if (prefspath !== undefined) return exists(prefspath) ? prefspath : undefined;
  return findUserPrefs(home, exists);
}

/** What `hamlet` and `hamlet-learn` read; `hamletd` passes `userPrefs: false` (users' files are per request). */
export function commandLoadOptions(o: DirOptions, roots: SearchRoots & { userPrefs?: boolean } = {}): LoadOptions & { rules: RulesChoice } {
  const rules = chooseRulesDir(o.configpath, roots);
  return {
    rules,
    configPath: rules.dir,
    siteConfigPath: chooseSiteDir(o.siteconfigpath),
    userPrefs: roots.userPrefs === false ? undefined : chooseUserPrefs(o.prefspath, roots.home ?? homedir()),
    extraText: o.cf !== undefined && o.cf.length > 0 ? o.cf.join('\n') : undefined,
  };
}

/** The lines `--lint` and the server's start-up log give about where configuration came from. */
export function sourceLines(lo: LoadOptions & { rules: RulesChoice }): string[] {
  return [
    `rules: ${lo.configPath} (${lo.rules.why})`,
    `site configuration: ${lo.siteConfigPath ?? `none (${DEFAULT_SITE_DIR} not found)`}`,
    ...(lo.userPrefs !== undefined ? [`user preferences: ${lo.userPrefs}`] : []),
  ];
}
