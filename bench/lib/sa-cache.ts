/**
 * SpamAssassin's verdicts kept between bench runs: real SpamAssassin takes most of an hour over
 * the corpora on this machine, and its answer on a message does not change while the message, its
 * version and its rule files do not. An entry is keyed by the SHA-256 of the message's bytes
 * under a folder keyed by SpamAssassin's version, the settings of the run and the rule files'
 * names, sizes and times; it holds only what SpamAssassin answered (never anything of hamlet's).
 *
 * Folder: `$HAMLET_SA_CACHE_DIR`, else `~/.cache/hamlet-sa-verdicts`.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { parseSaOutput, runSaCheck, type SaCheckOptions, type SaVerdict } from './sa-check';

/** SpamAssassin's version as Perl reports it (part of every key). */
function saVersion(): string {
  return execFileSync('perl', ['-MMail::SpamAssassin', '-e', 'print Mail::SpamAssassin::Version()'], { encoding: 'utf8' }).trim();
}

/** Names, sizes and modification times of the `.cf`/`.pre` files of `dir` (a changed rule file is a new key). */
function ruleFilesStamp(dir: string | undefined): string {
  if (!dir || !existsSync(dir)) return '-';
  return readdirSync(dir)
    .filter((f) => /\.(?:cf|pre)$/.test(f))
    .sort()
    .map((f) => {
      const s = statSync(join(dir, f));
      return `${f}:${s.size}:${s.mtimeMs}`;
    })
    .join(',');
}

/** The folder of one SpamAssassin version + settings. */
function cacheFolder(opts: SaCheckOptions): string {
  const base = process.env.HAMLET_SA_CACHE_DIR ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'hamlet-sa-verdicts');
  const settings = JSON.stringify({ sa: saVersion(), rules: opts.rules, site: opts.site, dns: opts.dns ?? '', r: ruleFilesStamp(opts.rules), s: ruleFilesStamp(opts.site) });
  const dir = join(base, createHash('sha256').update(settings).digest('hex').slice(0, 16));
  mkdirSync(dir, { recursive: true });
  return dir;
}

function contentKey(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

function line(v: SaVerdict): string {
  return `${v.path}\t${v.score.toFixed(3)}\t${v.tests.join(',')}\t${v.subtests.join(',')}\t${Number.isNaN(v.ms) ? '' : v.ms.toFixed(1)}\n`;
}

/** Store one verdict SpamAssassin gave on `file` (errors are not stored: they are retried). */
function store(dir: string, key: string, v: SaVerdict): void {
  if (v.error) return;
  const tmp = join(dir, `.${key}.${process.pid}`);
  writeFileSync(tmp, line(v));
  renameSync(tmp, join(dir, key));
}

/**
 * SpamAssassin's verdicts on `files` (input order): from the cache where it has them, the rest
 * from `runSaCheck` (then stored). `onMiss` hears how many must be scanned.
 */
export async function cachedSaVerdicts(files: readonly string[], opts: SaCheckOptions, onMiss?: (n: number) => void): Promise<SaVerdict[]> {
  const dir = cacheFolder(opts);
  const keys = files.map(contentKey);
  const out: (SaVerdict | undefined)[] = keys.map((k, i) => {
    const p = join(dir, k);
    if (!existsSync(p)) return undefined;
    const v = parseSaOutput(readFileSync(p, 'utf8'))[0];
    return v && { ...v, path: files[i]! };
  });
  const todo = files.filter((_f, i) => out[i] === undefined);
  onMiss?.(todo.length);
  if (todo.length > 0) {
    const got = await runSaCheck(todo, opts);
    const byPath = new Map(got.map((v) => [v.path, v]));
    files.forEach((f, i) => {
      if (out[i] !== undefined) return;
      const v = byPath.get(f)!;
      store(dir, keys[i]!, v);
      out[i] = v;
    });
  }
  return out as SaVerdict[];
}

/** Put verdicts check.pl printed earlier (same options) into the cache, e.g. from a run in the background. */
export function seedSaCache(verdicts: readonly SaVerdict[], opts: SaCheckOptions): number {
  const dir = cacheFolder(opts);
  let n = 0;
  for (const v of verdicts) {
    if (v.error || !existsSync(v.path)) continue;
    store(dir, contentKey(v.path), v);
    n++;
  }
  return n;
}
