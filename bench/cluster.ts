/**
 * bench:cluster — several hamletd hosts sharing one Bayes server, against one hamletd on its
 * SQLite file, with real `spamc -c` clients (stock rules, -L, Bayes on, auto-learn and AWL off):
 *
 * - Scanning: the same trained data everywhere (sa-learn's TRAIN database, copied with
 *   `hamlet-learn --backup` / `--restore` into the SQLite file and each server). SQLite: one
 *   hamletd with 2 workers; a shared store: two hamletd with 1 worker each (the same number of
 *   workers on this 2-core machine), the clients split between them. Passes alternate
 *   (SQLite, shared, shared, SQLite over two halves of the sample) so load drift hits both.
 * - Learning: hamlet-learn TRAIN into an empty database of each server against sa-learn TRAIN into
 *   the same server, in this run, taking turns; the ratio is of CPU seconds, each learner charged
 *   its own processes' and the server's (the wall-time ratio is printed too).
 * - Lost counts: hamlet-learn's spam and ham mailboxes learned by two processes at once into one
 *   database while two hamletd scan from it; its backup must equal the serial run's line for line.
 *
 * Target: a shared store costs at most 25% of SQLite's scan rate; hamlet learns >= 10x faster
 * than sa-learn into the same server. A backend that cannot start here is reported as missing.
 *
 * Usage: npm run bench:cluster [-- --sample N] [--clients C] [--backends redis,pg] [--fresh]
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { corpusFiles } from '../test/helpers/corpus';
import { ROOT, TEST_GROUPS, TRAIN, buildMbox, timed } from './lib/bayes-train';
import { STOCK_CONFIG, backupLines, hamletLearnTrain, hamletRestore, saLearnInto, saLearnTrain, startBenchStore, type BackendKind, type BenchStore, type StoreTraining } from './lib/bench-store';
import { startHamletd, type HamletdServer } from './lib/hamletd-run';
import { LOCAL_ONLY_CF } from './lib/local-only';
import { runSpamcLanes, type SpamcRun } from './lib/spamc-lanes';

function arg(name: string, dflt: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1]! : dflt;
}

const load = (): string => loadavg().map((x) => x.toFixed(2)).join(' ');
const RULES = '/usr/share/spamassassin';
const SITE = '/etc/spamassassin';
const CLI = join(ROOT, 'bin', 'hamlet-learn.js');
/** Databases on each server: sa-learn's TRAIN (the scanned data), hamlet-learn serial, concurrent, sa-learn timed. */
const DB_SA = 1;
const DB_SERIAL = 2;
const DB_CONCURRENT = 3;
/** sa-learn's timed run when the scanned data came from the cache. */
const DB_SCRATCH = 4;

const scanCf = (storeCf: string): string => [LOCAL_ONLY_CF, 'use_bayes 1', 'bayes_auto_learn 0', storeCf].join('\n');
const okRun = (r: SpamcRun): boolean => (r.code === 0 || r.code === 1) && /^-?[\d.]+\/[\d.]+$/.test(r.out);

/** The servers of one setup and how to feed them. */
interface Setup {
  readonly name: string;
  readonly servers: HamletdServer[];
}

/** Feed `files` split over the setup's servers, `clients` spamc in all; seconds and errors. */
async function pass(setup: Setup, files: readonly string[], clients: number): Promise<{ seconds: number; errors: number }> {
  const n = setup.servers.length;
  const t0 = performance.now();
  const runs = await Promise.all(
    setup.servers.map((s, i) =>
      runSpamcLanes(
        files.filter((_f, j) => j % n === i),
        Math.max(1, Math.round(clients / n)),
        ['-d', '127.0.0.1', '-p', String(s.port), '-c', '-t', '60'],
      ),
    ),
  );
  const seconds = (performance.now() - t0) / 1000;
  const done = runs.flatMap((r) => r.runs);
  return { seconds, errors: files.length - done.filter(okRun).length };
}

async function startSetup(name: string, cf: string, count: number, workers: number): Promise<Setup> {
  const servers: HamletdServer[] = [];
  try {
    for (let i = 0; i < count; i++) servers.push(await startHamletd({ rules: RULES, site: SITE, cf: scanCf(cf), args: ['-m', String(workers)] }));
  } catch (e) {
    for (const s of servers) await s.stop();
    throw e;
  }
  return { name, servers };
}

async function stopSetup(s: Setup): Promise<void> {
  for (const h of s.servers) await h.stop();
}

/** hamlet-learn's TRAIN mailboxes by two processes at once (spam and ham) into `db`, while `scan` runs. */
async function concurrentLearn(store: BenchStore, db: number, scan: () => Promise<{ errors: number }>): Promise<{ seconds: number; scanErrors: number }> {
  await store.reset(db);
  const cf = store.cf(db).split('\n').flatMap((l) => ['--cf', l]);
  const t0 = performance.now();
  const learners = TRAIN.map(
    ([group, cls]) =>
      new Promise<void>((resolve, reject) => {
        const p = spawn(process.execPath, [CLI, ...STOCK_CONFIG, ...cf, '--no-progress', '--threads', '1', '--mbox', `--${cls}`, buildMbox(group)], { stdio: ['ignore', 'ignore', 'pipe'] });
        let err = '';
        p.stderr.on('data', (d: Buffer) => (err += d.toString()));
        p.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`hamlet-learn --${cls} exited ${code}: ${err.slice(-500)}`))));
      }),
  );
  const [scanned] = await Promise.all([scan(), ...learners]);
  return { seconds: (performance.now() - t0) / 1000, scanErrors: (scanned as { errors: number }).errors };
}

/** Lines in one list and not the other (both sorted backups). */
function differing(a: readonly string[], b: readonly string[]): number {
  const count = (xs: readonly string[]) => xs.reduce((m, x) => m.set(x, (m.get(x) ?? 0) + 1), new Map<string, number>());
  const ca = count(a);
  const cb = count(b);
  let d = 0;
  for (const [k, v] of ca) d += Math.abs(v - (cb.get(k) ?? 0));
  for (const [k, v] of cb) if (!ca.has(k)) d += v;
  return d;
}

interface BackendResult {
  rate?: number;
  learnRatio?: number;
  learnWallRatio?: number;
  lost?: number;
  missing?: string;
}

async function main(): Promise<void> {
  const clients = Number(arg('--clients', '8'));
  const backends = arg('--backends', 'pg,redis').split(',') as BackendKind[];
  const all = TEST_GROUPS.flatMap((g) => corpusFiles(g));
  const sample = Number(arg('--sample', '800'));
  const step = Math.max(1, Math.floor(all.length / sample));
  const files = all.filter((_f, i) => i % step === 0).slice(0, sample);
  const halves = [files.slice(0, Math.ceil(files.length / 2)), files.slice(Math.ceil(files.length / 2))];
  const results = new Map<BackendKind, BackendResult>();
  const tmp = mkdtempSync(join(tmpdir(), 'bench-cluster-'));
  let sqliteRate = NaN;
  let backupFile: string | undefined;
  console.log(`bench:cluster: ${files.length} TEST messages, ${clients} concurrent real spamc -c, stock rules, -L, Bayes on (sa-learn's TRAIN database), auto-learn and AWL off; load ${load()}`);
  try {
    for (const kind of backends) {
      let store: BenchStore;
      try {
        store = await startBenchStore(kind);
      } catch (e) {
        results.set(kind, { missing: (e as Error).message });
        console.log(`${kind}: not measured (${(e as Error).message})`);
        continue;
      }
      try {
        const sa = await saLearnTrain(store, DB_SA, { fresh: process.argv.includes('--fresh') });
        if (!backupFile) {
          // The scanned data, shared by every setup: sa-learn's database as a backup.
          backupFile = join(tmp, 'sa-train.backup');
          writeFileSync(backupFile, timed(process.execPath, [CLI, ...store.cf(DB_SA).split('\n').flatMap((l) => ['--cf', l]), '--backup']).stdout, 'latin1');
          // hamletd's SQLite file, from the same backup.
          mkdirSync(join(tmp, 'sqlite'));
          timed(process.execPath, [CLI, '--dbpath', join(tmp, 'sqlite', 'bayes'), '--restore', backupFile]);
        } else hamletRestore(store, DB_SA, backupFile);
        // Learning speed: both learners in this run, taking turns (hamlet-learn, sa-learn, hamlet-learn),
        // each charged its own CPU and the server's while it ran.
        const h1 = await hamletLearnTrain(store, DB_SERIAL);
        const saRun = sa.cached ? await saLearnInto(store, DB_SCRATCH) : sa;
        const h2 = await hamletLearnTrain(store, DB_SERIAL);
        const cost = (t: StoreTraining): number => t.cpuSeconds + t.serverCpuSeconds;
        const hamletCost = (cost(h1) + cost(h2)) / 2;
        const hamletWall = (h1.seconds + h2.seconds) / 2;
        const learnRatio = cost(saRun) / hamletCost;
        const learnWallRatio = saRun.seconds / hamletWall;
        const cpuLine = (t: StoreTraining): string => `${t.seconds.toFixed(1)} s wall, CPU ${t.cpuSeconds.toFixed(1)} s + server ${t.serverCpuSeconds.toFixed(1)} s`;
        console.log(`${kind}: learning TRAIN (${saRun.messages} msgs): sa-learn ${cpuLine(saRun)}; hamlet-learn ${cpuLine(h1)}, then ${cpuLine(h2)}: ${learnRatio.toFixed(1)}x the CPU, ${learnWallRatio.toFixed(1)}x wall; load ${load()}`);

        const shared = await startSetup(`${kind} x2`, store.cf(DB_SA), 2, 1);
        const sqlite = await startSetup('sqlite', `bayes_path ${join(tmp, 'sqlite', 'bayes')}`, 1, 2);
        let secs = { shared: 0, sqlite: 0 };
        try {
          // Warm both (rule compilation, first connections) before timing.
          await pass(shared, files.slice(0, 40), clients);
          await pass(sqlite, files.slice(0, 40), clients);
          for (const [who, half] of [['sqlite', 0], ['shared', 0], ['shared', 1], ['sqlite', 1]] as const) {
            const r = await pass(who === 'shared' ? shared : sqlite, halves[half]!, clients);
            secs = { ...secs, [who]: secs[who] + r.seconds };
            console.log(`  ${(who === 'shared' ? shared.name : 'sqlite x1').padEnd(10)} half ${half + 1}: ${halves[half]!.length} msgs in ${r.seconds.toFixed(1)} s (${(halves[half]!.length / r.seconds).toFixed(1)} msgs/s), ${r.errors} errors, load ${load()}`);
            if (r.errors) throw new Error(`${r.errors} spamc errors against ${who}`);
          }
        } finally {
          await stopSetup(shared);
          await stopSetup(sqlite);
        }
        const rate = files.length / secs.shared;
        const thisSqlite = files.length / secs.sqlite;
        sqliteRate = Number.isNaN(sqliteRate) ? thisSqlite : (sqliteRate + thisSqlite) / 2;
        console.log(`${kind}: two hamletd sharing it ${rate.toFixed(1)} msgs/s, one hamletd on SQLite ${thisSqlite.toFixed(1)} msgs/s (${((100 * rate) / thisSqlite).toFixed(0)}%)`);

        const scanners = await startSetup(`${kind} scanners`, store.cf(DB_CONCURRENT), 2, 1);
        let conc;
        try {
          conc = await concurrentLearn(store, DB_CONCURRENT, () => pass(scanners, files.slice(0, 300), 4));
        } finally {
          await stopSetup(scanners);
        }
        const lost = differing(backupLines(store, DB_SERIAL), backupLines(store, DB_CONCURRENT));
        console.log(`${kind}: two hamlet-learn at once (spam, ham) in ${conc.seconds.toFixed(1)} s while two hamletd scanned 300 msgs (${conc.scanErrors} errors): backup lines differing from the serial run: ${lost}`);
        results.set(kind, { rate, learnRatio, learnWallRatio, lost: lost + conc.scanErrors });
      } finally {
        await store.stop();
      }
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  const f = (x: number | undefined, d = 1) => (x === undefined || Number.isNaN(x) ? 'NA' : x.toFixed(d));
  const missing = [...results].filter(([, r]) => r.missing).map(([k]) => k);
  if (missing.length) console.log(`missing: ${missing.map((k) => `${k}_msgs_per_s, ${k}_learn_ratio_vs_sa`).join(', ')} (backend not available here)`);
  const lost = [...results.values()].reduce((a, r) => a + (r.lost ?? 0), 0);
  console.log(
    `RESULT cluster sqlite_msgs_per_s=${f(sqliteRate)} pg_msgs_per_s=${f(results.get('pg')?.rate)} redis_msgs_per_s=${f(results.get('redis')?.rate)} pg_learn_ratio_vs_sa=${f(results.get('pg')?.learnRatio)} redis_learn_ratio_vs_sa=${f(results.get('redis')?.learnRatio)} lost_counts=${lost} pg_learn_wall_ratio_vs_sa=${f(results.get('pg')?.learnWallRatio)} redis_learn_wall_ratio_vs_sa=${f(results.get('redis')?.learnWallRatio)}`,
  );
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
