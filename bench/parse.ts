/**
 * bench:parse — message-model throughput over the whole public corpus, against
 * SpamAssassin 4.0.1's parser measured in the same run (bench/sa/parse.pl).
 * Both sides read every file into memory first, then time: parse, rendered body,
 * URI list and every decoded header.
 *
 * This VM's speed drifts from minute to minute, and hamlet's pass is ~10x shorter than
 * SpamAssassin's, so hamlet runs three passes before SpamAssassin's and three after and
 * the six are pooled. CPU seconds (user + system) are printed next to wall seconds for both.
 *
 * No cache carries over between passes: each worker thread (its own V8 isolate) runs a first
 * pass, cold in every way (modules loaded lazily, no compiled code, empty caches), then a second
 * pass with fresh parse settings, so its canonical-URI cache starts empty as after a rule reload
 * (the settings objects key that cache); only V8's compiled code carries over, as it does in a
 * running hamletd. The headline ratio is the second passes'; the cold first passes are printed
 * as first_pass_*. The messages are read before the clock starts.
 *
 * The target is a rate on one core, and Perl is single-threaded, so `npm run bench:parse`
 * runs Node with --single-threaded-gc: V8's garbage collector then works on the same core as the
 * parser instead of on helper threads, and hamlet's CPU time counts one core's work, as SpamAssassin's does.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { parseMessage } from '../src/index';
import type { ParseOptions } from '../src/message/parse';
import { CORPUS_GROUPS, corpusFiles } from '../test/helpers/corpus';
import { haveSpamAssassin } from './lib/sa-check';

interface Side {
  messages: number;
  errors: number;
  seconds: number;
  cpuSeconds: number;
  peakMb: number;
}

function runHamlet(raws: readonly Buffer[], opts: ParseOptions): Side & { bytes: number } {
  const bytes = raws.reduce((n, b) => n + b.length, 0);
  let errors = 0;
  let sink = 0;
  const t0 = process.hrtime.bigint();
  const c0 = process.cpuUsage();
  for (const raw of raws) {
    try {
      const m = parseMessage(raw, opts);
      for (const h of m.headers) sink += h.value.length;
      sink += m.bodyText.length + m.uriList.length + m.relays.all.length;
    } catch {
      errors++;
    }
  }
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const cpu = process.cpuUsage(c0);
  if (sink < 0) console.log(sink);
  return { messages: raws.length, errors, seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6, bytes, peakMb: process.resourceUsage().maxRSS / 1024 };
}

function runSpamAssassin(paths: readonly string[]): Promise<Side> {
  return new Promise((resolve, reject) => {
    const p = spawn('perl', [join(__dirname, '..', '..', 'bench', 'sa', 'parse.pl')], { stdio: ['pipe', 'ignore', 'pipe'] });
    let err = '';
    p.stderr.on('data', (d: Buffer) => (err += d.toString()));
    p.on('error', reject);
    p.on('exit', () => {
      const m = /SA parse messages=(\d+) seconds=([\d.]+) cpu_seconds=([\d.]+) peak_mb=([\d.]+)/.exec(err);
      if (!m) return reject(new Error(`SpamAssassin parse driver failed:\n${err.slice(-2000)}`));
      resolve({ messages: Number(m[1]), errors: 0, seconds: Number(m[2]), cpuSeconds: Number(m[3]), peakMb: Number(m[4]) });
    });
    p.stdin.end(paths.join('\n') + '\n');
  });
}

type Pass = Side & { bytes: number };

/** A fresh worker thread's two passes: the cold first one, then one with fresh settings (see the header). */
function hamletPass(paths: readonly string[]): Promise<{ first: Pass; fresh: Pass }> {
  return new Promise((resolve, reject) => {
    const w = new Worker(__filename, { workerData: { paths } });
    w.once('message', (sides: { first: Pass; fresh: Pass }) => resolve(sides));
    w.once('error', reject);
    w.once('exit', (code) => {
      if (code !== 0) reject(new Error(`parse pass exited with ${code}`));
    });
  });
}

/** True when V8 collects garbage on the main thread only (see the header). */
const singleThreadedGc = process.execArgv.includes('--single-threaded-gc');

async function main(): Promise<void> {
  const paths = CORPUS_GROUPS.flatMap((g) => corpusFiles(g));
  const workers = [];
  console.log(`garbage collection: ${singleThreadedGc ? 'on the parsing thread (one core)' : 'on V8 helper threads too (run through npm run bench:parse for one core)'}`);
  for (let i = 0; i < 3; i++) workers.push(await hamletPass(paths));
  let sa: Side | undefined;
  if (await haveSpamAssassin()) sa = await runSpamAssassin(paths);
  else console.log('SpamAssassin 4.0.1 not installed: no reference figures (apt-get install spamassassin)');
  for (let i = 0; i < 3; i++) workers.push(await hamletPass(paths));
  const first = pooled(workers.map((w) => w.first));
  const h = pooled(workers.map((w) => w.fresh));
  const mb = h.bytes / 1024 / 1024;
  const rate = h.messages / h.seconds;
  const cpuRate = h.messages / h.cpuSeconds;
  const firstRate = first.messages / first.seconds;
  const firstCpuRate = first.messages / first.cpuSeconds;
  const rates = (ps: readonly Pass[]): string => ps.map((p) => (p.messages / p.seconds).toFixed(0)).join(' ');
  console.log(`hamlet first passes (msgs/s): ${rates(workers.map((w) => w.first))}; second passes, no cache carried: ${rates(workers.map((w) => w.fresh))}`);
  console.log(
    `hamlet: ${paths.length} messages x ${workers.length} second passes, ${h.errors} errors, ${h.seconds.toFixed(3)} s (cpu ${h.cpuSeconds.toFixed(3)} s), ` +
      `${rate.toFixed(0)} msgs/s, ${(mb / h.seconds).toFixed(1)} MB/s, peak ${h.peakMb.toFixed(1)} MB; first passes ${first.seconds.toFixed(3)} s (cpu ${first.cpuSeconds.toFixed(3)} s)`,
  );
  let saRate = NaN;
  let saCpuRate = NaN;
  if (sa) {
    saRate = sa.messages / sa.seconds;
    saCpuRate = sa.messages / sa.cpuSeconds;
    console.log(
      `SpamAssassin 4.0.1: ${sa.messages} messages, ${sa.seconds.toFixed(3)} s (cpu ${sa.cpuSeconds.toFixed(3)} s), ` +
        `${saRate.toFixed(0)} msgs/s, ${((mb / workers.length) / sa.seconds).toFixed(1)} MB/s, peak ${sa.peakMb.toFixed(1)} MB`,
    );
  }
  console.log(
    `RESULT parse messages=${paths.length} errors=${h.errors / workers.length} msgs_per_s=${rate.toFixed(0)} sa_msgs_per_s=${saRate.toFixed(0)} ratio_vs_sa=${(rate / saRate).toFixed(2)} ` +
      `cpu_ratio_vs_sa=${(cpuRate / saCpuRate).toFixed(2)} peak_mb=${h.peakMb.toFixed(1)} first_pass_ratio_vs_sa=${(firstRate / saRate).toFixed(2)} first_pass_cpu_ratio_vs_sa=${(firstCpuRate / saCpuRate).toFixed(2)}`,
  );
}

/** Several passes as one: totals of messages, errors and time. */
function pooled(passes: readonly Pass[]): Pass {
  const sum = (f: (p: Pass) => number): number => passes.reduce((n, p) => n + f(p), 0);
  return {
    messages: sum((p) => p.messages),
    errors: sum((p) => p.errors),
    seconds: sum((p) => p.seconds),
    cpuSeconds: sum((p) => p.cpuSeconds),
    bytes: sum((p) => p.bytes),
    peakMb: Math.max(...passes.map((p) => p.peakMb)),
  };
}

if (isMainThread) {
  main().catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
} else {
  const { paths } = workerData as { paths: string[] };
  const raws = paths.map((p) => readFileSync(p));
  // A new (empty) domains object is a new settings key: the second pass finds no canonical URI cached.
  const first = runHamlet(raws, { domains: {} });
  parentPort!.postMessage({ first, fresh: runHamlet(raws, { domains: {} }) });
}
