/**
 * bench:learn — train real sa-learn and hamlet-learn on TRAIN (spam-1 + easy-ham-1, as
 * mbox files, from an empty database each) in the same run; report messages/second (wall),
 * CPU seconds (the fairer figure on a shared machine: hamlet-learn's parsing runs on a worker
 * thread beside the writer, so its wall time hides CPU), peak memory and database size for both. The trained databases are kept for bench:bayes.
 *
 * It also times a floor (bench/lib/learn-floor.ts: split the mailboxes into words and
 * hash each, with no parsing and no database) the same way, so the ratio can be read
 * against what the machine allows: floor_ratio_vs_sa is the ratio that floor itself
 * reaches against sa-learn.
 *
 * hamlet-learn keeps V8's code cache of its modules (src/cli/learn-early-start.ts): its first run
 * starts from an empty cache directory and writes it (cold_cpu_s), the second, after sa-learn,
 * reads it, as an administrator's later runs would.
 */
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { floorScan, haveSaLearn, trainHamlet, trainSa, WORK } from './lib/bayes-train';

function main(): void {
  if (!haveSaLearn()) {
    console.error('bench:learn: sa-learn is not installed; cannot compare');
    process.exitCode = 1;
    return;
  }
  console.log(`databases in ${WORK}`);
  const cache = join(WORK, 'hamlet-cache');
  rmSync(cache, { recursive: true, force: true });
  mkdirSync(cache, { recursive: true, mode: 0o700 });
  const h = trainHamlet(cache);
  console.log(`hamlet-learn: ${h.summaries.join(' | ')}; ${h.seconds.toFixed(2)} s, peak ${h.peakMb.toFixed(0)} MB, db ${h.dbMb.toFixed(1)} MB`);
  const sa = trainSa();
  console.log(`sa-learn:     ${sa.summaries.join(' | ')}; ${sa.seconds.toFixed(2)} s, peak ${sa.peakMb.toFixed(0)} MB, db ${sa.dbMb.toFixed(1)} MB`);
  // hamlet again after SpamAssassin, so host speed drift hits both sides; the faster of the two counts.
  const h2 = trainHamlet(cache);
  const hs = Math.min(h.seconds, h2.seconds);
  console.log(`hamlet-learn (second run): ${h2.seconds.toFixed(2)} s; CPU ${h.cpuSeconds.toFixed(2)} s (empty code cache) and ${h2.cpuSeconds.toFixed(2)} s against sa-learn's ${sa.cpuSeconds.toFixed(2)} s`);
  const hCpu = Math.min(h.cpuSeconds, h2.cpuSeconds);
  const floor = floorScan();
  const floor2 = floorScan();
  const floorS = Math.min(floor.seconds, floor2.seconds);
  console.log(`floor (words of the raw bytes, SHA-1 each, no parsing, no database): ${floorS.toFixed(2)} s`);
  const rate = h.messages / hs;
  const saRate = sa.messages / sa.seconds;
  console.log(
    `RESULT learn msgs_per_s=${rate.toFixed(1)} sa_msgs_per_s=${saRate.toFixed(1)} ratio_vs_sa=${(rate / saRate).toFixed(2)} ` +
      `peak_mb=${Math.max(h.peakMb, h2.peakMb).toFixed(0)} sa_peak_mb=${sa.peakMb.toFixed(0)} db_mb=${h2.dbMb.toFixed(1)} sa_db_mb=${sa.dbMb.toFixed(1)} ` +
      `floor_ratio_vs_sa=${(floor.messages / floorS / saRate).toFixed(2)} cpu_s=${hCpu.toFixed(2)} sa_cpu_s=${sa.cpuSeconds.toFixed(2)} cpu_ratio_vs_sa=${(sa.cpuSeconds / hCpu).toFixed(2)} ` +
      `cold_cpu_s=${h.cpuSeconds.toFixed(2)}`,
  );
}

main();
