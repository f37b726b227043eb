/**
 * The compiled rule-set cache, `sa-compile` done automatically: the first load of a
 * configuration compiles it and stores the result; later loads check that every input is
 * still the same (each file by its content hash, or by a stat that vouches for it, see
 * rule-cache-inputs.ts; each directory re-listed) and read the
 * stored rule set instead of parsing, translating and analysing thousands of rules again.
 * The key also holds the load options, hamlet's version and build, and Node's and V8's
 * versions. Anything wrong with a cache file means it is rebuilt; a directory that cannot be
 * used means no cache (a debug line, never an error).
 */
import { readdirSync, statSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { crc32 } from 'node:zlib';
import { compileDraft, type RuleSet } from './compile';
import { readConfig, type ConfigFs, type LoadOptions } from './read';
import { decodeRuleSet, encodeRuleSet } from './rule-cache-codec';
import { changedInput, digest, RecordingFs } from './rule-cache-inputs';
import { readEntry, writeEntry } from './rule-cache-store';
import { EVAL_REGISTRY } from '../eval/index';
import { HAMLET_VERSION } from '../util/version';
import { defaultCacheDir, preparePrivateDir } from '../util/private-files';

/** Where and how the cache is used. */
export interface RuleCacheOptions {
  /** The cache directory; `defaultRuleCacheDir()` when omitted. */
  readonly dir?: string;
  /** hamlet's version as the key holds it (tests set their own); the package's when omitted. */
  readonly version?: string;
  /** Where to say what the cache did (loaded, rebuilt and why, written, not usable). */
  readonly debug?: (text: string) => void;
  /** Called before the configuration is compiled (no usable cache file, or no usable directory). */
  readonly beforeCompile?: () => void;
}

/** Bumped when what is stored changes shape. */
const FORMAT = 8;

/** The cache directory by platform convention (util/private-files.ts). */
export const defaultRuleCacheDir = defaultCacheDir;

let stamp: string | undefined;

/**
 * The build of hamlet's code: sizes and times of its compiled files. The package version alone
 * does not change when the code is rebuilt from a changed source, and a stale translation would
 * be served silently.
 */
function codeStamp(): string {
  if (stamp !== undefined) return stamp;
  const root = resolve(__dirname, '..');
  const lines: string[] = [];
  // The code that decides what a rule set holds: reading, translating, evals, the engine's plan.
  for (const dir of ['config', 'engine', 'eval']) {
    try {
      for (const f of readdirSync(join(root, dir))) {
        if (!f.endsWith('.js') && !f.endsWith('.json')) continue;
        const st = statSync(join(root, dir, f));
        lines.push(`${dir}/${f} ${st.size} ${st.mtimeMs}`);
      }
    } catch {
      lines.push(`${dir} unreadable`);
    }
  }
  // As it is, not hashed: hashing would load node:crypto, which a warm run needs nowhere else.
  return (stamp = lines.sort().join('\n'));
}

/**
 * The cache key: everything besides the input files that decides the compiled rule set. `where`
 * is its configuration part alone, which names the file: a new version or build replaces the
 * file of the same configuration instead of leaving the old one behind.
 */
function cacheKey(opts: LoadOptions | readonly string[], version: string): { key: string; where: string } {
  let load: unknown;
  let paths: readonly (string | undefined)[];
  if (Array.isArray(opts)) load = paths = opts as readonly string[];
  else {
    const { onlyDirectives: _no, ...rest } = opts as LoadOptions;
    load = rest;
    paths = [rest.configPath, rest.siteConfigPath, rest.userPrefs];
  }
  // Relative paths are read from the working directory.
  const cwd = paths.some((p) => p !== undefined && !isAbsolute(p)) ? process.cwd() : undefined;
  const where = JSON.stringify({ load, cwd });
  return { key: JSON.stringify({ format: FORMAT, hamlet: version, code: codeStamp(), node: process.version, v8: process.versions.v8, where }), where };
}

/** The file of a configuration: a checksum of `where` names it (the key inside says whose it is). */
function fileName(where: string): string {
  return typeof crc32 === 'function' ? `rules-${crc32(where).toString(16)}-${where.length}.bin` : `rules-${digest(where).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')}.bin`;
}

/** The stored rule set when it is still what `key` and its inputs say; else why not. */
function fromCache(file: string, key: string): RuleSet | string {
  const got = readEntry(file);
  if (typeof got === 'string') return got;
  if (got.key !== key) return 'key mismatch';
  return changedInput(got.inputs) ?? decodeRuleSet(got.payload);
}

/** Load configuration through the cache (see the file comment). */
export function cachedRuleSet(opts: LoadOptions | readonly string[], cache: RuleCacheOptions = {}): RuleSet {
  const debug = cache.debug ?? ((): void => undefined);
  const compileFresh = (fs?: ConfigFs): RuleSet => {
    cache.beforeCompile?.();
    return compileDraft(readConfig(opts, fs), EVAL_REGISTRY);
  };
  // Reading only some directives gives a partial rule set: not something to store.
  if (!Array.isArray(opts) && (opts as LoadOptions).onlyDirectives) return compileFresh();
  const dir = cache.dir ?? defaultRuleCacheDir();
  const unusable = preparePrivateDir(dir);
  if (unusable) {
    debug(`rule cache: not used: ${unusable}`);
    return compileFresh();
  }
  const { key, where } = cacheKey(opts, cache.version ?? HAMLET_VERSION);
  const name = fileName(where);
  const file = join(dir, name);
  const cached = fromCache(file, key);
  if (typeof cached !== 'string') {
    debug(`rule cache: loaded ${file}`);
    return cached;
  }
  debug(`rule cache: compiling (${cached})`);
  const rec = new RecordingFs();
  const rs = compileFresh(rec);
  if (!rec.consistent) {
    debug('rule cache: not written: configuration changed while it was read');
    return rs;
  }
  let payload: Buffer;
  try {
    payload = encodeRuleSet(rs);
  } catch (e) {
    debug(`rule cache: not written: ${(e as Error).message}`);
    return rs;
  }
  const failed = writeEntry(dir, name, { key, inputs: rec.entries(), payload });
  debug(failed ? `rule cache: ${failed}` : `rule cache: wrote ${file}`);
  return rs;
}
