/**
 * bench:scan-profile — where a warmed hamletd worker's scan time goes, without the server around
 * it. This process does a worker's job on its main thread: the stock rules and site files loaded,
 * regexes compiled as a worker compiles them (patterns over `--plain-over` characters plain, the
 * rest optimised), the made-up warm-up scans, Bayes on over the bench:spamd database, `-L`; then
 * it checks a sample of the TEST messages (the folders interleaved) `--rounds` times through the
 * check pipeline as a worker's CHECK does, and prints the CPU per scan of each round and of each
 * pipeline step.
 *
 * `--profile FILE` records V8's CPU profile of the last round (after the others warmed the JIT)
 * and prints the self time by area (parsing, rendering, Bayes, rule regexes, evals, metas, GC...)
 * and the heaviest functions. `--dump FILE` writes each message's score, hits and sub-rule counts,
 * to compare two builds (`diff`): the harness is for speed, so TEST is fine here.
 *
 * `--no-tier-up`: long patterns stay plain (no optimised twins, regex-tier-up.ts), as before it.
 *
 * Usage: npm run bench:scan-profile [-- --sample N] [--rounds R] [--plain-over N] [--no-tier-up] [--profile F] [--dump F]
 * Ends with `RESULT scan-profile scans=N cpu_ms=A best_round_ms=B`.
 */
import '../src/regex-flags';
import { readFileSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { loadavg } from 'node:os';
import { getHeapSpaceStatistics } from 'node:v8';
import { basename } from 'node:path';
import { check } from '../src/check/index';
import { loadRuleSet } from '../src/config/load';
import { warmUp } from '../src/engine/scanner';
import { loadAllEvals } from '../src/eval/index';
import { optimisedTwins, plainTallies } from '../src/engine/regex-tier-up';
import { markupOptionsFrom } from '../src/report/check';
import { StoreCache } from '../src/spamd/user-stores';
import { warmScans } from '../src/spamd/warm-scans';
import { corpusFiles } from '../test/helpers/corpus';
import { arg, cpuMs, interleaved } from './lib/bench-args';
import { TEST_GROUPS } from './lib/bayes-train';
import { LOCAL_ONLY_CF } from './lib/local-only';
import { profileSummary, type CpuProfile } from './lib/profile-summary';
import { sharedBayes } from './lib/shared-bayes';

/** V8's code spaces (JavaScript and regex code, large code objects included), MB in use. */
const codeMb = (): string =>
  getHeapSpaceStatistics()
    .filter((x) => x.space_name.startsWith('code'))
    .reduce((a, x) => a + x.space_used_size / 2 ** 20, 0)
    .toFixed(1);

function post<T>(s: Session, method: string, params?: object): Promise<T> {
  return new Promise((resolve, reject) => s.post(method, params ?? {}, (e, r) => (e ? reject(e) : resolve(r as T))));
}

async function main(): Promise<void> {
  const rules = arg('--rules', '/usr/share/spamassassin');
  const site = arg('--site', '/etc/spamassassin');
  const rounds = Number(arg('--rounds', '3'));
  const plainOver = Number(arg('--plain-over', '300'));
  const profileFile = arg('--profile', '');
  const dumpFile = arg('--dump', '');
  const all = interleaved(TEST_GROUPS.map((g) => corpusFiles(g)));
  const sample = Number(arg('--sample', '600'));
  const step = Math.max(1, Math.floor(all.length / sample));
  const files = all.filter((_f, i) => i % step === 0).slice(0, sample);
  const raws = files.map((f) => readFileSync(f));
  const bayes = sharedBayes();
  const t0 = cpuMs();
  const rs = loadRuleSet({ configPath: rules, siteConfigPath: site, extraText: `${LOCAL_ONLY_CF}\nuse_bayes 1\nbayes_auto_learn 0\nbayes_path ${bayes.hamletPath}` });
  loadAllEvals();
  warmUp(rs.compiled, { plainOver: plainOver > 0 ? plainOver : Infinity, tierUp: !process.argv.includes('--no-tier-up') });
  const settings = markupOptionsFrom(rs);
  warmScans(rs, settings, 200);
  const stores = new StoreCache();
  const db = stores.get(rs, undefined);
  console.log(`scan-profile: ${raws.length} TEST messages x ${rounds} rounds, stock rules, Bayes on, -L; ready in ${((cpuMs() - t0) / 1000).toFixed(1)} s CPU, code ${codeMb()} MB; load ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);

  const steps = new Map<string, number>();
  const onStep = (name: string, ms: number): void => void steps.set(name, (steps.get(name) ?? 0) + ms);
  const perRound: number[] = [];
  const dump: string[] = [];
  let session: Session | undefined;
  for (let r = 0; r < rounds; r++) {
    const last = r === rounds - 1;
    if (last && profileFile) {
      session = new Session();
      session.connect();
      await post(session, 'Profiler.enable');
      await post(session, 'Profiler.setSamplingInterval', { interval: 200 });
      await post(session, 'Profiler.start');
    }
    steps.clear();
    const c0 = cpuMs();
    for (let i = 0; i < raws.length; i++) {
      const c = await check(raws[i]!, rs, { stores: db, settings, onStep: last ? onStep : undefined });
      if (last && dumpFile) {
        const counts = [...c.result.counts].map(([k, v]) => `${k}=${v}`).sort().join(',');
        dump.push(`${basename(files[i]!)} ${c.result.score.toFixed(3)} ${c.result.tests.join(',')} | ${counts}`);
      }
    }
    const ms = (cpuMs() - c0) / raws.length;
    perRound.push(ms);
    console.log(`  round ${r + 1}: ${ms.toFixed(2)} ms CPU per scan (load ${loadavg()[0]!.toFixed(2)})`);
  }
  console.log(`  code spaces at the end: ${codeMb()} MB; ${optimisedTwins()} long patterns compiled optimised after warm-up`);
  if (process.argv.includes('--tallies')) {
    const rules = new Map<RegExp, string>();
    for (const r of rs.compiled.rules) if ('re' in r.test) rules.set(r.test.re, r.name);
    for (const { re, tally } of [...plainTallies()].sort((a, b) => b.tally.used - a.tally.used).slice(0, 60)) {
      console.log(`    ${(tally.used / 200).toFixed(4)} ms/scan (last window; threshold share ${(100 * tally.share).toFixed(2)}%) ${re.source.length} chars ${tally.fast ? 'optimised' : 'plain'}${tally.guarded ? ' guarded' : ''} ${rules.get(re) ?? '(ascii form)'}`);
    }
  }
  const stepMs = [...steps].map(([k, v]) => `${k} ${(v / raws.length).toFixed(2)}`).join(', ');
  console.log(`  wall ms per scan by step, last round: ${stepMs}`);
  if (session) {
    const { profile } = await post<{ profile: CpuProfile }>(session, 'Profiler.stop');
    writeFileSync(profileFile, JSON.stringify(profile));
    console.log(profileSummary(profile, raws.length));
  }
  if (dumpFile) writeFileSync(dumpFile, `${dump.join('\n')}\n`);
  await stores.close();
  const mean = perRound.slice(1).reduce((a, b) => a + b, 0) / Math.max(1, perRound.length - 1);
  console.log(`RESULT scan-profile scans=${raws.length} cpu_ms=${(rounds > 1 ? mean : perRound[0]!).toFixed(2)} best_round_ms=${Math.min(...perRound).toFixed(2)}`);
}

main().catch((e: Error) => {
  console.error(e.stack ?? e.message);
  process.exit(1);
});
