/**
 * bench:spamd — hamletd against real spamd 4.0.1 as mail servers use them: the
 * same corpus messages sent by concurrent real `spamc -c` processes, both servers
 * with the same stock rules (-C /usr/share/spamassassin, site /etc/spamassassin),
 * local tests only, 2 workers each, Bayes and AWL off on both (until hamlet's
 * Bayes lands), in the same run. The two take turns (hamletd, spamd, spamd,
 * hamletd over two halves of the sample) so host speed drift hits both alike.
 *
 * Prints msgs/s, p50/p99 latency (spamc start to exit), peak RSS summed over
 * each server's processes, score agreement; ends with the RESULT line.
 *
 * Usage: npm run bench:spamd [-- --sample N | --all] [--clients C] [--rules DIR --site DIR]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CORPUS_GROUPS, corpusFiles } from '../test/helpers/corpus';
import { LOCAL_ONLY_CF } from './lib/local-only';
import { haveSpamd, startSpamd } from './lib/spamd-run';

const SPAMC = '/usr/bin/spamc';

function arg(name: string, dflt: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1]! : dflt;
}

function quantile(xs: readonly number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? NaN;
}

/** VmRSS of a process and all its descendants, MiB. */
function treeRssMb(pid: number): number {
  let total = 0;
  const stack = [pid];
  while (stack.length > 0) {
    const p = stack.pop()!;
    try {
      const m = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${p}/status`, 'utf8'));
      if (m) total += Number(m[1]) / 1024;
    } catch {
      continue;
    }
    // Children from /proc (no pgrep: a blocking spawn here would stall this process's event loop).
    for (const t of readdirSync(`/proc/${p}/task`)) {
      try {
        stack.push(...readFileSync(`/proc/${p}/task/${t}/children`, 'utf8').split(' ').filter(Boolean).map(Number));
      } catch {
        // thread gone
      }
    }
  }
  return total;
}

interface Pass {
  readonly seconds: number;
  readonly latencies: number[];
  readonly scores: Map<string, number>;
  readonly errors: number;
}

/**
 * One client lane: a shell loop running `spamc -c` per file and printing
 * `start end status output` per message. A shell forks spamc far more cheaply than
 * Node's child_process (and without a subshell per message), so the clients take as
 * little as they can of the CPU the servers need.
 */
const LANE = `o=$(mktemp); while IFS= read -r f; do t0=$EPOCHREALTIME; ${SPAMC} -d 127.0.0.1 -p "$1" -c -t 60 < "$f" > "$o"; rc=$?; t1=$EPOCHREALTIME; read -r out < "$o"; echo "$t0 $t1 $rc $out $f"; done; rm -f "$o"`;

/** Feed `files` through `clients` concurrent lanes of `spamc -c`. */
async function feed(port: number, files: readonly string[], clients: number, onTick: () => void): Promise<Pass> {
  const latencies: number[] = [];
  const scores = new Map<string, number>();
  let errors = 0;
  const tick = setInterval(onTick, 500);
  const t0 = performance.now();
  const lane = (mine: readonly string[]): Promise<void> =>
    new Promise((resolve) => {
      const c = spawn('bash', ['-c', LANE, 'lane', String(port)], { stdio: ['pipe', 'pipe', 'ignore'] });
      let out = '';
      c.stdout.on('data', (d: Buffer) => (out += d.toString()));
      c.stdin.end(mine.join('\n') + '\n');
      c.on('close', () => {
        for (const line of out.split('\n').filter(Boolean)) {
          const m = /^([\d.]+) ([\d.]+) (\d+) (\S*) (.*)$/.exec(line);
          if (!m) {
            errors++;
            continue;
          }
          latencies.push((Number(m[2]) - Number(m[1])) * 1000);
          const v = /^(-?[\d.]+)\/(-?[\d.]+)$/.exec(m[4]!);
          if (v && v[2] !== '0' && (m[3] === '0' || m[3] === '1')) scores.set(m[5]!, Number(v[1]));
          else errors++;
        }
        resolve();
      });
    });
  // Files are dealt round-robin, so each lane gets a like mix.
  await Promise.all(Array.from({ length: clients }, (_, k) => lane(files.filter((_f, i) => i % clients === k))));
  clearInterval(tick);
  return { seconds: (performance.now() - t0) / 1000, latencies, scores, errors };
}

async function startHamletd(rules: string, site: string): Promise<{ port: number; proc: ChildProcess; stop: () => Promise<void> }> {
  const bin = join(__dirname, '..', '..', 'bin', 'hamletd.js');
  const cf = LOCAL_ONLY_CF.split('\n').flatMap((l) => ['--cf', l]);
  // hamletd logs to a file, as spamd does here: a pipe this process drains late would block its writes.
  const dir = mkdtempSync(join(tmpdir(), 'hamletd-bench-'));
  const logPath = join(dir, 'hamletd.log');
  const proc = spawn(process.execPath, [bin, '-C', rules, '--siteconfigpath', site, ...cf, '-L', '-x', '-m', '2', '-i', '127.0.0.1', '-p', '0', '-s', logPath], { stdio: 'ignore' });
  const log = (): string => {
    try {
      return readFileSync(logPath, 'utf8').slice(0, 100_000);
    } catch {
      return '';
    }
  };
  const deadline = Date.now() + 180_000;
  let m: RegExpExecArray | null;
  while (!(m = /server started on 127\.0\.0\.1:(\d+)/.exec(log()))) {
    if (proc.exitCode !== null || Date.now() > deadline) throw new Error(`hamletd did not start:\n${log()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const exited = new Promise<void>((r) => proc.once('exit', () => r()));
  return {
    port: Number(m[1]),
    proc,
    stop: async () => {
      if (proc.exitCode === null) process.kill(proc.pid!, 'SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function main(): Promise<void> {
  if (!(await haveSpamd())) throw new Error('bench:spamd needs spamd and spamc (apt-get install spamd spamc)');
  const rules = arg('--rules', '/usr/share/spamassassin');
  const site = arg('--site', '/etc/spamassassin');
  const clients = Number(arg('--clients', '8'));
  const all = CORPUS_GROUPS.flatMap((g) => corpusFiles(g));
  const sample = process.argv.includes('--all') ? all.length : Number(arg('--sample', '600'));
  const step = Math.max(1, Math.floor(all.length / sample));
  const files = all.filter((_f, i) => i % step === 0).slice(0, sample);
  const warm = all.filter((_f, i) => i % step === Math.floor(step / 2)).slice(0, 40);
  const halves = [files.slice(0, Math.ceil(files.length / 2)), files.slice(Math.ceil(files.length / 2))];
  console.log(`bench:spamd: ${files.length} corpus messages, ${clients} concurrent spamc -c clients, 2 workers each, -L, Bayes off on both (hamlet's Bayes has not landed yet), AWL off`);

  const hd = await startHamletd(rules, site);
  const sd = await startSpamd({ rules, site, children: 2 });
  const peak = { hamletd: 0, spamd: 0 };
  const sampleRss = (): void => {
    peak.hamletd = Math.max(peak.hamletd, treeRssMb(hd.proc.pid!));
    if (sd.pid) peak.spamd = Math.max(peak.spamd, treeRssMb(sd.pid));
  };
  const passes = { hamletd: [] as Pass[], spamd: [] as Pass[] };
  try {
    await feed(hd.port, warm, clients, sampleRss);
    await feed(sd.port, warm, clients, sampleRss);
    for (const [who, half] of [['hamletd', 0], ['spamd', 0], ['spamd', 1], ['hamletd', 1]] as const) {
      const p = await feed(who === 'hamletd' ? hd.port : sd.port, halves[half]!, clients, sampleRss);
      passes[who].push(p);
      const mean = p.latencies.reduce((a, x) => a + x, 0) / Math.max(1, p.latencies.length);
      console.log(`  ${who.padEnd(7)} half ${half + 1}: ${halves[half]!.length} msgs in ${p.seconds.toFixed(1)} s (${(halves[half]!.length / p.seconds).toFixed(1)} msgs/s), mean latency ${mean.toFixed(0)} ms, ${p.errors} errors`);
    }
  } finally {
    await hd.stop();
    await sd.stop();
  }
  const sum = (ps: Pass[]): { rate: number; p50: number; p99: number; errors: number; scores: Map<string, number> } => {
    const lat = ps.flatMap((p) => p.latencies);
    return {
      rate: lat.length / ps.reduce((a, p) => a + p.seconds, 0),
      p50: quantile(lat, 0.5),
      p99: quantile(lat, 0.99),
      errors: ps.reduce((a, p) => a + p.errors, 0),
      scores: new Map(ps.flatMap((p) => [...p.scores])),
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
  const row = (name: string, r: typeof h, rss: number): string =>
    `${name.padEnd(8)} ${r.rate.toFixed(1).padStart(8)} msgs/s   p50 ${r.p50.toFixed(0).padStart(5)} ms   p99 ${r.p99.toFixed(0).padStart(5)} ms   RSS ${rss.toFixed(0).padStart(5)} MiB   errors ${r.errors}`;
  console.log(row('hamletd', h, peak.hamletd));
  console.log(row('spamd', s, peak.spamd));
  console.log(`verdicts agree on ${agree}/${both} messages (spam at >= 5)`);
  const f = (x: number, d = 1): string => x.toFixed(d);
  console.log(
    `RESULT spamd msgs_per_s=${f(h.rate)} spamd_msgs_per_s=${f(s.rate)} ratio_vs_spamd=${f(h.rate / s.rate, 2)} p99_ms=${f(h.p99, 0)} spamd_p99_ms=${f(s.p99, 0)} p99_ratio=${f(h.p99 / s.p99, 2)} rss_mb=${f(peak.hamletd, 0)} spamd_rss_mb=${f(peak.spamd, 0)}`,
  );
}

main().catch((e: Error) => {
  console.error(e.message);
  process.exit(1);
});
