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
import { haveSpamd, startSpamd } from './lib/spamd-run';

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

  const rs = loadConfig({ configPath: rulesDir, siteConfigPath: site, extraText: LOCAL_ONLY_CF });
  // spamd compiles its rules when it starts; hamlet's server does the same (warmUp), then one pass warms the rest.
  // The warm-up pass reads other messages than the timed one where there are any (caches must not flatter hamlet).
  const warm = warmUp(rs);
  const others = step > 1 ? all.filter((_f, i) => i % step === Math.floor(step / 2)) : files;
  for (const f of others.slice(0, 600)) scan(readFileSync(f), rs);
  console.log(`hamlet: regexes compiled in ${warm.toFixed(1)} s`);
  if (!(await haveSpamd())) throw new Error('bench:scan needs spamd and spamc (apt-get install spamd spamc)');
  // This host's speed drifts by tens of percent from minute to minute, so the two sides take
  // turns: in each of ten rounds both scan the same tenth of the sample.
  const spamd = await startSpamd({ rules: rulesDir, site, children: 1 });
  let hamletSeconds = 0;
  let spamdSeconds = 0;
  let spam = 0;
  let errors = 0;
  const rounds = 10;
  try {
    for (let k = 0; k < rounds; k++) {
      const part = files.filter((_f, i) => i % rounds === k);
      const bufs = part.map((f) => readFileSync(f));
      // hamlet's slice runs just before and just after spamd's, and the two are averaged, so the
      // host speed during spamd's (ten times longer) slice is what both sides see.
      const hamletPass = (): number => {
        const t0 = performance.now();
        for (const b of bufs) if (scan(b, rs).isSpam) spam++;
        return (performance.now() - t0) / 1000;
      };
      const before = hamletPass();
      const sd = spamd.feed(part);
      const h = (before + hamletPass()) / 2;
      hamletSeconds += h;
      spamdSeconds += sd.seconds;
      errors += sd.errors;
      console.log(`round ${k + 1}: hamlet ${(part.length / h).toFixed(1)} msgs/s, spamd ${(part.length / sd.seconds).toFixed(2)} msgs/s`);
    }
  } finally {
    await spamd.stop();
  }
  const hamletRate = files.length / hamletSeconds;
  spam /= 2; // each message was scanned twice
  console.log(`hamlet: ${files.length} messages in ${hamletSeconds.toFixed(2)} s = ${hamletRate.toFixed(1)} msgs/s (${spam} spam), peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
  const sdRate = files.length / spamdSeconds;
  console.log(`spamd: ${files.length} messages in ${spamdSeconds.toFixed(1)} s = ${sdRate.toFixed(2)} msgs/s, errors ${errors}${spamd.rssMb() ? `, child RSS ${spamd.rssMb()!.toFixed(0)} MB` : ''}`);

  const load = hamletLintSeconds(rulesDir, site, 3);
  const saLoad = await saLintSeconds({ rules: rulesDir, site, runs: 3 });
  console.log(`load: hamlet --lint ${load.toFixed(2)} s, spamassassin --lint ${saLoad.toFixed(2)} s`);
  console.log(
    `RESULT scan msgs_per_s=${hamletRate.toFixed(1)} spamd_msgs_per_s=${sdRate.toFixed(2)} ratio_vs_spamd=${(hamletRate / sdRate).toFixed(1)} load_s=${load.toFixed(2)} sa_load_s=${saLoad.toFixed(2)}`,
  );
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
