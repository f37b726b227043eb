/**
 * bench:startup — what one CLI process costs, whole (start-up, rules, one message, exit):
 * CPU time (user + system, from wait4) and peak RSS, the median of several runs, the sides
 * taking turns so that the host's load drifts over all of them alike.
 *
 * - `hamlet -t` vs `spamassassin -L -t` on the stock rules and site files, one corpus spam;
 *   hamlet with a cold rule-set cache (a fresh, empty HAMLET_CACHE_DIR each run) and a warm one
 *   (a cache directory primed once);
 * - `hamlet -t` on hamlet's own rules (warm cache);
 * - a bare `node -e 0`, the floor any Node CLI starts from (node_cpu_s);
 * - `hamlet-learn --dump magic` vs `sa-learn --dump magic` on small databases both trained on the
 *   same 100 TRAIN messages.
 *
 * Every run has a temporary HOME, so no user's preferences or databases take part.
 * STARTUP_RUNS sets the runs per side (default 5).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { corpusFiles } from '../test/helpers/corpus';
import { haveSaLearn, STOCK_CONFIG, TRAIN } from './lib/bayes-train';
import { timedRun, type TimedRun } from './lib/timed-run';

const ROOT = resolve(__dirname, '..', '..');
const STOCK_RULES = '/usr/share/spamassassin';
const STOCK_SITE = '/etc/spamassassin';
const RUNS = Math.max(1, Number(process.env.STARTUP_RUNS ?? 5));
const TIMEOUT_S = 120;
/** Messages of each TRAIN group learned before the dump runs. */
const LEARN_PER_GROUP = 50;

/** One kind of process to time, as an argv; `env` is added per run (a fresh cache dir for the cold side). */
interface Side {
  readonly name: string;
  readonly argv: readonly string[];
  readonly input: string;
  /** Extra environment for one run. */
  readonly env: () => Record<string, string>;
  /** What the output must show for the run to count (a run that failed is not a measurement). */
  readonly expect: RegExp;
}

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

/** The absolute path of a command on PATH (the timing driver execs it directly), or undefined. */
function which(cmd: string): string | undefined {
  const r = spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() || undefined : undefined;
}

/** Run `side` once under /usr/bin/env (the environment travels as arguments: the driver inherits ours). */
async function runOnce(side: Side, work: string): Promise<TimedRun> {
  const env = Object.entries(side.env()).map(([k, v]) => `${k}=${v}`);
  const out = join(work, `${side.name}.out`);
  const r = await timedRun(['/usr/bin/env', ...env, ...side.argv], side.input, out, TIMEOUT_S);
  const text = readFileSync(out, 'latin1');
  if (r.code !== 0 || r.timedOut || !side.expect.test(text)) {
    throw new Error(`bench:startup: ${side.name} failed (exit ${r.code}${r.timedOut ? ', timed out' : ''}): ${r.stderr.slice(-800)}${text.slice(-300)}`);
  }
  return r;
}

/** Train a database with `learn(kind, files)` on the first LEARN_PER_GROUP messages of each TRAIN group. */
function trainSmall(home: string, learn: (cls: 'spam' | 'ham', files: string[]) => readonly string[]): void {
  for (const [group, cls] of TRAIN) {
    const argv = learn(cls, corpusFiles(group).slice(0, LEARN_PER_GROUP));
    const r = spawnSync(argv[0]!, argv.slice(1), { encoding: 'latin1', maxBuffer: 1 << 26, env: { ...process.env, HOME: home } });
    if (r.status !== 0) throw new Error(`bench:startup: training failed: ${argv.slice(0, 4).join(' ')} ...: ${r.stderr.slice(-800)}`);
  }
}

async function main(): Promise<void> {
  const spamassassin = which('spamassassin');
  const saLearn = haveSaLearn() ? which('sa-learn') : undefined;
  if (!spamassassin) {
    console.error('bench:startup: spamassassin is not installed; cannot compare');
    process.exitCode = 1;
    return;
  }
  const work = mkdtempSync(join(tmpdir(), 'hamlet-bench-startup-'));
  try {
    const home = join(work, 'home');
    // SpamAssassin writes ~/.spamassassin/user_prefs on its first run, which hamlet also reads
    // (its fallback): a shared HOME would change hamlet's configuration, and its cache, mid-bench.
    const saHome = join(work, 'sa-home');
    const warmCache = join(work, 'cache-warm');
    mkdirSync(home);
    mkdirSync(saHome);
    mkdirSync(warmCache);
    let cold = 0;
    const coldCache = (): string => {
      const dir = join(work, `cache-cold-${cold++}`);
      mkdirSync(dir);
      return dir;
    };
    const message = corpusFiles('spam-2')[0]!;
    const node = process.execPath;
    const hamlet = join(ROOT, 'bin', 'hamlet.js');
    const stock = ['-C', STOCK_RULES, '--siteconfigpath', STOCK_SITE];
    const report = /Content analysis details/;
    const sides: Side[] = [
      { name: 'hamlet_stock_warm', argv: [node, hamlet, '-L', '-t', ...stock], input: message, env: () => ({ HOME: home, HAMLET_CACHE_DIR: warmCache }), expect: report },
      { name: 'spamassassin', argv: [spamassassin, '-L', '-t'], input: message, env: () => ({ HOME: saHome }), expect: report },
      { name: 'hamlet_stock_cold', argv: [node, hamlet, '-L', '-t', ...stock], input: message, env: () => ({ HOME: home, HAMLET_CACHE_DIR: coldCache() }), expect: report },
      { name: 'hamlet_own_warm', argv: [node, hamlet, '-L', '-t'], input: message, env: () => ({ HOME: home, HAMLET_CACHE_DIR: warmCache }), expect: report },
      { name: 'node_bare', argv: [node, '-e', '0'], input: '/dev/null', env: () => ({ HOME: home }), expect: /^$/ },
    ];

    if (saLearn) {
      const hamletDb = join(work, 'hamlet-bayes', 'bayes');
      const saDb = join(work, 'sa-bayes', 'bayes');
      const hamletLearn = join(ROOT, 'bin', 'hamlet-learn.js');
      trainSmall(home, (cls, files) => [node, hamletLearn, ...STOCK_CONFIG, '--dbpath', hamletDb, `--${cls}`, ...files]);
      trainSmall(saHome, (cls, files) => [saLearn, '-L', '--dbpath', saDb, `--${cls}`, ...files]);
      const magic = /non-token data: nspam/;
      sides.push(
        { name: 'hamlet_learn_dump', argv: [node, hamletLearn, ...STOCK_CONFIG, '--dbpath', hamletDb, '--dump', 'magic'], input: '/dev/null', env: () => ({ HOME: home, HAMLET_CACHE_DIR: warmCache }), expect: magic },
        { name: 'sa_learn_dump', argv: [saLearn, '--dbpath', saDb, '--dump', 'magic'], input: '/dev/null', env: () => ({ HOME: saHome }), expect: magic },
      );
    } else {
      console.log('sa-learn is not installed: the --dump magic comparison is left out');
    }

    // Prime the warm cache (both rule sets), then take turns.
    await runOnce(sides[0]!, work);
    await runOnce(sides[3]!, work);
    const runs = new Map<string, TimedRun[]>(sides.map((s) => [s.name, []]));
    for (let i = 0; i < RUNS; i++) {
      for (const side of sides) runs.get(side.name)!.push(await runOnce(side, work));
    }

    const cpuS = (name: string): number => median(runs.get(name)!.map((r) => r.cpuMs)) / 1000;
    const peak = (name: string): number => median(runs.get(name)!.map((r) => r.peakMb));
    for (const s of sides) {
      const rs = runs.get(s.name)!;
      console.log(`${s.name.padEnd(18)} cpu ${cpuS(s.name).toFixed(3)} s (runs: ${rs.map((r) => (r.cpuMs / 1000).toFixed(2)).join(' ')}), peak ${peak(s.name).toFixed(0)} MB`);
    }
    const a = cpuS('hamlet_stock_warm');
    const b = cpuS('spamassassin');
    const learnKeys = saLearn
      ? ` learn_dump_cpu_s=${cpuS('hamlet_learn_dump').toFixed(3)} sa_learn_dump_cpu_s=${cpuS('sa_learn_dump').toFixed(3)} learn_dump_ratio=${(cpuS('hamlet_learn_dump') / cpuS('sa_learn_dump')).toFixed(2)}`
      : '';
    console.log(
      `RESULT startup cli_cpu_s=${a.toFixed(3)} sa_cli_cpu_s=${b.toFixed(3)} cli_ratio=${(a / b).toFixed(2)} cold_cli_cpu_s=${cpuS('hamlet_stock_cold').toFixed(3)} ` +
        `own_cli_cpu_s=${cpuS('hamlet_own_warm').toFixed(3)} peak_mb=${peak('hamlet_stock_warm').toFixed(0)} sa_peak_mb=${peak('spamassassin').toFixed(0)} ` +
        `cold_peak_mb=${peak('hamlet_stock_cold').toFixed(0)} own_peak_mb=${peak('hamlet_own_warm').toFixed(0)} node_cpu_s=${cpuS('node_bare').toFixed(3)}${learnKeys}`,
    );
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  console.error((e as Error).message);
  process.exitCode = 1;
});
