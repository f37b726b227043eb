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

/** Blank the lines whose first word `keep` does not match. */
function keepDirectives(text: string, keep: RegExp | undefined): string {
  if (!keep) return text;
  return text.replace(/^[ \t]*([^\s#]*).*$/gm, (line, word: string) => (keep.test(word) ? line : ''));
}

/** hamlet's own default rule set, shipped in the package. */
export const DEFAULT_RULES_DIR = resolve(__dirname, '..', '..', '..', 'rules');

function isDir(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

function filesIn(dir: string, ext: string): string[] {
  try {
    return readdirSync(dir)
      .filter((f) => f.endsWith(ext))
      .sort()
      .map((f) => join(dir, f))
      .filter((p) => !isDir(p));
  } catch {
    return [];
  }
}

function readText(path: string, keep?: RegExp): string | undefined {
  try {
    return keepDirectives(readFileSync(path, 'latin1'), keep);
  } catch {
    return undefined;
  }
}

function envFor(user: boolean, keep?: RegExp): ParseEnv {
  return {
    user,
    resolve: (from, target) => (isAbsolute(target) ? target : join(dirname(from), target)),
    readInclude: (path: string, _from: SourcePos) => readText(path, keep),
  };
}

function readInto(draft: ConfigDraft, path: string, user = false, keep?: RegExp): void {
  const text = readText(path, keep);
  if (text === undefined) {
    draft.lint.push({ level: 'error', at: undefined, text: `config: cannot read ${path}` });
    return;
  }
  parseConfigText(draft, text, path, envFor(user, keep));
}

/** Parse configuration without compiling (for tools that inspect it). */
export function readConfig(opts: LoadOptions | readonly string[] = {}): ConfigDraft {
  const draft = newDraft();
  if (Array.isArray(opts)) {
    const paths = opts as readonly string[];
    const dirs = paths.filter(isDir);
    for (const d of dirs) for (const f of filesIn(d, '.pre')) readInto(draft, f);
    for (const p of paths) {
      if (isDir(p)) for (const f of filesIn(p, '.cf')) readInto(draft, f);
      else readInto(draft, p);
    }
    return draft;
  }
  const o = opts as LoadOptions;
  const rulesDir = o.configPath ?? DEFAULT_RULES_DIR;
  if (!isDir(rulesDir)) draft.lint.push({ level: 'error', at: undefined, text: `config: rules directory ${rulesDir} not found` });
  const site = o.siteConfigPath;
  if (site !== undefined && !isDir(site)) draft.lint.push({ level: 'warn', at: undefined, text: `config: site directory ${site} not found` });
  const keep = o.onlyDirectives;
  if (site !== undefined) for (const f of filesIn(site, '.pre')) readInto(draft, f, false, keep);
  for (const f of filesIn(rulesDir, '.pre')) readInto(draft, f, false, keep);
  for (const f of filesIn(rulesDir, '.cf')) readInto(draft, f, false, keep);
  if (site !== undefined) for (const f of filesIn(site, '.cf')) readInto(draft, f, false, keep);
  if (o.userPrefs !== undefined && readText(o.userPrefs) !== undefined) readInto(draft, o.userPrefs, o.restrictUserPrefs === true, keep);
  if (o.extraText) parseConfigText(draft, keepDirectives(o.extraText, keep), '(extra config)', envFor(false, keep));
  return draft;
}
