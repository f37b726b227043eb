/** `mkdir -p` that fails instead of spinning. */
import { mkdirSync, statSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * Create `dir` and its missing parents, each once, from the deepest one that exists.
 * Node 20's `mkdirSync(dir, { recursive: true })` never returns when a parent exists
 * but cannot hold directories (`/proc/nope/x`): its walk goes back and forth between
 * ENOENT and EEXIST. Here a failing mkdir throws its error (ENOENT, EACCES, ...).
 */
export function makeDirs(dir: string, mode?: number): void {
  const missing: string[] = [];
  for (let d = dir; ; d = dirname(d)) {
    try {
      if (statSync(d).isDirectory()) break;
    } catch {
      /* missing (or unreadable): create it, and the mkdir says why if it cannot be */
    }
    missing.push(d);
    if (dirname(d) === d) break;
  }
  for (let i = missing.length - 1; i >= 0; i--) {
    try {
      mkdirSync(missing[i]!, mode === undefined ? undefined : { mode });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
  }
}
