/** SpamAssassin's rule-set load time: median wall time of `spamassassin --lint -L`, process start included. */
import { spawnSync } from 'node:child_process';

export async function saLintSeconds(opts: { rules?: string; site?: string; runs?: number } = {}): Promise<number> {
  const args = ['--lint', '-L'];
  if (opts.rules) args.push('-C', opts.rules);
  if (opts.site) args.push('--siteconfigpath', opts.site);
  const times: number[] = [];
  for (let i = 0; i < (opts.runs ?? 3); i++) {
    const t = performance.now();
    spawnSync('spamassassin', args, { stdio: 'ignore' });
    times.push((performance.now() - t) / 1000);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}
