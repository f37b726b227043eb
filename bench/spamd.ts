/**
 * bench:spamd — hamletd against real spamd 4.0.1 as mail servers use them, in
 * the same run: both with the same stock rules (-C /usr/share/spamassassin, site
 * /etc/spamassassin), local tests only, 2 workers each, Bayes on (use_bayes 1,
 * bayes_auto_learn 0) over the same trained database (sa-learn on TRAIN =
 * easy-ham-1 + spam-1, copied into hamlet with sa-learn --backup / hamlet-learn
 * --restore), AWL off, fed the TEST messages (easy-ham-2, hard-ham-1, spam-2).
 *
 * How the clients are driven: every message is one run of the real
 * /usr/bin/spamc -c (a new process and a new connection per message, as an MTA
 * does it), `--clients` of them at once, launched by one small Python driver with
 * posix_spawn (see lib/spamc-lanes.ts; bash loops without python3). spamc runs
 * on the same two cores as the servers and costs about 5 ms of CPU per message
 * itself (dynamic loading), so both servers are measured with that load beside
 * them. The two take turns (hamletd, spamd, spamd, hamletd over two halves) so
 * host speed drift hits both alike. A first pass with spamc -y compares the
 * BAYES_ hits. For context, hamletd alone is also driven by raw sockets from
 * this Node process (no spamc): what it does when clients cost nothing.
 *
 * Prints msgs/s, p50/p99 latency (spamc start to exit), server CPU per message,
 * RSS summed over each server's processes (after the warm-up, at the peak and after
 * the run), verdict and BAYES_ agreement. Then, with spamd stopped, a fresh hamletd
 * is driven by raw sockets for `--flat-scans` CHECKs (20,000; 0 skips it) cycling
 * through all TEST messages, and its RSS after the first 1,000 and at the end shows
 * whether its memory stays flat (lib/rss-flatness.ts). The TEST folders come one after another
 * (easy ham, hard ham, then spam from the 1,651st message): the first 1,000 scans are all easy ham,
 * and the spam's HTML, charsets and wider text first reach the server after them. `--flat-mixed`
 * cycles through the three folders interleaved instead, so the first 1,000 are a sample of the
 * whole. Ends with the RESULT line.
 *
 * `--hamletd-arg A` (repeatable) passes A to hamletd, e.g. `--hamletd-arg --max-scans-per-worker=1`.
 *
 * `--malloc-arena-max N` (default 2, as contrib/hamletd.service sets it) is hamletd's
 * MALLOC_ARENA_MAX; 0 leaves glibc's default (8 arenas per core, and the worker threads each
 * take one). glibc reads it only when a process starts, so it is the service's to set.
 *
 * `--warm-raw N` (default 0) first sends hamletd N raw-socket CHECKs cycling through the TEST
 * messages, so the passes measure its workers with their JavaScript compiled as in a server that
 * has run a while (V8 optimises code as it runs: after 150 scans a worker's compiler threads
 * still use about a fifth of its CPU, after 1,500 a twelfth). spamd gets none: Perl compiles the
 * rules before forking its children, which are re-forked every 200 connections anyway.
 *
 * Usage: npm run bench:spamd [-- --sample N | --all] [--clients C] [--rules DIR --site DIR] [--bash-lanes] [--flat-scans N] [--flat-mixed] [--warm-raw N] [--hamletd-arg A] [--malloc-arena-max N]
 */
import { rmSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname } from 'node:path';
import { corpusFiles } from '../test/helpers/corpus';
import { interleaved } from './lib/bench-args';
import { TEST_GROUPS } from './lib/bayes-train';
import { startHamletd } from './lib/hamletd-run';
import { LOCAL_ONLY_CF } from './lib/local-only';
import { treeCpuS, treeRssMb } from './lib/proc-tree';
import { rawCheck } from './lib/raw-spamc';
import { rssFlatness, type Flatness } from './lib/rss-flatness';
import { sharedBayes } from './lib/shared-bayes';
import { runSpamcLanes, type SpamcRun } from './lib/spamc-lanes';
import { haveSpamd, startSpamd } from './lib/spamd-run';

function arg(name: string, dflt: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1]! : dflt;
}

function quantile(xs: readonly number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? NaN;
}

/** The Bayes settings both servers get on top of the local-only ones. */
const bayesCf = (path: string): string => ['use_bayes 1', 'bayes_auto_learn 0', `bayes_path ${path}`].join('\n');

interface Pass {
  readonly seconds: number;
  readonly runs: SpamcRun[];
  /** CPU seconds of the server's processes, and of the spamc processes, during the pass. */
  readonly serverCpu: number;
  readonly clientCpu?: number;
}

/** spamc -c printed `score/threshold` and exited 0 or 1. */
const scoreOf = (r: SpamcRun): number | undefined => {
  const v = /^(-?[\d.]+)\/(-?[\d.]+)$/.exec(r.out);
  return v && v[2] !== '0' && (r.code === 0 || r.code === 1) ? Number(v[1]) : undefined;
};

const load = (): string => loadavg().map((x) => x.toFixed(2)).join(' ');

async function main(): Promise<void> {
  if (!(await haveSpamd())) throw new Error('bench:spamd needs spamd and spamc (apt-get install spamd spamc)');
  const rules = arg('--rules', '/usr/share/spamassassin');
  const site = arg('--site', '/etc/spamassassin');
  const clients = Number(arg('--clients', '8'));
  const forceBash = process.argv.includes('--bash-lanes');
  const flatScans = Number(arg('--flat-scans', '20000'));
  const flatFirst = Math.min(1000, flatScans);
  const flatMixed = process.argv.includes('--flat-mixed');
  const warmRaw = Number(arg('--warm-raw', '0'));
  const arenaMax = Number(arg('--malloc-arena-max', '2'));
  const all = TEST_GROUPS.flatMap((g) => corpusFiles(g));
  const sample = process.argv.includes('--all') ? all.length : Number(arg('--sample', '1000'));
  const step = Math.max(1, Math.floor(all.length / sample));
  const files = all.filter((_f, i) => i % step === 0).slice(0, sample);
  const warm = all.filter((_f, i) => i % step === Math.floor(step / 2)).slice(0, 200);
  const halves = [files.slice(0, Math.ceil(files.length / 2)), files.slice(Math.ceil(files.length / 2))];

  const bayes = sharedBayes();
  console.log(`bench:spamd: ${files.length} TEST messages, ${clients} concurrent real spamc -c, 2 workers each, -L, Bayes on both (nspam ${bayes.nspam}, nham ${bayes.nham}; ${bayes.how}), auto-learn and AWL off; hamletd's MALLOC_ARENA_MAX ${arenaMax > 0 ? arenaMax : "glibc's default"}; load ${load()}`);

  const extraArgs = process.argv.flatMap((a, i) => (process.argv[i - 1] === '--hamletd-arg' ? [a] : []));
  const hamletdOpts = { rules, site, cf: `${LOCAL_ONLY_CF}\n${bayesCf(bayes.hamletPath)}`, args: ['-m', '2', ...extraArgs], env: arenaMax > 0 ? { MALLOC_ARENA_MAX: String(arenaMax) } : ({} as Record<string, string>) };
  const hd = await startHamletd(hamletdOpts);
  console.log(`hamletd ready ${hd.startS.toFixed(1)} s after its start (2 workers loading the rules)`);
  const sd = await startSpamd({ rules, site, children: 2, extraCf: bayesCf(bayes.saPath) });
  const peak = { hamletd: 0, spamd: 0 };
  const rssNow = (): { hamletd: number; spamd: number } => ({ hamletd: treeRssMb(hd.proc.pid!), spamd: sd.pid ? treeRssMb(sd.pid) : NaN });
  let warmRss = { hamletd: NaN, spamd: NaN };
  let afterRss = { hamletd: NaN, spamd: NaN };
  const sampleRss = (): void => {
    peak.hamletd = Math.max(peak.hamletd, treeRssMb(hd.proc.pid!));
    if (sd.pid) peak.spamd = Math.max(peak.spamd, treeRssMb(sd.pid));
  };
  const tick = setInterval(sampleRss, 500);
  const passes = { hamletd: [] as Pass[], spamd: [] as Pass[] };
  const portOf = (who: 'hamletd' | 'spamd'): number => (who === 'hamletd' ? hd.port : sd.port);
  let driver: string | undefined;
  let bayesAgree = 0;
  let bayesBoth = 0;
  let bayesHits = 0;
  let raw: Awaited<ReturnType<typeof rawCheck>> | undefined;
  try {
    // Warm-up, and the BAYES_ comparison: the same messages through spamc -y on both.
    const bayesHit = (r: SpamcRun): string => /(?:^|,)(BAYES_\d+)(?:,|$)/.exec(r.out)?.[1] ?? '-';
    const hy = await runSpamcLanes(warm, clients, ['-d', '127.0.0.1', '-p', String(hd.port), '-y', '-t', '60'], { forceBash });
    const sy = await runSpamcLanes(warm, clients, ['-d', '127.0.0.1', '-p', String(sd.port), '-y', '-t', '60'], { forceBash });
    driver = hy.driver;
    if (warmRaw > 0) {
      const w = await rawCheck(hd.port, all, clients, warmRaw);
      console.log(`hamletd warmed by ${warmRaw} raw CHECKs (${w.errors} errors)`);
    }
    warmRss = rssNow();
    const saHits = new Map(sy.runs.map((r) => [r.file, bayesHit(r)]));
    for (const r of hy.runs) {
      const other = saHits.get(r.file);
      if (other === undefined) continue;
      bayesBoth++;
      if (other === bayesHit(r)) bayesAgree++;
      if (bayesHit(r) !== '-') bayesHits++;
    }
    for (const [who, half] of [['hamletd', 0], ['spamd', 0], ['spamd', 1], ['hamletd', 1]] as const) {
      const pid = who === 'hamletd' ? hd.proc.pid! : sd.pid!;
      const cpu0 = treeCpuS(pid);
      const lanes = await runSpamcLanes(halves[half]!, clients, ['-d', '127.0.0.1', '-p', String(portOf(who)), '-c', '-t', '60'], { forceBash });
      const p: Pass = { ...lanes, serverCpu: treeCpuS(pid) - cpu0 };
      passes[who].push(p);
      const mean = p.runs.reduce((a, r) => a + r.ms, 0) / Math.max(1, p.runs.length);
      const errors = p.runs.filter((r) => scoreOf(r) === undefined).length + halves[half]!.length - p.runs.length;
      // Server CPU per half: spamd compiles nothing as it runs, so its two halves should agree; hamletd's show V8's warm-up.
      console.log(`  ${who.padEnd(7)} half ${half + 1}: ${halves[half]!.length} msgs in ${p.seconds.toFixed(1)} s (${(halves[half]!.length / p.seconds).toFixed(1)} msgs/s), mean latency ${mean.toFixed(0)} ms, server CPU ${((1000 * p.serverCpu) / halves[half]!.length).toFixed(1)} ms/msg, ${errors} errors, load ${load()}`);
    }
    raw = await rawCheck(hd.port, halves[0]!, clients);
    afterRss = rssNow();
  } finally {
    clearInterval(tick);
    await hd.stop();
    await sd.stop();
  }
  let flat: Flatness | undefined;
  try {
    if (flatScans > 0) {
      // A fresh server, alone on the machine, so its RSS after the first scans is its warmed-up size.
      const fresh = await startHamletd(hamletdOpts);
      try {
        flat = await rssFlatness(fresh, flatMixed ? interleaved(TEST_GROUPS.map((g) => corpusFiles(g))) : all, { scans: flatScans, first: flatFirst, clients: 4 });
      } finally {
        await fresh.stop();
      }
    }
  } finally {
    rmSync(dirname(bayes.saPath), { recursive: true, force: true });
  }
  const sum = (ps: Pass[]): { rate: number; p50: number; p99: number; errors: number; scores: Map<string, number>; serverCpuMs: number; clientCpuMs: number } => {
    const runs = ps.flatMap((p) => p.runs);
    const lat = runs.map((r) => r.ms);
    const scores = new Map<string, number>();
    for (const r of runs) {
      const v = scoreOf(r);
      if (v !== undefined) scores.set(r.file, v);
    }
    const perMsg = (x: number): number => (1000 * x) / Math.max(1, runs.length);
    return {
      rate: lat.length / ps.reduce((a, p) => a + p.seconds, 0),
      p50: quantile(lat, 0.5),
      p99: quantile(lat, 0.99),
      errors: runs.length - scores.size,
      scores,
      serverCpuMs: perMsg(ps.reduce((a, p) => a + p.serverCpu, 0)),
      clientCpuMs: perMsg(ps.reduce((a, p) => a + (p.clientCpu ?? NaN), 0)),
    };
  };
  const h = sum(passes.hamletd);
  const s = sum(passes.spamd);
  let agree = 0;
  let both = 0;
  for (const [f, score] of h.scores) {
    const other = s.scores.get(f);
    if (other === undefined) continue;
    both++;
    if (score >= 5 === other >= 5) agree++;
  }
  const f = (x: number, d = 1): string => x.toFixed(d);
  const row = (name: string, r: typeof h, rss: number): string =>
    `${name.padEnd(8)} ${r.rate.toFixed(1).padStart(8)} msgs/s   p50 ${r.p50.toFixed(0).padStart(5)} ms   p99 ${r.p99.toFixed(0).padStart(5)} ms   RSS ${rss.toFixed(0).padStart(5)} MiB   CPU/msg: server ${r.serverCpuMs.toFixed(1)} ms, spamc ${r.clientCpuMs.toFixed(1)} ms   errors ${r.errors}`;
  const memRow = (name: 'hamletd' | 'spamd'): string =>
    `${name.padEnd(8)} RSS after warm-up ${f(warmRss[name], 0)} MiB, peak ${f(peak[name], 0)} MiB, after the run ${f(afterRss[name], 0)} MiB`;
  console.log(`clients: ${driver ?? '-'}`);
  console.log(row('hamletd', h, peak.hamletd));
  console.log(row('spamd', s, peak.spamd));
  console.log(memRow('hamletd'));
  console.log(memRow('spamd'));
  // Load-independent view: what each message costs in CPU (the rate ratio moves with other tenants' load).
  console.log(
    `CPU per message, spamd / hamletd: servers ${f(s.serverCpuMs / h.serverCpuMs, 2)}x; servers + spamc ${f((s.serverCpuMs + s.clientCpuMs) / (h.serverCpuMs + h.clientCpuMs), 2)}x`,
  );
  console.log(`verdicts agree on ${agree}/${both} messages (spam at >= 5)`);
  console.log(`same BAYES_ hit (or none) on ${bayesAgree}/${bayesBoth} messages (${((100 * bayesAgree) / Math.max(1, bayesBoth)).toFixed(1)}%; ${bayesHits} with a BAYES_ hit on hamletd)`);
  if (raw) {
    const n = raw.latencies.length;
    console.log(`context: hamletd driven by ${clients} raw Node sockets (no spamc): ${(n / raw.seconds).toFixed(1)} msgs/s, p50 ${quantile(raw.latencies, 0.5).toFixed(0)} ms, p99 ${quantile(raw.latencies, 0.99).toFixed(0)} ms, ${raw.errors} errors`);
  }
  if (flat) {
    console.log(
      `memory over a long run: a fresh hamletd, ${flat.scans} raw CHECKs (${flatMixed ? 'TEST folders interleaved' : 'TEST folders in turn'}) in ${flat.seconds.toFixed(0)} s (${flat.errors} errors): RSS ${f(flat.rssFirstMb, 0)} MiB after ${flat.first}, ${f(flat.rssEndMb, 0)} MiB after ${flat.scans} (x${f(flat.growth, 3)}), peak ${f(flat.peakMb, 0)} MiB; server CPU per scan ${f(flat.cpuFirstMs)} ms, then ${f(flat.cpuRestMs)} ms`,
    );
  }
  console.log(`load average at the end: ${load()}`);
  const flatKeys = flat ? ` rss_1k_mb=${f(flat.rssFirstMb, 0)} rss_20k_mb=${f(flat.rssEndMb, 0)} growth=${f(flat.growth, 3)} flat_order=${flatMixed ? 'mixed' : 'grouped'}` : '';
  console.log(
    `RESULT spamd msgs_per_s=${f(h.rate)} spamd_msgs_per_s=${f(s.rate)} ratio_vs_spamd=${f(h.rate / s.rate, 2)} p99_ms=${f(h.p99, 0)} spamd_p99_ms=${f(s.p99, 0)} p99_ratio=${f(h.p99 / s.p99, 2)} rss_mb=${f(peak.hamletd, 0)} spamd_rss_mb=${f(peak.spamd, 0)} server_cpu_ratio=${f(s.serverCpuMs / h.serverCpuMs, 2)} rss_after_mb=${f(afterRss.hamletd, 0)} spamd_rss_after_mb=${f(afterRss.spamd, 0)} server_cpu_ms=${f(h.serverCpuMs, 2)} spamd_server_cpu_ms=${f(s.serverCpuMs, 2)} warm_raw=${warmRaw} malloc_arena_max=${arenaMax}${flatKeys}`,
  );
}

main().catch((e: Error) => {
  console.error(e.message);
  process.exit(1);
});
