/**
 * Relative `require`s (`./x`, `../y/z`) of a package's modules answered from what an earlier run
 * resolved, for the short `hamlet` runs that use the code cache (module-code-cache.ts stores the
 * memo beside the bytecode). Node resolves each of the ~320 relative requires of a `hamlet -t`
 * run in JavaScript (path joining and normalising, stats, package scope look-ups) that runs
 * unoptimised there (one-shot.ts leaves TurboFan off): ~0.08 ms each, 21-28 ms a run.
 *
 * Which file a relative request names depends only on the entries of the directory it points
 * into, so an answer is kept with that directory's stat (device, inode, mtime and ctime in ns)
 * and used while the stat is the same: adding, removing or renaming an entry changes the mtime
 * and ctime, replacing the directory changes the inode. One stat per directory per run, ~20 for
 * `hamlet -t`, instead of several per request. Only answers that are the requested path itself
 * or that path plus `.js`, in that directory and not through a symlink, are kept, and only for
 * directories whose stat was settled when seen (stat-stamp.ts).
 */
import { dirname, resolve } from 'node:path';
import { RACY_MS, statStamp } from './stat-stamp';

/** One resolution as stored: parent directory NUL request, the file found, its directory, and the directory's stat. */
export type Resolution = readonly [key: string, file: string, dir: string, dirStat: string];

interface ResolveInternals {
  _resolveFilename(request: string, parent: NodeModule | undefined, isMain: boolean, options?: unknown): string;
}

/** The memo in use: what to store. */
export interface ResolveMemo {
  /** True when this run resolved something the memo did not hold. */
  readonly changed: () => boolean;
  /** This run's resolutions, then the known ones it did not use (other runs' paths). */
  readonly entries: () => Resolution[];
}

/** A directory's stamp as a memo entry keeps it; undefined when it is not a directory or changed less than `racyMs` ago. */
function dirStat(dir: string, racyMs: number): string | undefined {
  const st = statStamp(dir, 'dir', racyMs);
  return st?.settled === true ? st.stamp : undefined;
}

const relative = (request: string): boolean => request.startsWith('./') || request.startsWith('../');

const isResolution = (r: unknown): r is Resolution => Array.isArray(r) && r.length === 4 && r.every((s) => typeof s === 'string');

/**
 * Answer relative requires from modules whose file starts with `prefix` out of `known` while
 * their directories are unchanged (see the file comment); anything else goes to Node's own
 * resolution, and its answer is kept. `onHit` counts the answers given from the memo; `racyMs`
 * is for tests.
 */
export function memoizeRelativeResolution(mod: ResolveInternals, prefix: string, known: readonly unknown[], onHit: () => void, racyMs = RACY_MS): ResolveMemo {
  const byKey = new Map<string, Resolution>();
  for (const r of known) if (isResolution(r)) byKey.set(r[0], r);
  const used = new Map<string, Resolution>();
  // Each directory's stat now, read once a run.
  const dirNow = new Map<string, string | undefined>();
  const statOf = (dir: string): string | undefined => {
    if (!dirNow.has(dir)) dirNow.set(dir, dirStat(dir, racyMs));
    return dirNow.get(dir);
  };
  let changed = false;
  const original = mod._resolveFilename;
  mod._resolveFilename = function resolveMemoized(request: string, parent: NodeModule | undefined, isMain: boolean, options?: unknown): string {
    const from = parent?.path;
    if (options !== undefined || from === undefined || !relative(request) || !parent!.filename.startsWith(prefix)) {
      return original.call(this, request, parent, isMain, options);
    }
    const key = `${from}\u0000${request}`;
    const had = byKey.get(key);
    if (had !== undefined) {
      if (statOf(had[2]) === had[3]) {
        onHit();
        used.set(key, had);
        return had[1];
      }
      byKey.delete(key);
    }
    const file = original.call(this, request, parent, isMain, options);
    const exact = resolve(from, request);
    if (file === exact || file === `${exact}.js`) {
      const dir = dirname(file);
      const stat = statOf(dir);
      if (stat !== undefined) {
        used.set(key, [key, file, dir, stat]);
        changed = true;
      }
    }
    return file;
  };
  return {
    changed: () => changed,
    entries: () => [...used.values(), ...[...byKey.values()].filter((r) => !used.has(r[0]))],
  };
}
