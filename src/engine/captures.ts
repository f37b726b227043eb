/**
 * SpamAssassin 4's rule captures, on the scan side: the values a capturing rule's named groups
 * matched become the scan's capture tags, and a template rule's regex is built from them.
 */
import { fillTemplate } from '../regex/capture-tags';
import { translatePerlRegex } from '../regex/perl-regex';
import type { ScanContext } from './context';
import type { CompiledRule, RuleTemplate } from './types';

/**
 * The values a hit rule's named groups matched in `subjects` (in order; the first match only
 * unless the rule counts `multiple`, then up to its cap), added to the scan's tags. An empty
 * value sets the tag without a value: templates see no value, reports show it empty.
 */
export function captureTags(rule: CompiledRule, re: RegExp, subjects: readonly string[], cap: number, ctx: ScanContext): void {
  const names = rule.captures;
  if (!names) return;
  const tags = (ctx.captures ??= new Map());
  for (const n of names) if (!tags.has(n)) tags.set(n, []);
  const g = new RegExp(re.source, re.flags.includes('g') ? re.flags : re.flags + 'g');
  let found = 0;
  for (const s of subjects) {
    g.lastIndex = 0;
    for (let m = g.exec(s); m && found < cap; m = g.exec(s)) {
      found++;
      for (const n of names) {
        const v = m.groups?.[n];
        const list = tags.get(n)!;
        if (v !== undefined && v !== '' && !list.includes(v)) list.push(v);
      }
      if (m[0] === '') g.lastIndex++; // an empty match must not loop
    }
    if (found >= cap) return;
  }
}

/** Template regexes built for recent tag values, per template (a server sees the same recipients again). */
const built = new WeakMap<RuleTemplate, Map<string, RegExp | null>>();
const BUILT_PER_TEMPLATE = 64;

/**
 * A template rule's regex for this scan's tag values; undefined when one of its tags has no
 * value (SpamAssassin does not run the rule) or the filled pattern does not translate.
 */
export function templateRegex(t: RuleTemplate, ctx: ScanContext): RegExp | undefined {
  const src = fillTemplate(t.pattern, (tag) => ctx.captures?.get(tag));
  if (src === undefined) return undefined;
  let cache = built.get(t);
  if (!cache) built.set(t, (cache = new Map()));
  let re = cache.get(src);
  if (re === undefined) {
    const tr = translatePerlRegex(src, t.flags, t.matchOnly);
    re = 'error' in tr ? null : tr.re;
    if (cache.size >= BUILT_PER_TEMPLATE) cache.clear();
    cache.set(src, re);
  }
  return re ?? undefined;
}
