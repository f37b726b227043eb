/**
 * bench:worker-memory — what one hamletd worker holds over a long run, and where
 * it grows. This process does a worker's job on its main thread (the stock rules
 * and site files, compiled and warmed as hamletd's workers do, Bayes on over the
 * bench:spamd database, `-L`), scans the TEST messages in a cycle, and every
 * `--every` scans forces a full GC and prints V8's heap spaces, external and
 * array-buffer memory, and the process RSS. A figure that climbs after a GC is
 * held; RSS climbing while the heap does not is C memory (malloc, SQLite).
 *
 * Run with --expose-gc (the npm script does). Usage:
 *   npm run bench:worker-memory [-- --scans N] [--every K] [--rules DIR --site DIR] [--snapshots]
 * `--snapshots` also writes a V8 heap snapshot at each sample (worker-memory-N.heapsnapshot, in
 * the current directory) for Chrome's memory tab or a diff by constructor.
 * Ends with `RESULT worker-memory scans=N rss_1k_mb=A rss_end_mb=B growth=B/A heap_1k_mb=C heap_end_mb=D`.
 */
import '../src/regex-flags';
import { readFileSync } from 'node:fs';
import { getHeapSpaceStatistics, getHeapStatistics, writeHeapSnapshot } from 'node:v8';
import { check } from '../src/check/index';
import { loadRuleSet } from '../src/config/load';
import { warmUp } from '../src/engine/scanner';
import { markupOptionsFrom } from '../src/report/check';
import { StoreCache } from '../src/spamd/user-stores';
import { corpusFiles } from '../test/helpers/corpus';
import { TEST_GROUPS } from './lib/bayes-train';
import { LOCAL_ONLY_CF } from './lib/local-only';
import { sharedBayes } from './lib/shared-bayes';

function arg(name: string, dflt: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1]! : dflt;
}

const mb = (n: number): number => n / 2 ** 20;

interface Sample {
  readonly scans: number;
  readonly rss: number;
  readonly heap: number;
}

function sample(scans: number): Sample {
  (globalThis as { gc?: () => void }).gc?.();
  const h = getHeapStatistics();
  const spaces = getHeapSpaceStatistics()
    .filter((s) => s.space_used_size > 2 ** 20)
    .map((s) => `${s.space_name.replace(/_space$/, '')}=${mb(s.space_used_size).toFixed(1)}`)
    .join(' ');
  const mu = process.memoryUsage();
  console.log(
    `${String(scans).padStart(6)} scans: rss ${mb(mu.rss).toFixed(1)} heap ${mb(h.used_heap_size).toFixed(1)} (${spaces}) external ${mb(mu.external).toFixed(1)} arrayBuffers ${mb(mu.arrayBuffers).toFixed(1)} malloced ${mb(h.malloced_memory).toFixed(1)}`,
  );
  return { scans, rss: mb(mu.rss), heap: mb(h.used_heap_size) };
}

async function main(): Promise<void> {
  if (typeof (globalThis as { gc?: unknown }).gc !== 'function') throw new Error('run with node --expose-gc');
  const scans = Number(arg('--scans', '5000'));
  const every = Number(arg('--every', '1000'));
  const rules = arg('--rules', '/usr/share/spamassassin');
  const site = arg('--site', '/etc/spamassassin');
  const snapshots = process.argv.includes('--snapshots');
  const bayes = sharedBayes();
  const cf = `${LOCAL_ONLY_CF}\nuse_bayes 1\nbayes_auto_learn 0\nbayes_path ${bayes.hamletPath}`;
  const rs = loadRuleSet({ configPath: rules, siteConfigPath: site, extraText: cf });
  warmUp(rs.compiled);
  const settings = markupOptionsFrom(rs);
  const stores = new StoreCache();
  const db = stores.get(rs, undefined);
  const files = TEST_GROUPS.flatMap((g) => corpusFiles(g));
  const raws = files.map((f) => readFileSync(f));
  console.log(`bench:worker-memory: ${raws.length} TEST messages in a cycle, ${scans} scans, stock rules, Bayes on (nspam ${bayes.nspam}, nham ${bayes.nham})`);
  const samples = [sample(0)];
  const t0 = performance.now();
  for (let i = 1; i <= scans; i++) {
    await check(raws[i % raws.length]!, rs, { stores: db, settings });
    if (i % every === 0) {
      samples.push(sample(i));
      if (snapshots) console.log(`heap snapshot: ${writeHeapSnapshot(`worker-memory-${i}.heapsnapshot`)}`);
    }
  }
  const s = (performance.now() - t0) / 1000;
  stores.close();
  const first = samples.find((x) => x.scans >= 1000) ?? samples[samples.length - 1]!;
  const end = samples[samples.length - 1]!;
  console.log(`${(s * 1000 / scans).toFixed(2)} ms per scan (with the GCs)`);
  console.log(
    `RESULT worker-memory scans=${scans} rss_1k_mb=${first.rss.toFixed(0)} rss_end_mb=${end.rss.toFixed(0)} growth=${(end.rss / first.rss).toFixed(3)} heap_1k_mb=${first.heap.toFixed(0)} heap_end_mb=${end.heap.toFixed(0)}`,
  );
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : String(e));
  process.exit(1);
});
