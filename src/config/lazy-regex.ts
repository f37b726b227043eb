/**
 * Regexes of a cached rule set, built on first use. Creating a RegExp parses its pattern at
 * once (V8 defers only the compilation): the stock rules' 1,600 patterns, 1.4 MB of source,
 * cost ~110 ms of CPU to create, most of it for rules a one-shot scan never reaches (the
 * prefilter skips them without their regex). So the cache stores each pattern as text and the
 * decoder puts an `re` accessor on the object, which creates the RegExp when first read and
 * returns that same object after; a server's warm-up reads them all.
 */

import { compileWhenCreated } from '../regex-flags';

/** A pattern as stored: source and flags. */
export type StoredRegex = readonly [source: string, flags: string];

/** The pattern of `re`, to store. */
export function storedRegex(re: RegExp): StoredRegex {
  return [re.source, re.flags];
}

/** A cell that creates the regex of `stored` once, then calls `made` with it (the ASCII-form memo). */
export function regexCell(stored: StoredRegex, made?: (re: RegExp) => void): () => RegExp {
  return regexCellOf(() => stored[0], stored[1], made);
}

/**
 * A cell as `regexCell`, whose source is also read on first use (`source`): the rule-set cache
 * keeps sources as bytes and decodes only those a run reaches (a third of them for `hamlet -t`).
 */
export function regexCellOf(source: () => string, flags: string, made?: (re: RegExp) => void): () => RegExp {
  let re: RegExp | undefined;
  // Dropped once read: the last cell to go lets the cache file's bytes go (a server reads them all at warm-up).
  let from: (() => string) | undefined = source;
  return () => {
    if (re === undefined) {
      re = compileWhenCreated(new RegExp(from!(), flags));
      from = undefined;
      made?.(re);
    }
    return re;
  };
}

/** Give `obj` an enumerable `re` that reads `cell` (it reads like the data property it replaces). */
export function defineLazyRegex(obj: object, cell: () => RegExp): void {
  Object.defineProperty(obj, 're', { get: cell, enumerable: true, configurable: true });
}
