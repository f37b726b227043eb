/**
 * The literal prefilter's answer per rule for one scan (see prefilter.ts): whether a rule can
 * match at all, and on which lines. Literal hits are found once per area and per header value.
 */
import type { CompiledRule } from './types';
import type { ScanContext } from './context';
import type { RuleList, ScanPlan } from './scan-plan';
import { candidateLines, literalHits, mayMatch, type LiteralHits, type PrefilterArea } from './prefilter';

/** Where the prefilter lets a rule run: `null` when nothing it needs occurs, else its lines (`undefined`: all). */
export type Gate = readonly number[] | undefined | null;

/** The prefilter's answers for one scan: literal hits per area and per header value, found on first need. */
export class Gates {
  private readonly found = new Map<PrefilterArea, LiteralHits>();
  private readonly headerHits: (LiteralHits | undefined)[];

  constructor(
    private readonly plan: ScanPlan,
    private readonly list: RuleList,
    private readonly ctx: ScanContext,
  ) {
    this.headerHits = new Array<LiteralHits | undefined>(plan.headerGroupCount);
  }

  of(i: number): Gate {
    const need = this.list.needs[i];
    if (!need) return undefined;
    const group = this.list.headerGroups[i]!;
    if (group >= 0) {
      // Header values are short; each distinct one is scanned once for all header rules' literals.
      let hits = this.headerHits[group];
      if (!hits) {
        const t = this.list.rules[i]!.test as Extract<CompiledRule['test'], { type: 'header' }>;
        this.headerHits[group] = hits = literalHits(this.plan.prefilter, 'header', [this.ctx.ruleHeader(t.request, t.spec) ?? t.ifUnset ?? '']);
      }
      return mayMatch(need, hits) ? undefined : null;
    }
    const area = this.list.rules[i]!.area as PrefilterArea;
    let hits = this.found.get(area);
    if (!hits) this.found.set(area, (hits = literalHits(this.plan.prefilter, area, areaTexts(area, this.ctx))));
    const only = candidateLines(need, hits);
    return only.length === 0 ? null : only;
  }
}

/** The texts an area's rules read, for the prefilter. */
function areaTexts(area: PrefilterArea, ctx: ScanContext): readonly string[] {
  switch (area) {
    case 'body':
      return ctx.bodyLines();
    case 'rawbody':
      return ctx.rawBodyLines();
    case 'uri':
      return ctx.uriLines();
    case 'full':
      return [ctx.msg.fullText];
    case 'header':
      return []; // per header value, see Gates.of
  }
}

