/**
 * A stat that stands for a file's content or a directory's entries while it is unchanged (device,
 * inode, size, mtime and ctime in ns): writing a file, or adding, removing or renaming a
 * directory's entry, changes its mtime and ctime; replacing it changes the inode. Git's "racily
 * clean" rule: a path whose ctime was under RACY_MS old when stat'ed could change again within the
 * file system's timestamp granularity without its stat showing it, so that stat vouches for
 * nothing (`settled` false). The rule-set cache's inputs and the module resolution memo use it.
 */
import { statSync } from 'node:fs';

/** How old a ctime must be (at least) for the stat to stand for what it describes. */
export const RACY_MS = 2000;

/** A path's stamp, and whether it was old enough to vouch for the path. */
export interface StatStamp {
  readonly stamp: string;
  readonly settled: boolean;
}

/** The stamp of `path`, or undefined when it is not a `kind` (or does not exist). */
export function statStamp(path: string, kind: 'file' | 'dir', racyMs = RACY_MS): StatStamp | undefined {
  const st = statSync(path, { bigint: true, throwIfNoEntry: false });
  if (!st || !(kind === 'file' ? st.isFile() : st.isDirectory())) return undefined;
  return {
    stamp: `${st.dev}:${st.ino}:${st.size}:${st.mtimeNs}:${st.ctimeNs}`,
    settled: Number(st.ctimeNs / 1_000_000n) <= Date.now() - racyMs,
  };
}
