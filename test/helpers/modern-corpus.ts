/**
 * The modern corpus (`../shared/corpora/modern-2019.tar.xz`, 4,000 messages of 2019-2026) for
 * tests and benches: unpacked once into a cache folder, stripped of its list path by the
 * corpus's own `strip-list-path.py` (the view every measurement uses), and split in two.
 *
 * The split is fixed and by file name, so every issue measures the same part:
 * - `dev`: the part we look at while writing rules (about a third of each label);
 * - `measure`: the part we only measure, never read.
 * A message is `dev` when the first byte of SHA-1(its path relative to the corpus root, e.g.
 * `spam/osst-users/osst-users_00012_ab12cd34ef56.eml`) is below 0x55 (85 of 256).
 */
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

export type ModernLabel = 'ham' | 'spam';
export type ModernPart = 'dev' | 'measure';

/** One message of the stripped view. */
export interface ModernMessage {
  /** Path relative to the corpus root (`ham/<list>/<file>.eml`). */
  readonly rel: string;
  /** Absolute path of the stripped copy. */
  readonly file: string;
  readonly label: ModernLabel;
  readonly part: ModernPart;
  /** The list it came from (never use it in a rule: it gives the label away). */
  readonly list: string;
  readonly year: number;
}

/** Where the shared corpora live: `$HAMLET_CORPORA`, else `../shared/corpora` from the project root. */
export function sharedCorporaDir(): string {
  return process.env.HAMLET_CORPORA ?? resolve(__dirname, '..', '..', '..', '..', 'shared', 'corpora');
}

/** True when the archive is present (tests skip visibly without it). */
export function modernCorpusAvailable(): boolean {
  return existsSync(join(sharedCorporaDir(), 'modern-2019.tar.xz'));
}

/** Which part a corpus-relative path belongs to. */
export function modernPart(rel: string): ModernPart {
  return createHash('sha1').update(rel).digest()[0]! < 0x55 ? 'dev' : 'measure';
}

function cacheRoot(): string {
  const base = process.env.HAMLET_CORPUS_CACHE ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'hamlet-corpora');
  mkdirSync(base, { recursive: true });
  return base;
}

/**
 * The stripped view's root folder, unpacking and stripping on first use. Built in a temporary
 * folder and renamed into place, so a run that dies half way leaves nothing that looks complete.
 */
export function modernCorpusRoot(): string {
  const root = join(cacheRoot(), 'modern-2019-stripped');
  if (existsSync(join(root, 'manifest.tsv'))) return root;
  const src = sharedCorporaDir();
  const work = join(cacheRoot(), `build-${process.pid}`);
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  execFileSync('tar', ['-xJf', join(src, 'modern-2019.tar.xz'), '-C', work]);
  execFileSync('python3', [join(src, 'strip-list-path.py'), join(work, 'modern-2019'), join(work, 'stripped')], { stdio: 'ignore' });
  // The manifest goes last: its presence marks a complete view.
  renameSync(join(work, 'modern-2019', 'manifest.tsv'), join(work, 'stripped', 'manifest.tsv'));
  try {
    renameSync(join(work, 'stripped'), root);
  } catch (err) {
    // Another process finished first: its copy is as good as ours.
    if (!existsSync(join(root, 'manifest.tsv'))) throw err;
  }
  rmSync(work, { recursive: true, force: true });
  return root;
}

/** Every message of the stripped view, in manifest order, optionally one part and/or label only. */
export function modernMessages(filter: { part?: ModernPart; label?: ModernLabel } = {}): ModernMessage[] {
  const root = modernCorpusRoot();
  const lines = readFileSync(join(root, 'manifest.tsv'), 'utf8').split('\n').slice(1).filter(Boolean);
  const out: ModernMessage[] = [];
  for (const line of lines) {
    const [rel, label, , , year] = line.split('\t') as [string, ModernLabel, string, string, string];
    const msg: ModernMessage = { rel, file: join(root, rel), label, part: modernPart(rel), list: rel.split('/')[1]!, year: Number(year) };
    if (filter.part && msg.part !== filter.part) continue;
    if (filter.label && msg.label !== filter.label) continue;
    out.push(msg);
  }
  return out;
}
