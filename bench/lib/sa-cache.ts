/**
 * SpamAssassin's verdicts kept between bench runs: real SpamAssassin takes most of an hour over
 * the corpora on this machine, and its answer on a message does not change while the message, its
 * version and its rule files do not. An entry is keyed by the SHA-256 of the message's bytes
 * under a folder keyed by SpamAssassin's version, the settings of the run and the rule files'
 * names, sizes and times; it holds only what SpamAssassin answered (never anything of hamlet's).
 *
 * SpamAssassin 4.0.1 fills a rule's `%{TAG}` template once per process (observed: a message hits
 * GB_CUSTOM_HTM_URI alone and misses it after another message, even with a new
 * Mail::SpamAssassin object), so a message the stock capture rules concern (its To address is in
 * one of its URIs) is checked by a SpamAssassin process of its own, as `spamassassin` checks it.
 *
 * Folder: `$HAMLET_SA_CACHE_DIR`, else `~/.cache/hamlet-sa-verdicts`.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { headerText, parseHeaderRequest, type HeaderRequest } from '../../src/message/header-access';
import { parseMessage } from '../../src/message/parse';
import { parseSaOutput, runSaCheck, type SaCheckOptions, type SaVerdict } from './sa-check';

const TO_ADDR = parseHeaderRequest('To:addr') as HeaderRequest;

/**
 * True when an http(s) URI of the message carries its To address after `#`, `=` or `/`: what
 * the stock `%{GB_TO_ADDR}` rules look for.
 */
function captureConcerned(file: string): boolean {
  const m = parseMessage(readFileSync(file));
  const to = headerText(m, TO_ADDR)?.trim().toLowerCase();
  if (to === undefined || to === '') return false;
  return m.uriList.some((u) => {
    const l = u.toLowerCase();
    const at = l.indexOf(to);
    return at > 0 && /^https?:\/\//.test(l) && '#=/'.includes(l[at - 1]!);
  });
}

/** SpamAssassin on each file in a process of its own, two at a time. */
async function runAlone(files: readonly string[], opts: SaCheckOptions): Promise<SaVerdict[]> {
  const out: SaVerdict[] = [];
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < files.length) {
      const i = next++;
      out[i] = (await runSaCheck([files[i]!], { ...opts, shards: 1 }))[0]!;
    }
  };
  await Promise.all([lane(), lane()]);
  return out;
}

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
  return createHash('sha256').update(readFileSync(file)).digest('hex') + (captureConcerned(file) ? '-alone' : '');
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
    const alone = todo.filter((f) => keys[files.indexOf(f)]!.endsWith('-alone'));
    const shared = todo.filter((f) => !alone.includes(f));
    const got = [...(await runSaCheck(shared, opts)), ...(await runAlone(alone, opts))];
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

/**
 * Put verdicts check.pl printed earlier (same options) into the cache, e.g. from a run in the
 * background. `alone`: they come from one process per message (otherwise the messages that
 * need one are left out).
 */
export function seedSaCache(verdicts: readonly SaVerdict[], opts: SaCheckOptions, alone = false): number {
  const dir = cacheFolder(opts);
  let n = 0;
  for (const v of verdicts) {
    if (v.error || !existsSync(v.path)) continue;
    const key = contentKey(v.path);
    if (key.endsWith('-alone') !== alone) continue;
    store(dir, key, v);
    n++;
  }
  return n;
}
