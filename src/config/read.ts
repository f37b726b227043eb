/**
 * Find and read configuration the way SpamAssassin does: every `*.pre` first
 * (site directory, then rules directory), then the rules directory's `*.cf`,
 * then the site directory's `*.cf`, then user preferences, then extra text.
 * The file system is reached only here. (Compiling is in load.ts: tools that need only
 * settings, such as hamlet-learn, read configuration without loading the rule compiler.)
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { newDraft, type ConfigDraft, type SourcePos } from './draft';
import { parseConfigText, type ParseEnv } from './parser';

/** Where configuration comes from. */
export interface LoadOptions {
  /** Rules directory (`-C`); hamlet's own `rules/` when omitted. */
  readonly configPath?: string;
  /** Site directory (`--siteconfigpath`): `*.pre` and `local.cf`; none when omitted. */
  readonly siteConfigPath?: string;
  /** A user_prefs file (`-p`). */
  readonly userPrefs?: string;
  /**
   * Read user_prefs as a server reads a user's file: rule definitions only with
   * `allow_user_rules 1`, administrator settings never. The `hamlet` command, like
   * `spamassassin`, reads the invoking user's own file with full rights (the default).
   */
  readonly restrictUserPrefs?: boolean;
  /** Config text applied last, as SpamAssassin's `post_config_text` / `--cf`. */
  readonly extraText?: string;
  /**
   * Parse only lines whose first word matches (others are blanked, line numbers kept):
   * a tool that needs a few settings skips parsing thousands of rule lines.
   */
  readonly onlyDirectives?: RegExp;
}

/**
 * Blank the lines (ended by LF or CR) whose first word (after spaces and tabs, up to whitespace
 * or `#`) `keep` does not match. Walked with indexOf rather than a regex replace with a callback
 * per line: most lines go, and the stock rules are 24,000 lines read by every hamlet-learn.
 */
export function keepDirectives(text: string, keep: RegExp | undefined): string {
  if (!keep) return text;
  const out: string[] = [];
  let nl = -2; // the next LF and CR at or after i (-1: none left), found again once passed
  let cr = -2;
  for (let i = 0; ; ) {
    if (nl !== -1 && nl < i) nl = text.indexOf('\n', i);
    if (cr !== -1 && cr < i) cr = text.indexOf('\r', i);
    const e = nl < 0 ? (cr < 0 ? text.length : cr) : cr < 0 ? nl : Math.min(nl, cr);
    let j = i;
    while (j < e && (text.charCodeAt(j) === 32 || text.charCodeAt(j) === 9)) j++;
    let k = j;
    while (k < e && !endsWord(text.charCodeAt(k))) k++;
    if (keep.test(text.slice(j, k))) out.push(text.slice(i, e));
    if (e === text.length) return out.join('');
    out.push(text[e]!);
    i = e + 1;
  }
}

const WHITESPACE = /\s/;

/** `#` or whitespace (as the regex class \s). */
function endsWord(c: number): boolean {
  if (c === 35 || c === 32 || (c >= 9 && c <= 13)) return true;
  return c > 127 && WHITESPACE.test(String.fromCharCode(c));
}

/** hamlet's own default rule set, shipped in the package. */
export const DEFAULT_RULES_DIR = resolve(__dirname, '..', '..', '..', 'rules');

/**
 * How reading configuration reaches the file system. The rule-set cache (rule-cache-inputs.ts)
 * passes one that records every answer, so that a later run can check them all again.
 */
export interface ConfigFs {
  isDir(path: string): boolean;
  /** The files (not directories) in `dir` whose names end in `ext`, sorted, as paths; [] when unreadable. */
  list(dir: string, ext: string): string[];
  /** A file's bytes as Latin-1 text; undefined when it cannot be read. */
  read(path: string): string | undefined;
}

function isDir(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/** The file system itself. */
export const DISK_FS: ConfigFs = {
  isDir,
  list(dir, ext) {
    try {
      return readdirSync(dir)
        .filter((f) => f.endsWith(ext))
        .sort()
        .map((f) => join(dir, f))
        .filter((p) => !isDir(p));
    } catch {
      return [];
    }
  },
  read(path) {
    try {
      return readFileSync(path, 'latin1');
    } catch {
      return undefined;
    }
  },
};

/** One read of configuration: where files come from and which lines are kept. */
interface Reader {
  readonly fs: ConfigFs;
  readonly keep: RegExp | undefined;
}

function readText(path: string, r: Reader): string | undefined {
  const text = r.fs.read(path);
  return text === undefined ? undefined : keepDirectives(text, r.keep);
}

function envFor(user: boolean, r: Reader): ParseEnv {
  return {
    user,
    resolve: (from, target) => (isAbsolute(target) ? target : join(dirname(from), target)),
    readInclude: (path: string, _from: SourcePos) => readText(path, r),
  };
}

function readInto(draft: ConfigDraft, path: string, r: Reader, user = false): void {
  const text = readText(path, r);
  if (text === undefined) {
    draft.lint.push({ level: 'error', at: undefined, text: `config: cannot read ${path}` });
    return;
  }
  parseConfigText(draft, text, path, envFor(user, r));
}

/** Parse configuration without compiling (for tools that inspect it); `fs` is where files come from. */
export function readConfig(opts: LoadOptions | readonly string[] = {}, fs: ConfigFs = DISK_FS): ConfigDraft {
  const draft = newDraft();
  if (Array.isArray(opts)) {
    const r: Reader = { fs, keep: undefined };
    const paths = opts as readonly string[];
    const dirs = paths.filter((p) => fs.isDir(p));
    for (const d of dirs) for (const f of fs.list(d, '.pre')) readInto(draft, f, r);
    for (const p of paths) {
      if (fs.isDir(p)) for (const f of fs.list(p, '.cf')) readInto(draft, f, r);
      else readInto(draft, p, r);
    }
    return draft;
  }
  const o = opts as LoadOptions;
  const r: Reader = { fs, keep: o.onlyDirectives };
  const rulesDir = o.configPath ?? DEFAULT_RULES_DIR;
  if (!fs.isDir(rulesDir)) draft.lint.push({ level: 'error', at: undefined, text: `config: rules directory ${rulesDir} not found` });
  const site = o.siteConfigPath;
  if (site !== undefined && !fs.isDir(site)) draft.lint.push({ level: 'warn', at: undefined, text: `config: site directory ${site} not found` });
  if (site !== undefined) for (const f of fs.list(site, '.pre')) readInto(draft, f, r);
  for (const f of fs.list(rulesDir, '.pre')) readInto(draft, f, r);
  for (const f of fs.list(rulesDir, '.cf')) readInto(draft, f, r);
  if (site !== undefined) for (const f of fs.list(site, '.cf')) readInto(draft, f, r);
  if (o.userPrefs !== undefined && fs.read(o.userPrefs) !== undefined) readInto(draft, o.userPrefs, r, o.restrictUserPrefs === true);
  if (o.extraText) parseConfigText(draft, keepDirectives(o.extraText, r.keep), '(extra config)', envFor(false, r));
  return draft;
}
