/**
 * Literal prefilter for regex rules on the body, raw body, URIs and full text:
 * one Aho-Corasick pass per area and message finds which required literals
 * occur; a rule none of whose literals occurred cannot match and is skipped.
 */
import { LiteralMatcher } from './literal-matcher';
import { requiredLiterals } from './required-literals';
import type { CompiledRule, RuleArea } from './types';

/** The areas whose text is long enough for a one-pass prefilter to pay. */
export type PrefilterArea = 'body' | 'rawbody' | 'uri' | 'full';
const AREAS: ReadonlySet<RuleArea> = new Set<RuleArea>(['body', 'rawbody', 'uri', 'full']);

export interface Prefilter {
  readonly matchers: ReadonlyMap<PrefilterArea, LiteralMatcher>;
  /** Per rule: ids (in its area's matcher) of the literals one of which it needs. */
  readonly needs: ReadonlyMap<CompiledRule, Int32Array>;
}

export function buildPrefilter(rules: readonly CompiledRule[]): Prefilter {
  const lits = new Map<PrefilterArea, Map<string, number>>();
  const needs = new Map<CompiledRule, Int32Array>();
  for (const rule of rules) {
    if (!AREAS.has(rule.area) || rule.test.type !== 'regex') continue;
    const req = requiredLiterals(rule.test.re);
    if (!req) continue;
    const area = rule.area as PrefilterArea;
    let ids = lits.get(area);
    if (!ids) lits.set(area, (ids = new Map()));
    const table = ids;
    needs.set(
      rule,
      Int32Array.from(req, (l) => {
        let id = table.get(l);
        if (id === undefined) table.set(l, (id = table.size));
        return id;
      }),
    );
  }
  const matchers = new Map<PrefilterArea, LiteralMatcher>();
  for (const [area, ids] of lits) matchers.set(area, new LiteralMatcher([...ids.keys()]));
  return { matchers, needs };
}

/** Which of an area's literals occur in any of `texts`. */
export function literalsFound(pf: Prefilter, area: PrefilterArea, texts: readonly string[]): Uint8Array {
  const m = pf.matchers.get(area);
  const found = new Uint8Array(m?.size ?? 0);
  if (m) for (const t of texts) m.scan(t, found);
  return found;
}

/** False when the rule needs a literal and none occurred: it cannot match. */
export function mayMatch(needs: Int32Array, found: Uint8Array): boolean {
  for (let i = 0; i < needs.length; i++) if (found[needs[i]!] === 1) return true;
  return false;
}
