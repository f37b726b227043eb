/**
 * bench:spamd-wait — do hamletd's workers keep their throughput while scans wait for DNS
 * (issue 17: with every answer delayed 50 ms, hamletd under 8 concurrent clients keeps >= 80%
 * of its throughput)? The worker pool of hamletd (2 workers, the stock rules and site files,
 * Bayes off) is driven directly by `--clients` concurrent callers (8) over TEST messages, each
 * message with one network rule of the bench's own that asks a name of its own
 * (test/spamd/net-eval-worker.ts) from a test DNS server on 127.0.0.1. Passes:
 *   K=8, answers at once, after 50 ms, at once, after 50 ms (each side the mean of its two passes,
 *        so a drift over the run, e.g. code still warming up, counts on both sides)
 *   K=1, answers after 50 ms   (one scan at a time per worker: the waits are not overlapped)
 * after a warm-up pass over the same messages per pool (first scans load modules, compile code).
 * `kept` is the delayed rate over the baseline. No sockets or spamc: the pool is what is measured.
 *
 * Usage: npm run bench:spamd-wait [-- --sample N] [--clients C] [--delay MS] [--k K]
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { WorkerPool } from '../src/spamd/pool';
import { corpusFiles } from '../test/helpers/corpus';
import { TestDnsServer } from '../test/helpers/dns-server';
import { TEST_GROUPS } from './lib/bayes-train';

function arg(name: string, dflt: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1]! : dflt;
}

const sample = Number(arg('--sample', '300'));
const clients = Number(arg('--clients', '8'));
const delayMs = Number(arg('--delay', '50'));
const k = Number(arg('--k', '8'));

/** The configuration on top of the stock rules: Bayes and external tools off, DNS to the test server, the bench's rule. */
function extraCf(server: TestDnsServer): string {
  return [
    'use_bayes 0',
    'bayes_auto_learn 0',
    'use_razor2 0',
    'use_pyzor 0',
    'clear_dns_servers',
    `dns_server ${server.spec}`,
    'header WAIT_LISTED eval:check_test_wait_listed()',
    'score WAIT_LISTED 0.1',
  ].join('\n');
}

function pool(server: TestDnsServer, scansPerWorker: number): WorkerPool {
  return new WorkerPool({
    size: 2,
    config: () => ({ load: { configPath: '/usr/share/spamassassin', siteConfigPath: '/etc/spamassassin', extraText: extraCf(server) }, ruleCache: {}, allowUserRules: false, warm: true }),
    maxQueue: 1000,
    jobTimeoutMs: 0,
    maxJobsPerWorker: 0,
    maxScansPerWorker: scansPerWorker,
    log: () => {},
    script: join(__dirname, '..', 'test', 'spamd', 'net-eval-worker.js'),
  });
}

/** Scan every message once, `clients` at a time; each asks `<pass>m<i>.wait.test`. Returns msgs/s. */
async function pass(p: WorkerPool, name: string, msgs: readonly Buffer[]): Promise<number> {
  let next = 0;
  let hits = 0;
  const t0 = performance.now();
  const lane = async (): Promise<void> => {
    while (next < msgs.length) {
      const i = next++;
      const raw = Buffer.concat([Buffer.from(`X-Wait-Name: ${name}m${i}\n`), msgs[i]!]);
      const a = await p.run({ type: 'scan', need: 'verdict', raw: new Uint8Array(raw) }).promise;
      if (a.tests.includes('WAIT_LISTED')) hits++;
    }
  };
  await Promise.all(Array.from({ length: clients }, lane));
  const rate = msgs.length / ((performance.now() - t0) / 1000);
  console.log(`  ${name}: ${msgs.length} msgs, ${rate.toFixed(1)} msgs/s, WAIT_LISTED on ${hits}`);
  if (hits !== msgs.length) throw new Error(`${name}: the bench's network rule hit ${hits} of ${msgs.length} messages`);
  return rate;
}

async function main(): Promise<void> {
  const all = TEST_GROUPS.flatMap((g) => corpusFiles(g));
  const step = Math.max(1, Math.floor(all.length / sample));
  const msgs = all.filter((_f, i) => i % step === 0).slice(0, sample).map((f) => readFileSync(f));
  const server = await TestDnsServer.start();
  // Every name under the zone is listed, so each message's rule hits once its answer comes.
  const warm = msgs;
  const names = ['base', 'delay', 'base2', 'delay2', 'k1'].flatMap((n) => msgs.map((_m, i) => `${n}m${i}.wait.test`));
  for (const n of [...names, ...warm.map((_m, i) => `warmm${i}.wait.test`)]) server.add(n, 'A', '127.0.0.2');
  console.log(`bench:spamd-wait: ${msgs.length} TEST messages, ${clients} concurrent callers, 2 workers, stock rules, one ${delayMs} ms lookup per message`);
  try {
    const rates: Record<string, number> = {};
    for (const [scans, runs] of [[k, ['base', 'delay', 'base2', 'delay2']], [1, ['k1']]] as const) {
      const p = pool(server, scans);
      await p.start();
      try {
        server.behave('wait.test', { delayMs: 0 });
        await pass(p, 'warm', warm);
        for (const run of runs) {
          server.behave('wait.test', { delayMs: run.startsWith('base') ? 0 : delayMs });
          rates[run] = await pass(p, run, msgs);
        }
      } finally {
        await p.close();
      }
    }
    const base = (rates.base! + rates.base2!) / 2;
    const delayed = (rates.delay! + rates.delay2!) / 2;
    console.log(
      `RESULT spamd_wait k=${k} delay_ms=${delayMs} msgs_per_s=${base.toFixed(1)} delayed_msgs_per_s=${delayed.toFixed(1)} kept=${(delayed / base).toFixed(2)} k1_delayed_msgs_per_s=${rates.k1!.toFixed(1)} k1_kept=${(rates.k1! / base).toFixed(2)}`,
    );
  } finally {
    await server.stop();
  }
}

main().catch((e: Error) => {
  console.error(e.message);
  process.exit(1);
});
