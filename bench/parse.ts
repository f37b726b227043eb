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
 * Every pass is a first pass: it runs in a fresh worker thread (its own V8 isolate), so no
 * cache (canonical URIs, header plans) and no compiled code carry over from an earlier pass,
 * as none does for SpamAssassin's one pass. The messages are read before the clock starts.
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
import { CORPUS_GROUPS, corpusFiles } from '../test/helpers/corpus';
import { haveSpamAssassin } from './lib/sa-check';

interface Side {
  messages: number;
  errors: number;
  seconds: number;
  cpuSeconds: number;
  peakMb: number;
}

function runHamlet(raws: readonly Buffer[]): Side & { bytes: number } {
  const bytes = raws.reduce((n, b) => n + b.length, 0);
  let errors = 0;
  let sink = 0;
  const t0 = process.hrtime.bigint();
  const c0 = process.cpuUsage();
  for (const raw of raws) {
    try {
      const m = parseMessage(raw);
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

/** One first pass in a fresh worker thread (see the header). */
function hamletPass(paths: readonly string[]): Promise<Side & { bytes: number }> {
  return new Promise((resolve, reject) => {
    const w = new Worker(__filename, { workerData: { paths } });
    w.once('message', (side: Side & { bytes: number }) => resolve(side));
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
  const raws = paths.map((p) => readFileSync(p));
  const pass = (): Promise<Side & { bytes: number }> => hamletPass(paths);
  console.log(`garbage collection: ${singleThreadedGc ? 'on the parsing thread (one core)' : 'on V8 helper threads too (run through npm run bench:parse for one core)'}`);
  const passes = [await pass(), await pass(), await pass()];
  let sa: Side | undefined;
  if (await haveSpamAssassin()) sa = await runSpamAssassin(paths);
  else console.log('SpamAssassin 4.0.1 not installed: no reference figures (apt-get install spamassassin)');
  passes.push(await pass(), await pass(), await pass());
  const h = pooled(passes);
  const mb = h.bytes / 1024 / 1024;
  const rate = h.messages / h.seconds;
  const cpuRate = h.messages / h.cpuSeconds;
  console.log(`hamlet passes (msgs/s): ${passes.map((p) => (p.messages / p.seconds).toFixed(0)).join(' ')}`);
  console.log(
    `hamlet: ${raws.length} messages x ${passes.length} passes, ${h.errors} errors, ${h.seconds.toFixed(3)} s (cpu ${h.cpuSeconds.toFixed(3)} s), ` +
      `${rate.toFixed(0)} msgs/s, ${(mb / h.seconds).toFixed(1)} MB/s, peak ${h.peakMb.toFixed(1)} MB`,
  );
  let saRate = NaN;
  let saCpuRate = NaN;
  if (sa) {
    saRate = sa.messages / sa.seconds;
    saCpuRate = sa.messages / sa.cpuSeconds;
    console.log(
      `SpamAssassin 4.0.1: ${sa.messages} messages, ${sa.seconds.toFixed(3)} s (cpu ${sa.cpuSeconds.toFixed(3)} s), ` +
        `${saRate.toFixed(0)} msgs/s, ${((mb / passes.length) / sa.seconds).toFixed(1)} MB/s, peak ${sa.peakMb.toFixed(1)} MB`,
    );
  }
  console.log(
    `RESULT parse messages=${raws.length} errors=${h.errors / passes.length} msgs_per_s=${rate.toFixed(0)} sa_msgs_per_s=${saRate.toFixed(0)} ratio_vs_sa=${(rate / saRate).toFixed(2)} ` +
      `cpu_ratio_vs_sa=${(cpuRate / saCpuRate).toFixed(2)} peak_mb=${h.peakMb.toFixed(1)}`,
  );
}

/** Several passes as one: totals of messages, errors and time. */
function pooled(passes: readonly (Side & { bytes: number })[]): Side & { bytes: number } {
  const sum = (f: (p: Side & { bytes: number }) => number): number => passes.reduce((n, p) => n + f(p), 0);
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
  parentPort!.postMessage(runHamlet(paths.map((p) => readFileSync(p))));
}
