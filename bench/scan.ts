/**
 * bench:scan — scanning throughput of hamlet (one Node thread) and of real
 * spamd (one child, fed by the real spamc one message at a time), same files,
 * same rules (stock SpamAssassin 4.0.1 + Debian site config), local tests only,
 * Bayes and AWL off, in the same run. Also rule-set load time: `hamlet --lint`
 * against `spamassassin --lint`, process start included on both sides.
 *
 * Usage: npm run bench:scan [-- --sample N | --all] [--rules DIR --site DIR]
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig, scan, warmUp } from '../src/index';
import { CORPUS_GROUPS, corpusFiles } from '../test/helpers/corpus';
import { LOCAL_ONLY_CF } from './lib/local-only';
import { saLintSeconds } from './lib/sa-lint-time';
import { haveSpamd, runSpamd } from './lib/spamd-run';

function arg(name: string, dflt: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1]! : dflt;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

/** Wall time of `hamlet --lint` as a user runs it (Node start, config read, compile). */
function hamletLintSeconds(rules: string, site: string, runs: number): number {
  const bin = join(__dirname, '..', '..', 'bin', 'hamlet.js');
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    spawnSync(process.execPath, [bin, '--lint', '-C', rules, '--siteconfigpath', site], { stdio: 'ignore' });
    times.push((performance.now() - t) / 1000);
  }
  return median(times);
}

async function main(): Promise<void> {
  const rulesDir = arg('--rules', '/usr/share/spamassassin');
  const site = arg('--site', '/etc/spamassassin');
  const all = CORPUS_GROUPS.flatMap((g) => corpusFiles(g));
  const sample = process.argv.includes('--all') ? all.length : Number(arg('--sample', '1000'));
  const step = Math.max(1, Math.floor(all.length / sample));
  const files = all.filter((_f, i) => i % step === 0).slice(0, sample);
  const raws = files.map((f) => readFileSync(f));

  const rs = loadConfig({ configPath: rulesDir, siteConfigPath: site, extraText: LOCAL_ONLY_CF });
  // Warm-up pass (JIT), then the timed pass: a filter is a long-running process.
  // spamd compiles its rules when it starts; hamlet's server does the same (warmUp), then one pass warms the rest.
  // The warm-up pass reads other messages than the timed one where there are any (caches must not flatter hamlet).
  const warm = warmUp(rs);
  const others = step > 1 ? all.filter((_f, i) => i % step === Math.floor(step / 2)) : files;
  for (const f of others.slice(0, 300)) scan(readFileSync(f), rs);
  console.log(`hamlet: regexes compiled in ${warm.toFixed(1)} s`);
  // Three timed passes, the median reported: this host's speed drifts by tens of percent from minute to minute.
  let spam = 0;
  const passes: number[] = [];
  for (let pass = 0; pass < 3; pass++) {
    spam = 0;
    const t0 = performance.now();
    for (const r of raws) if (scan(r, rs).isSpam) spam++;
    passes.push((performance.now() - t0) / 1000);
  }
  const hamletSeconds = median(passes);
  console.log(`hamlet: passes ${passes.map((p) => p.toFixed(2)).join(', ')} s`);
  const hamletRate = raws.length / hamletSeconds;
  console.log(`hamlet: ${raws.length} messages in ${hamletSeconds.toFixed(2)} s = ${hamletRate.toFixed(1)} msgs/s (${spam} spam), peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);

  if (!(await haveSpamd())) throw new Error('bench:scan needs spamd and spamc (apt-get install spamd spamc)');
  const sd = await runSpamd(files, { rules: rulesDir, site, children: 1 });
  console.log(`spamd: ${sd.messages} messages in ${sd.seconds.toFixed(1)} s = ${sd.msgsPerS.toFixed(2)} msgs/s, errors ${sd.errors}${sd.rssMb ? `, child RSS ${sd.rssMb.toFixed(0)} MB` : ''}`);

  const load = hamletLintSeconds(rulesDir, site, 3);
  const saLoad = await saLintSeconds({ rules: rulesDir, site, runs: 3 });
  console.log(`load: hamlet --lint ${load.toFixed(2)} s, spamassassin --lint ${saLoad.toFixed(2)} s`);
  console.log(
    `RESULT scan msgs_per_s=${hamletRate.toFixed(1)} spamd_msgs_per_s=${sd.msgsPerS.toFixed(2)} ratio_vs_spamd=${(hamletRate / sd.msgsPerS).toFixed(1)} load_s=${load.toFixed(2)} sa_load_s=${saLoad.toFixed(2)}`,
  );
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
