/**
 * Address lists as SpamAssassin keeps them: file-glob patterns (`*`, `?`)
 * compared case-insensitively, compiled once per rule set (memoised on the
 * options object, which a rule set never mutates).
 */
import { optList, type OptionValues } from '../options/option-values';

/** A compiled glob list: exact entries and one combined pattern. */
export interface GlobList {
  /** Entries as written, lower-cased. */
  readonly entries: ReadonlySet<string>;
  /**
   * Anchored `*literal` entries as their literal tails: an ends-with check each,
   * where the regex form (`^.*tail$`) runs to the end and backtracks once per entry.
   */
  readonly suffixes: readonly string[];
  /** Matches a lower-cased candidate against the other entries; undefined when there are none. */
  readonly re: RegExp | undefined;
}

/**
 * Turn one glob into a regex source: `?` is any one character, a run of `*`
 * any string, everything else literal. NUL, backslash and `(` are neutralised
 * to `_` as SpamAssassin does before compiling.
 */
export function globSource(glob: string): string {
  let out = '';
  for (const c of glob.toLowerCase().replace(/[\0\\(]/g, '_')) {
    if (c === '?') out += '.';
    else if (c === '*') out += out.endsWith('.*') ? '' : '.*';
    else if (/[_a-zA-Z0-9]/.test(c)) out += c;
    else out += c.replace(/[.+^${}()|[\]\\/-]/, '\\$&');
  }
  return out;
}

/** Compile globs; `anchored` false matches anywhere in the candidate (subject lists). */
export function compileGlobs(globs: Iterable<string>, anchored = true): GlobList {
  const entries = new Set<string>();
  for (const g of globs) if (g !== '') entries.add(g.toLowerCase());
  const suffixes: string[] = [];
  const alts: string[] = [];
  for (const g of entries) {
    if (anchored && /^\*+[^*?\0\\(]+$/.test(g)) suffixes.push(g.replace(/^\*+/, ''));
    else alts.push(anchored ? `^${globSource(g)}$` : globSource(g));
  }
  return { entries, suffixes, re: alts.length > 0 ? new RegExp(alts.map((a) => `(?:${a})`).join('|')) : undefined };
}

/** What a regex `.` does not match. */
const LINE_BREAK = /[\n\r\u2028\u2029]/;

/** True when `candidate` (any case) is in the list or matches one of its globs. */
export function globListMatches(list: GlobList, candidate: string): boolean {
  const c = candidate.toLowerCase();
  if (list.entries.has(c)) return true;
  for (const tail of list.suffixes) if (c.endsWith(tail) && !LINE_BREAK.test(c.slice(0, c.length - tail.length))) return true;
  return list.re?.test(c) ?? false;
}

const cache = new WeakMap<OptionValues, Map<string, unknown>>();

/** Memoise a value derived from the options (per rule set) under `key`. */
export function memoOnOptions<T>(o: OptionValues, key: string, build: () => T): T {
  let m = cache.get(o);
  if (!m) cache.set(o, (m = new Map()));
  if (m.has(key)) return m.get(key) as T;
  const v = build();
  m.set(key, v);
  return v;
}

/**
 * `enlist_addrlist (NAME) addr ...` lines grouped by list name (names keep
 * their case, as rules pass them). Malformed lines are ignored.
 */
export function namedAddrLists(o: OptionValues): ReadonlyMap<string, readonly string[]> {
  return memoOnOptions(o, 'addrlists', () => {
    const lists = new Map<string, string[]>();
    for (const line of optList(o, 'enlist_addrlist')) {
      const m = /^\((.+?)\)\s+(.+)$/s.exec(line.trim());
      if (!m) continue;
      const l = lists.get(m[1]!) ?? [];
      for (const a of m[2]!.split(/\s+/)) if (a !== '') l.push(a);
      lists.set(m[1]!, l);
    }
    return lists;
  });
}

/**
 * The compiled address list `name`: the option of that name (welcomelist_from,
 * blocklist_to, ...) plus any `enlist_addrlist (name)` entries, which SpamAssassin
 * stores in the same place.
 */
export function addrList(o: OptionValues, name: string): GlobList {
  return memoOnOptions(o, `addr:${name}`, () => compileGlobs([...optList(o, name).flatMap((e) => e.split(/\s+/)), ...(namedAddrLists(o).get(name) ?? [])]));
}
