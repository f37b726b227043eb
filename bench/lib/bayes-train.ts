/**
 * Shared by bench/learn and bench/bayes: the TRAIN mailboxes, and training real
 * sa-learn and hamlet-learn on them, timed, with peak memory (GNU time's %M).
 *
 * The trained databases are kept in `.bench-tmp/bayes/{sa,hamlet}` (git-ignored), so
 * `bench:bayes` reuses the last `bench:learn` run instead of training SpamAssassin again;
 * delete that folder (or run bench:learn) to retrain.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { corpusFiles, type CorpusGroup } from '../../test/helpers/corpus';

export const ROOT = resolve(__dirname, '..', '..', '..');
export const WORK = join(ROOT, '.bench-tmp', 'bayes');
export const SA_DIR = join(WORK, 'sa');
export const HAMLET_DIR = join(WORK, 'hamlet');
export const TRAIN: ReadonlyArray<[CorpusGroup, 'spam' | 'ham']> = [
  ['spam-1', 'spam'],
  ['easy-ham-1', 'ham'],
];
export const TEST_GROUPS: readonly CorpusGroup[] = ['easy-ham-2', 'hard-ham-1', 'spam-2'];

/** One mbox per group: messages keep their own `From ` line or get one; body `From ` lines are escaped. */
export function buildMbox(group: CorpusGroup): string {
  mkdirSync(WORK, { recursive: true });
  const path = join(WORK, `${group}.mbox`);
  if (existsSync(path)) return path;
  const parts: string[] = [];
  for (const f of corpusFiles(group)) {
    let text = readFileSync(f, 'latin1');
    if (!text.startsWith('From ')) text = 'From bench@localhost  Thu Jan  1 00:00:00 2002\n' + text;
    const nl = text.indexOf('\n');
    text = text.slice(0, nl + 1) + text.slice(nl + 1).replace(/^From /gm, '>From ');
    if (!text.endsWith('\n')) text += '\n';
    parts.push(text + '\n');
  }
  writeFileSync(path, parts.join(''), 'latin1');
  return path;
}

export interface TimedRun {
  seconds: number;
  /** User + system CPU of the command and its children. */
  cpuSeconds: number;
  peakMb: number;
  stdout: string;
}

/** Run a command under GNU time (with `env` added to the environment); returns wall seconds, CPU seconds and peak RSS. */
export function timed(cmd: string, args: readonly string[], env: NodeJS.ProcessEnv = {}): TimedRun {
  const t0 = performance.now();
  const r = spawnSync('/usr/bin/time', ['-f', 'PEAK_KB=%M CPU_S=%U %S', cmd, ...args], { encoding: 'latin1', maxBuffer: 1 << 30, env: { ...process.env, ...env } });
  const seconds = (performance.now() - t0) / 1000;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}): ${r.stderr.slice(-2000)}`);
  const m = /PEAK_KB=(\d+) CPU_S=([\d.]+) ([\d.]+)/.exec(r.stderr);
  return { seconds, cpuSeconds: m ? Number(m[2]) + Number(m[3]) : NaN, peakMb: m ? Number(m[1]) / 1024 : NaN, stdout: r.stdout };
}

export function dirMb(dir: string): number {
  let bytes = 0;
  for (const f of readdirSync(dir)) bytes += statSync(join(dir, f)).size;
  return bytes / (1 << 20);
}

export function haveSaLearn(): boolean {
  return spawnSync('sa-learn', ['--version'], { stdio: 'ignore' }).status === 0;
}

export interface TrainResult {
  messages: number;
  seconds: number;
  /** User + system CPU of the learner's processes. */
  cpuSeconds: number;
  peakMb: number;
  dbMb: number;
  summaries: string[];
}

/** Train one engine from scratch (one run per TRAIN group, as an administrator would). */
function train(dir: string, command: (group: CorpusGroup, cls: 'spam' | 'ham') => [string, string[]], env: NodeJS.ProcessEnv = {}): TrainResult {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const result: TrainResult = { messages: 0, seconds: 0, cpuSeconds: 0, peakMb: 0, dbMb: 0, summaries: [] };
  for (const [group, cls] of TRAIN) {
    const [cmd, args] = command(group, cls);
    const r = timed(cmd, args, env);
    result.seconds += r.seconds;
    result.cpuSeconds += r.cpuSeconds;
    result.peakMb = Math.max(result.peakMb, r.peakMb);
    result.messages += corpusFiles(group).length;
    result.summaries.push(r.stdout.trim());
  }
  result.dbMb = dirMb(dir);
  return result;
}

/** Real sa-learn into SA_DIR. */
export function trainSa(): TrainResult {
  return train(SA_DIR, (group, cls) => ['sa-learn', ['-L', '--dbpath', join(SA_DIR, 'bayes'), '--mbox', `--${cls}`, buildMbox(group)]]);
}

/** Where sa-learn reads its configuration on Debian. */
export const STOCK_CONFIG = ['-C', '/usr/share/spamassassin', '--siteconfigpath', '/etc/spamassassin'];

/**
 * hamlet-learn into HAMLET_DIR. `cacheDir` is its cache directory (HAMLET_CACHE_DIR: the code
 * cache of learning runs); by default the user's, as an administrator's runs would use.
 */
export function trainHamlet(cacheDir?: string): TrainResult {
  const cli = join(ROOT, 'bin', 'hamlet-learn.js');
  // The stock rules' Bayes settings and site files, as sa-learn reads them (hamlet-learn's own default is rules/ + /etc/hamlet).
  return train(
    HAMLET_DIR,
    (group, cls) => ['node', [cli, ...STOCK_CONFIG, '--dbpath', join(HAMLET_DIR, 'bayes'), '--mbox', `--${cls}`, buildMbox(group)]],
    cacheDir === undefined ? {} : { HAMLET_CACHE_DIR: cacheDir },
  );
}

/**
 * The learning floor (bench/lib/learn-floor.ts) on the TRAIN mailboxes, one fresh
 * process per mailbox as the learners run: the least any compatible learner spends.
 */
export function floorScan(): { messages: number; seconds: number } {
  const script = join(ROOT, 'dist', 'bench', 'lib', 'learn-floor.js');
  let messages = 0;
  let seconds = 0;
  for (const [group] of TRAIN) {
    const r = timed('node', [script, buildMbox(group)]);
    messages += Number(r.stdout.split(' ')[0]);
    seconds += r.seconds;
  }
  return { messages, seconds };
}

/** `--dump magic` of either engine, as name -> value. */
export function parseMagic(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    const m = /^\S+\s+\d+\s+(\d+)\s+\d+\s+non-token data: (.+)$/.exec(line);
    if (m) out.set(m[2]!, Number(m[1]));
  }
  return out;
}
