/**
 * bench:accuracy's Bayes side: one training set (labelled files) learned by each engine into
 * its own database, real `sa-learn` for SpamAssassin and `hamlet-learn` for hamlet, then the
 * measured files checked by each with its database.
 *
 * Only the reference's work is cached, and only by content: SpamAssassin's database under a key
 * made of the training messages' SHA-1s and labels, its answers under that key plus each
 * message's SHA-1 (`.bench-tmp/accuracy/`). hamlet trains and scans afresh every run.
 */
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { appendFileSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bayesForMessage, bayesSettings, openBayesStore } from '../../src/bayes/index';
import { parseMessage, scan, type RuleSet, type ScanResult } from '../../src/index';
import { ROOT } from './bayes-train';
import { runSaCheck } from './sa-check';

/** One labelled message. */
export interface Labelled {
  readonly file: string;
  readonly spam: boolean;
}

const CACHE = join(ROOT, '.bench-tmp', 'accuracy');

const sha1 = (data: Buffer | string): string => createHash('sha1').update(data).digest('hex');

/** A key for a training set: its messages' contents and labels, order-free. */
export function trainingKey(set: readonly Labelled[]): string {
  const lines = set.map((m) => `${m.spam ? 's' : 'h'}${sha1(readFileSync(m.file))}`).sort();
  return sha1(lines.join('\n')).slice(0, 16);
}

function run(cmd: string, args: readonly string[]): void {
  const r = spawnSync(cmd, args, { encoding: 'latin1', maxBuffer: 1 << 30 });
  if (r.status !== 0) throw new Error(`${cmd} ${args.slice(0, 6).join(' ')} ... failed (${r.status}): ${r.stderr.slice(-2000)}`);
}

/** Learn `set` with a command line per class (files in batches, so no argument list grows too long). */
function learnInBatches(set: readonly Labelled[], command: (cls: 'spam' | 'ham', files: string[]) => [string, string[]]): void {
  for (const cls of ['spam', 'ham'] as const) {
    const files = set.filter((m) => m.spam === (cls === 'spam')).map((m) => m.file);
    for (let i = 0; i < files.length; i += 1000) {
      const [cmd, args] = command(cls, files.slice(i, i + 1000));
      run(cmd, args);
    }
  }
}

/** SpamAssassin's database for `set` (trained by sa-learn once per content key); returns its bayes_path. */
export function saDatabase(set: readonly Labelled[], key: string): string {
  const dir = join(CACHE, `sa-bayes-${key}`);
  if (!existsSync(join(dir, 'bayes_toks'))) {
    const work = `${dir}.building-${process.pid}`;
    rmSync(work, { recursive: true, force: true });
    mkdirSync(work, { recursive: true });
    learnInBatches(set, (cls, files) => ['sa-learn', ['-L', '--dbpath', join(work, 'bayes'), `--${cls}`, ...files]]);
    run('sa-learn', ['--dbpath', join(work, 'bayes'), '--sync']);
    rmSync(dir, { recursive: true, force: true });
    renameSync(work, dir);
  }
  return join(dir, 'bayes');
}

/** hamlet's database for `set`, trained now by hamlet-learn into a temp dir; returns its bayes_path. */
export function hamletDatabase(set: readonly Labelled[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'bench-accuracy-hamlet-'));
  const cli = join(ROOT, 'bin', 'hamlet-learn.js');
  learnInBatches(set, (cls, files) => [process.execPath, [cli, '-C', join(ROOT, 'rules'), '--dbpath', join(dir, 'bayes'), '--no-progress', `--${cls}`, ...files]]);
  return join(dir, 'bayes');
}

/** hamlet's scan of each file with `rules` and the database at `bayesPath` (read-only, not touched). */
export async function hamletWithBayes(rules: RuleSet, bayesPath: string, files: readonly string[]): Promise<ScanResult[]> {
  const settings = bayesSettings({ ...Object.fromEntries(Object.entries(rules.options)), bayes_path: bayesPath });
  const store = openBayesStore(settings, { readonly: true });
  try {
    const out: ScanResult[] = [];
    for (const f of files) {
      const msg = parseMessage(readFileSync(f), rules.parseOptions);
      out.push(scan(msg, rules, { bayes: await bayesForMessage(store, msg, settings, { touch: false }) }));
    }
    return out;
  } finally {
    await store.close();
  }
}

/** What the bench keeps of SpamAssassin's answer. */
export interface SaAnswer {
  readonly score: number;
  readonly spam: boolean;
  readonly tests: readonly string[];
}

/**
 * SpamAssassin's stock rules with the database trained on `key`'s set, on each file. Answers
 * come from the cache when that message (by content) was checked with that database before;
 * the rest go to bench/sa/check.pl (two processes, each on its own copy of the database).
 */
export async function saWithBayes(bayesPath: string, key: string, files: readonly string[]): Promise<SaAnswer[]> {
  mkdirSync(CACHE, { recursive: true });
  const cacheFile = join(CACHE, `sa-answers-${key}.tsv`);
  const known = new Map<string, SaAnswer>();
  if (existsSync(cacheFile)) {
    for (const line of readFileSync(cacheFile, 'utf8').split('\n')) {
      const [hash, score, spam, tests] = line.split('\t');
      if (hash && score) known.set(hash, { score: Number(score), spam: spam === '1', tests: tests ? tests.split(',') : [] });
    }
  }
  const hashes = files.map((f) => sha1(readFileSync(f)));
  const todo = files.filter((_, i) => !known.has(hashes[i]!));
  if (todo.length > 0) {
    const copy = mkdtempSync(join(tmpdir(), 'bench-accuracy-sa-'));
    const src = join(bayesPath, '..');
    for (const f of readdirSync(src).filter((x) => x.startsWith('bayes_'))) copyFileSync(join(src, f), join(copy, f));
    const verdicts = await runSaCheck(todo, { shards: 2, bayes: join(copy, 'bayes') });
    rmSync(copy, { recursive: true, force: true });
    const byFile = new Map(todo.map((f, i) => [f, verdicts[i]!]));
    const lines: string[] = [];
    files.forEach((f, i) => {
      const v = byFile.get(f);
      if (!v || v.error) return;
      const a: SaAnswer = { score: v.score, spam: v.score >= 5, tests: v.tests };
      known.set(hashes[i]!, a);
      lines.push(`${hashes[i]}\t${v.score}\t${a.spam ? 1 : 0}\t${v.tests.join(',')}`);
    });
    if (lines.length > 0) appendFileSync(cacheFile, lines.join('\n') + '\n');
  }
  return hashes.map((h, i) => {
    const a = known.get(h);
    if (!a) throw new Error(`SpamAssassin gave no answer for ${files[i]}`);
    return a;
  });
}

/** Remove a database directory hamletDatabase made. */
export function dropHamletDatabase(bayesPath: string): void {
  rmSync(join(bayesPath, '..'), { recursive: true, force: true });
}
