/**
 * Literal prefilter for regex rules on the body, raw body, URIs, full text and
 * header values: one Aho-Corasick pass per text finds which required literals
 * occur; a rule none of whose literals occurred cannot match and is skipped.
 */
import { LiteralMatcher, type MatcherTables } from './literal-matcher';
import { requirement } from './required-literals';
import type { CompiledRule, RuleArea } from './types';

/** The areas with a prefilter; for `header`, each header value is its own text. */
export type PrefilterArea = 'body' | 'rawbody' | 'uri' | 'full' | 'header';
const AREAS: ReadonlySet<RuleArea> = new Set<RuleArea>(['body', 'rawbody', 'uri', 'full', 'header']);

/** A rule's literal ids and how many occurrences one line must hold. */
export interface Need {
  readonly ids: Int32Array;
  readonly minCount: number;
}

export interface Prefilter {
  readonly matchers: ReadonlyMap<PrefilterArea, LiteralMatcher>;
  /** Per rule: ids (in its area's matcher) of the literals one of which it needs. */
  readonly needs: ReadonlyMap<CompiledRule, Need>;
}

export function buildPrefilter(rules: readonly CompiledRule[]): Prefilter {
  const lits = new Map<PrefilterArea, Map<string, number>>();
  const needs = new Map<CompiledRule, Need>();
  for (const rule of rules) {
    const test = rule.test;
    if (!AREAS.has(rule.area) || (test.type !== 'regex' && test.type !== 'header')) continue;
    // A template rule's literals are known only per scan (its regex holds a probe value here).
    if (rule.template) continue;
    const req = requirement(test.re);
    if (!req) continue;
    const area = rule.area as PrefilterArea;
    let table = lits.get(area);
    if (!table) lits.set(area, (table = new Map()));
    const t = table;
    const ids = Int32Array.from(req.literals, (l) => {
      let id = t.get(l);
      if (id === undefined) t.set(l, (id = t.size));
      return id;
    });
    needs.set(rule, { ids, minCount: req.minCount });
  }
  const matchers = new Map<PrefilterArea, LiteralMatcher>();
  for (const [area, ids] of lits) matchers.set(area, new LiteralMatcher([...ids.keys()]));
  return { matchers, needs };
}

/** A rule list's prefilter, built once (the requirement analysis and the automata are its costly parts). */
const prefilters = new WeakMap<readonly CompiledRule[], Prefilter>();

export function prefilterFor(rules: readonly CompiledRule[]): Prefilter {
  let pf = prefilters.get(rules);
  if (!pf) prefilters.set(rules, (pf = buildPrefilter(rules)));
  return pf;
}

/** A prefilter as plain data, for the rule-set cache: needs aligned with `rules`, automata as tables. */
export interface PrefilterData {
  readonly needs: readonly (Need | null)[];
  readonly matchers: readonly (readonly [PrefilterArea, MatcherTables])[];
}

export function prefilterData(rules: readonly CompiledRule[]): PrefilterData {
  const pf = prefilterFor(rules);
  return { needs: rules.map((r) => pf.needs.get(r) ?? null), matchers: [...pf.matchers].map(([a, m]) => [a, m.tables()] as const) };
}

/** Make `data` (from prefilterData over the same rules) the prefilter of `rules`. */
export function knowPrefilter(rules: readonly CompiledRule[], data: PrefilterData): void {
  const needs = new Map<CompiledRule, Need>();
  rules.forEach((r, i) => {
    const n = data.needs[i];
    if (n) needs.set(r, n);
  });
  prefilters.set(rules, { needs, matchers: new Map(data.matchers.map(([a, t]) => [a, new LiteralMatcher(t)])) });
}

/** Where an area's literals occur: literal id -> the line number of each occurrence, ascending. */
export type LiteralHits = ReadonlyMap<number, readonly number[]>;

export function literalHits(pf: Prefilter, area: PrefilterArea, texts: readonly string[]): LiteralHits {
  const m = pf.matchers.get(area);
  const hits = new Map<number, number[]>();
  if (m) for (let i = 0; i < texts.length; i++) m.scan(texts[i]!, i, hits);
  return hits;
}

const NONE: readonly number[] = [];

/**
 * The lines a rule needs to look at, ascending: those holding at least
 * `minCount` occurrences of its literals. Empty when there are none (the rule cannot match).
 */
export function candidateLines(need: Need, hits: LiteralHits): readonly number[] {
  const { ids, minCount } = need;
  let first: readonly number[] | undefined;
  let merged: number[] | undefined;
  for (let i = 0; i < ids.length; i++) {
    const lines = hits.get(ids[i]!);
    if (lines === undefined) continue;
    if (first === undefined) first = lines;
    else (merged ??= first.slice()).push(...lines);
  }
  if (first === undefined) return NONE;
  // Occurrence lists are ascending; several are merged by sorting their concatenation.
  const all = merged ? merged.sort((a, b) => a - b) : first;
  const out: number[] = [];
  let run = 0;
  for (let k = 0; k < all.length; k++) {
    const l = all[k]!;
    run = k > 0 && all[k - 1] === l ? run + 1 : 1;
    if (run === minCount || (minCount < 1 && run === 1)) out.push(l);
  }
  return out;
}

/** For a single text (line 0): whether it holds `minCount` occurrences of the rule's literals (candidateLines without building the list). */
export function mayMatch(need: Need, hits: LiteralHits): boolean {
  let n = 0;
  for (let i = 0; i < need.ids.length; i++) {
    n += hits.get(need.ids[i]!)?.length ?? 0;
    if (n >= need.minCount) return true;
  }
  return false;
}
