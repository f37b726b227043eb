/** Lexical containment of paths (no file system access). */
import { isAbsolute, normalize, relative } from 'node:path';

/** True when `path` is `root` or below it, read lexically. */
export function inside(root: string, path: string): boolean {
  const rel = relative(normalize(root), normalize(path));
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}
