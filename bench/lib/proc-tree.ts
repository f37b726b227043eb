/**
 * A process and its descendants, read from /proc (no pgrep, whose blocking
 * spawn would stall the event loop): their PIDs, RSS and CPU time. The benches
 * use it to measure the servers they started.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';

/** `pid` and its live descendants. */
export function tree(pid: number): number[] {
  const out: number[] = [];
  const stack = [pid];
  while (stack.length > 0) {
    const p = stack.pop()!;
    if (!existsSync(`/proc/${p}`)) continue;
    out.push(p);
    for (const t of readdirSync(`/proc/${p}/task`)) {
      try {
        stack.push(...readFileSync(`/proc/${p}/task/${t}/children`, 'utf8').split(' ').filter(Boolean).map(Number));
      } catch {
        // thread gone
      }
    }
  }
  return out;
}

function procFile(pid: number, name: string): string {
  try {
    return readFileSync(`/proc/${pid}/${name}`, 'utf8');
  } catch {
    return '';
  }
}

/** VmRSS of a process and all its descendants, MiB. */
export const treeRssMb = (pid: number): number => tree(pid).reduce((a, p) => a + Number(/VmRSS:\s+(\d+)/.exec(procFile(p, 'status'))?.[1] ?? 0) / 1024, 0);

/**
 * CPU seconds (user + system) a process and its descendants have used: the live
 * ones, plus the children they reaped (spamd replaces a child every 200 connections).
 */
export function treeCpuS(pid: number): number {
  const hz = 100; // USER_HZ on Linux
  return tree(pid).reduce((a, p) => {
    const f = procFile(p, 'stat').replace(/^.*\) /, '').split(' '); // fields from 3 (state) on
    return a + (Number(f[11] ?? 0) + Number(f[12] ?? 0) + Number(f[13] ?? 0) + Number(f[14] ?? 0)) / hz;
  }, 0);
}
