/**
 * bench:parse — message-model throughput over the whole public corpus, against
 * SpamAssassin 4.0.1's parser measured in the same run (bench/sa/parse.pl).
 * Both sides read every file into memory first, then time: parse, rendered body,
 * URI list and every decoded header.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseMessage } from '../src/index';
import { CORPUS_GROUPS, corpusFiles } from '../test/helpers/corpus';
import { haveSpamAssassin } from './lib/sa-check';

interface Side {
  messages: number;
  errors: number;
  seconds: number;
  peakMb: number;
}

function runHamlet(raws: readonly Buffer[]): Side & { bytes: number } {
  const bytes = raws.reduce((n, b) => n + b.length, 0);
  let errors = 0;
  let sink = 0;
  const t0 = process.hrtime.bigint();
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
  if (sink < 0) console.log(sink);
  return { messages: raws.length, errors, seconds, bytes, peakMb: process.resourceUsage().maxRSS / 1024 };
}

function runSpamAssassin(paths: readonly string[]): Promise<Side> {
  return new Promise((resolve, reject) => {
    const p = spawn('perl', [join(__dirname, '..', '..', 'bench', 'sa', 'parse.pl')], { stdio: ['pipe', 'ignore', 'pipe'] });
    let err = '';
    p.stderr.on('data', (d: Buffer) => (err += d.toString()));
    p.on('error', reject);
    p.on('exit', () => {
      const m = /SA parse messages=(\d+) seconds=([\d.]+) peak_mb=([\d.]+)/.exec(err);
      if (!m) return reject(new Error(`SpamAssassin parse driver failed:\n${err.slice(-2000)}`));
      resolve({ messages: Number(m[1]), errors: 0, seconds: Number(m[2]), peakMb: Number(m[3]) });
    });
    p.stdin.end(paths.join('\n') + '\n');
  });
}

async function main(): Promise<void> {
  const paths = CORPUS_GROUPS.flatMap((g) => corpusFiles(g));
  const raws = paths.map((p) => readFileSync(p));
  // A filter runs for days: the first pass includes compiling the code (JIT), the second is
  // the steady state a long-running server sees. Both are printed; RESULT uses the second.
  const cold = runHamlet(raws);
  const h = runHamlet(raws);
  const mb = h.bytes / 1024 / 1024;
  const rate = h.messages / h.seconds;
  console.log(`hamlet (first pass, includes JIT warm-up): ${(cold.messages / cold.seconds).toFixed(0)} msgs/s`);
  console.log(`hamlet: ${h.messages} messages, ${h.errors} errors, ${h.seconds.toFixed(3)} s, ${rate.toFixed(0)} msgs/s, ${(mb / h.seconds).toFixed(1)} MB/s, peak ${h.peakMb.toFixed(1)} MB`);
  let saRate = NaN;
  if (await haveSpamAssassin()) {
    const sa = await runSpamAssassin(paths);
    saRate = sa.messages / sa.seconds;
    console.log(`SpamAssassin 4.0.1: ${sa.messages} messages, ${sa.seconds.toFixed(3)} s, ${saRate.toFixed(0)} msgs/s, ${(mb / sa.seconds).toFixed(1)} MB/s, peak ${sa.peakMb.toFixed(1)} MB`);
  } else {
    console.log('SpamAssassin 4.0.1 not installed: no reference figures (apt-get install spamassassin)');
  }
  const ratio = rate / saRate;
  console.log(
    `RESULT parse messages=${h.messages} errors=${h.errors} msgs_per_s=${rate.toFixed(0)} sa_msgs_per_s=${saRate.toFixed(0)} ratio_vs_sa=${ratio.toFixed(2)} peak_mb=${h.peakMb.toFixed(1)}`,
  );
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
