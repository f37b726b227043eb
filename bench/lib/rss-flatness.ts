/**
 * Does a server's memory stay flat over a long run? A fresh hamletd is driven by
 * raw sockets (rawCheck: no spamc, so the run is short) for `scans` CHECKs cycling
 * through the given messages; its RSS (all its threads) is read after the first
 * `first` scans and at the end, with its CPU per scan over each stretch, so a leak
 * or a cache without a bound shows as growth while a heap that only warms up does not.
 */
import type { HamletdServer } from './hamletd-run';
import { treeCpuS, treeRssMb } from './proc-tree';
import { rawCheck } from './raw-spamc';

export interface Flatness {
  readonly scans: number;
  readonly first: number;
  readonly rssFirstMb: number;
  readonly rssEndMb: number;
  /** rssEndMb / rssFirstMb. */
  readonly growth: number;
  readonly peakMb: number;
  /** Server CPU ms per scan over the first stretch and over the rest. */
  readonly cpuFirstMs: number;
  readonly cpuRestMs: number;
  readonly seconds: number;
  readonly errors: number;
}

export async function rssFlatness(server: HamletdServer, files: readonly string[], opts: { scans: number; first: number; clients: number }): Promise<Flatness> {
  const pid = server.proc.pid!;
  let peakMb = 0;
  const tick = setInterval(() => (peakMb = Math.max(peakMb, treeRssMb(pid))), 1000);
  try {
    const t0 = performance.now();
    const c0 = treeCpuS(pid);
    const a = await rawCheck(server.port, files, opts.clients, opts.first);
    const rssFirstMb = treeRssMb(pid);
    const c1 = treeCpuS(pid);
    // Continue where the first stretch stopped in the cycle.
    const rest = [...files.slice(opts.first % files.length), ...files.slice(0, opts.first % files.length)];
    const b = await rawCheck(server.port, rest, opts.clients, opts.scans - opts.first);
    const rssEndMb = treeRssMb(pid);
    const c2 = treeCpuS(pid);
    return {
      scans: opts.scans,
      first: opts.first,
      rssFirstMb,
      rssEndMb,
      growth: rssEndMb / rssFirstMb,
      peakMb: Math.max(peakMb, rssFirstMb, rssEndMb),
      cpuFirstMs: (1000 * (c1 - c0)) / opts.first,
      cpuRestMs: (1000 * (c2 - c1)) / (opts.scans - opts.first),
      seconds: (performance.now() - t0) / 1000,
      errors: a.errors + b.errors,
    };
  } finally {
    clearInterval(tick);
  }
}
