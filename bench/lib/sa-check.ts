/** Run real SpamAssassin over files (bench/sa/check.pl, sharded over processes) and read its verdicts. */
import { spawn } from 'node:child_process';
import { join } from 'node:path';

/** One message as SpamAssassin judged it. */
export interface SaVerdict {
  readonly path: string;
  readonly score: number;
  /** Scored rules hit (the `tests=` list). */
  readonly tests: readonly string[];
  /** `__` sub-rules hit. */
  readonly subtests: readonly string[];
  readonly error: boolean;
  /** Milliseconds SpamAssassin's parse and check took (NaN when not printed). */
  readonly ms: number;
}

/** Parse check.pl's tab-separated output. */
export function parseSaOutput(text: string): SaVerdict[] {
  const out: SaVerdict[] = [];
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const [path = '', score = '', tests = '', sub = '', ms = ''] = line.split('\t');
    out.push({
      path,
      score: Number(score),
      tests: tests === '' ? [] : tests.split(','),
      subtests: sub === '' ? [] : sub.split(','),
      error: score === 'ERROR',
      ms: ms === '' ? NaN : Number(ms),
    });
  }
  return out;
}

/** True when Perl can load Mail::SpamAssassin here. */
export async function haveSpamAssassin(): Promise<boolean> {
  return new Promise((resolve) => {
    const p = spawn('perl', ['-MMail::SpamAssassin', '-e', '1'], { stdio: 'ignore' });
    p.on('error', () => resolve(false));
    p.on('exit', (code) => resolve(code === 0));
  });
}

/** How check.pl runs: rule dirs, processes, and for network tests the DNS server and a user-state dir. */
export interface SaCheckOptions {
  readonly rules?: string;
  readonly site?: string;
  readonly shards?: number;
  /** `IP:PORT`: network tests on, every query to this server. */
  readonly dns?: string;
  readonly state?: string;
  /** A bayes_path: Bayes on with that database (no auto-learn, no expiry). */
  readonly bayes?: string;
}

/**
 * Scan `files` with SpamAssassin in `shards` parallel processes (each pinned to
 * one core when taskset exists) and return verdicts in input order.
 */
export async function runSaCheck(files: readonly string[], opts: SaCheckOptions = {}): Promise<SaVerdict[]> {
  const shards = Math.max(1, opts.shards ?? 1);
  const script = join(__dirname, '..', '..', '..', 'bench', 'sa', 'check.pl');
  const args = [script];
  if (opts.rules) args.push('--rules', opts.rules);
  if (opts.site) args.push('--site', opts.site);
  if (opts.dns) args.push('--dns', opts.dns);
  if (opts.state) args.push('--state', opts.state);
  if (opts.bayes) args.push('--bayes', opts.bayes);
  // SpamAssassin's DMARC plugin asks through Mail::DMARC's own Net::DNS resolver, which ignores
  // dns_server (it reads resolv.conf, or these variables): point it at the same server.
  const [host, port] = (opts.dns ?? '').split(/:(?=\d+$)/);
  const env = opts.dns ? { ...process.env, RES_NAMESERVERS: host, RES_OPTIONS: `port:${port ?? 53}` } : process.env;
  const parts: string[][] = Array.from({ length: shards }, () => []);
  files.forEach((f, i) => parts[i % shards]!.push(f));
  const outputs = await Promise.all(
    parts.map(
      (list) =>
        new Promise<string>((resolve, reject) => {
          const p = spawn('perl', args, { stdio: ['pipe', 'pipe', 'ignore'], env });
          let out = '';
          p.stdout.setEncoding('utf8');
          p.stdout.on('data', (d: string) => (out += d));
          p.on('error', reject);
          p.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`check.pl exited ${code}`))));
          p.stdin.end(list.join('\n') + '\n');
        }),
    ),
  );
  const byPath = new Map<string, SaVerdict>();
  for (const o of outputs) for (const v of parseSaOutput(o)) byPath.set(v.path, v);
  return files.map((f) => byPath.get(f) ?? { path: f, score: NaN, tests: [], subtests: [], error: true, ms: NaN });
}
