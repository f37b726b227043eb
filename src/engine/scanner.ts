/**
 * Scan one message against a compiled rule set: run rules by priority, then
 * metas in dependency order, then score. Pure apart from the clock.
 */
import { toByteString } from '../message/charset';
import type { HeaderRequest } from '../message/header-access';
import type { HeaderField, Message, MimePart } from '../message/types';
import { ScanContext, type ScanSettings } from './context';
import { asciiForm } from './ascii-form';
import { compileMeta, evalMeta, type CompiledMeta } from './meta';
import { buildPrefilter, candidateLines, literalHits, type LiteralHits, type Need, type Prefilter, type PrefilterArea } from './prefilter';
import type { CompiledRule, RuleHit, ScanResult } from './types';

/** A rule set ready to scan with: rules sorted by priority, metas in dependency order. */
export interface CompiledRuleSet {
  readonly rules: readonly CompiledRule[];
  /** Meta rules, each after the metas it depends on. */
  readonly metas: readonly CompiledRule[];
  /** Names some meta depends on: they run even when their own score is 0. */
  readonly metaDeps: ReadonlySet<string>;
  readonly settings: ScanSettings;
}

export interface ScanOptions {
  /** Score set 0-3 (bit 0: network tests, bit 1: Bayes). Default 0. */
  scoreSet?: number;
  /** Run every rule, even sub-rules no scored rule depends on (for diagnostics; costs time). */
  allRules?: boolean;
  /** Override `time_limit` (seconds). */
  timeLimit?: number;
  /** Bayes (see bayes/index.ts `bayesScanner`): when available, score set 2 (or 3) is used and BAYES_ rules run. */
  bayes?: { available(): boolean; probability(msg: Message): number | undefined };
}

/** Global twins of non-global regexes, for counting `multiple` matches. */
const globalTwins = new WeakMap<RegExp, RegExp>();
function globalOf(re: RegExp): RegExp {
  let g = globalTwins.get(re);
  if (!g) {
    g = new RegExp(re.source, re.flags.includes('g') ? re.flags : re.flags + 'g');
    globalTwins.set(re, g);
  }
  return g;
}

/** Matches of `re` in `s`, at most `cap` (cap 1 means "does it match"). */
function countMatches(re: RegExp, s: string, cap: number): number {
  if (cap === 1) return re.test(s) ? 1 : 0;
  const g = globalOf(re);
  g.lastIndex = 0;
  let n = 0;
  while (n < cap) {
    const m = g.exec(s);
    if (!m) break;
    n++;
    if (m[0] === '') g.lastIndex++; // an empty match must not loop
  }
  return n;
}

/** Matches over `lines` (or only the listed line numbers), skipping lines before `from`. */
/** Each regex's ASCII form (see ascii-form.ts), computed once; null when it has none. */
const asciiForms = new WeakMap<RegExp, RegExp | null>();
function asciiOf(re: RegExp): RegExp | null {
  let a = asciiForms.get(re);
  if (a === undefined) asciiForms.set(re, (a = asciiForm(re) ?? null));
  return a;
}

/**
 * Matches over `lines` (or only the listed line numbers), skipping lines before
 * `from`. Lines without bytes >= 0x80 (`ascii`) are matched with the ASCII form.
 */
function matchLines(re: RegExp, lines: readonly string[], cap: number, from: number, only: readonly number[] | undefined, ascii: Uint8Array): number {
  const a = asciiOf(re);
  let n = 0;
  const one = (i: number): void => {
    n += countMatches(a !== null && ascii[i] === 1 ? a : re, lines[i]!, cap - n);
  };
  if (only) {
    for (const i of only) {
      if (i < from) continue;
      one(i);
      if (n >= cap) break;
    }
    return n;
  }
  for (let i = from; i < lines.length; i++) {
    one(i);
    if (n >= cap) break;
  }
  return n;
}

/**
 * What a `mimeheader` rule matches in each MIME part, root first, depth first:
 * the last instance of the header, decoded with a newline, or as written with `:raw`.
 */
function* mimeHeaderValues(part: MimePart, req: HeaderRequest): Generator<string> {
  const key = req.name.toLowerCase();
  let last: HeaderField | undefined;
  for (const f of part.headers) if (f.key === key) last = f;
  if (last) yield req.raw ? last.raw.replace(/^[ \t]+/, '') : toByteString(last.value) + '\n';
  for (const c of part.children) yield* mimeHeaderValues(c, req);
}

/** Run one non-meta rule (a line-based one only on the `only` lines when given); returns its hit count. */
function runRule(rule: CompiledRule, ctx: ScanContext, only?: readonly number[]): number {
  const cap = rule.multiple ? (rule.maxHits > 0 ? rule.maxHits : Number.MAX_SAFE_INTEGER) : 1;
  const t = rule.test;
  switch (t.type) {
    case 'header': {
      const v = ctx.header(t.request, t.spec) ?? t.ifUnset ?? '';
      const n = countMatches(t.re, v, t.negate ? 1 : cap);
      return t.negate ? (n === 0 ? 1 : 0) : n;
    }
    case 'mimeheader': {
      let n = 0;
      for (const v of mimeHeaderValues(ctx.msg.root, t.request)) {
        n += countMatches(t.re, v, t.negate ? 1 : cap - n);
        if (n >= cap || (t.negate && n > 0)) break;
      }
      return t.negate ? (n === 0 ? 1 : 0) : n;
    }
    case 'exists':
      // Pseudo-headers (ToCc, MESSAGEID, EnvelopeFrom, X-Spam-Relays-*) exist when they yield a value.
      return ctx.header(t.request, `exists:${t.header}`) !== undefined ? 1 : 0;
    case 'regex':
      switch (rule.area) {
        case 'body':
          // `tflags nosubject`: skip the Subject line that heads the body text.
          return matchLines(t.re, ctx.bodyLines(), cap, rule.tflags.has('nosubject') ? 1 : 0, only, ctx.asciiLines('body'));
        case 'rawbody':
          return matchLines(t.re, ctx.rawBodyLines(), cap, 0, only, ctx.asciiLines('rawbody'));
        case 'uri':
          return matchLines(t.re, ctx.uriLines(), cap, 0, only, ctx.asciiLines('uri'));
        case 'full':
          return countMatches(t.re, ctx.msg.fullText, cap);
        default:
          return 0;
      }
    case 'eval': {
      try {
        const r = t.fn(ctx, t.args);
        return typeof r === 'number' ? r : r ? 1 : 0;
      } catch {
        return 0; // a failing eval fails only its own rule
      }
    }
    case 'meta':
      return evalMeta(t.expr, (n) => ctx.count(n));
  }
}

/**
 * The rules whose result can change a score in `set`: the scored ones and,
 * transitively, every rule a live meta reads. A sub-rule nothing scored reads
 * cannot change the verdict, so it is not run.
 */
function liveRules(byName: ReadonlyMap<string, CompiledRule>, set: number): Set<string> {
  const live = new Set<string>();
  const stack: string[] = [];
  for (const r of byName.values()) if (!r.subrule && r.scores[set] !== 0) stack.push(r.name);
  while (stack.length > 0) {
    const name = stack.pop()!;
    if (live.has(name)) continue;
    live.add(name);
    const r = byName.get(name);
    if (r?.test.type === 'meta') for (const d of r.test.deps) stack.push(d);
  }
  return live;
}

/** What scans of one rule set share, computed on first use. */
interface ScanPlan {
  readonly byName: ReadonlyMap<string, CompiledRule>;
  readonly prefilter: Prefilter;
  /** Per score set: the rules and metas worth running (live ones); index 4: all of them. */
  readonly rules: readonly (readonly CompiledRule[])[];
  /** Each meta's compiled expression, reading the counts array. */
  readonly metaFns: ReadonlyMap<CompiledRule, CompiledMeta>;
  /** Each rule name's index in a scan's counts array (names metas read but nothing defines included). */
  readonly slots: ReadonlyMap<string, number>;
  /** Aligned with `rules`: each rule's prefilter need, if it has one. */
  readonly needs: readonly (readonly (Need | undefined)[])[];
  readonly metas: readonly (readonly CompiledRule[])[];
}
const plans = new WeakMap<CompiledRuleSet, ScanPlan>();
function planFor(rs: CompiledRuleSet): ScanPlan {
  let plan = plans.get(rs);
  if (!plan) {
    const byName = new Map<string, CompiledRule>();
    for (const r of rs.rules) byName.set(r.name, r);
    for (const r of rs.metas) byName.set(r.name, r);
    const sets = [0, 1, 2, 3];
    const live = sets.map((set) => liveRules(byName, set));
    const prefilter = buildPrefilter(rs.rules);
    const rules = [...sets.map((set) => rs.rules.filter((r) => live[set]!.has(r.name))), rs.rules];
    const slots = new Map<string, number>();
    const slot = (name: string): number => {
      let i = slots.get(name);
      if (i === undefined) slots.set(name, (i = slots.size));
      return i;
    };
    for (const name of byName.keys()) slot(name);
    const metaFns = new Map<CompiledRule, CompiledMeta>();
    for (const m of rs.metas) if (m.test.type === 'meta') metaFns.set(m, compileMeta(m.test.expr, slot));
    plan = {
      byName,
      metaFns,
      slots,
      prefilter,
      rules,
      needs: rules.map((list) => list.map((r) => prefilter.needs.get(r))),
      metas: [...sets.map((set) => rs.metas.filter((r) => live[set]!.has(r.name))), rs.metas],
    };
    plans.set(rs, plan);
  }
  return plan;
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
      return []; // per header value, see scan()
  }
}

/**
 * Compile every rule's regular expressions to machine code now rather than on
 * the message that first needs them (a long-running server's start-up step,
 * like spamd's compile at start). V8 interprets a regex on its first run and
 * compiles it on the second, hence two runs. Returns the seconds spent.
 */
export function warmUp(rs: CompiledRuleSet): number {
  const t0 = performance.now();
  planFor(rs);
  for (const rule of rs.rules) {
    const t = rule.test;
    if (t.type !== 'regex' && t.type !== 'header' && t.type !== 'mimeheader') continue;
    const forms = t.type === 'regex' && rule.area !== 'full' ? [t.re, asciiOf(t.re)] : [t.re];
    const all = forms.filter((r): r is RegExp => r !== null).flatMap((r) => (rule.multiple ? [r, globalOf(r)] : [r]));
    for (const re of all) {
      for (let i = 0; i < 2; i++) {
        re.lastIndex = 0;
        re.test('warm-up\n');
      }
      re.lastIndex = 0;
    }
  }
  return (performance.now() - t0) / 1000;
}

/** Scan a parsed message. */
export function scan(msg: Message, rs: CompiledRuleSet, opts: ScanOptions = {}): ScanResult {
  const started = performance.now();
  const withBayes = opts.bayes?.available() ?? false;
  const set = (opts.scoreSet ?? 0) | (withBayes ? 2 : 0);
  const limit = opts.timeLimit ?? rs.settings.timeLimit;
  const ctx = new ScanContext(msg, rs.settings, limit > 0 ? started + limit * 1000 : 0);
  if (withBayes) ctx.bayes = opts.bayes;
  const plan = planFor(rs);
  const found = new Map<PrefilterArea, LiteralHits>();
  const headerHits = new Map<string, LiteralHits>();
  const order: string[] = [];
  let timedOut = false;
  // Hit counts by slot, what compiled metas read; ctx.counts keeps them by name for evals and the result.
  const values = new Float64Array(plan.slots.size);
  const record = (rule: CompiledRule, n: number): void => {
    if (n > 0) {
      ctx.counts.set(rule.name, n);
      values[plan.slots.get(rule.name)!] = n;
      order.push(rule.name);
    }
  };
  const which = opts.allRules ? 4 : set;
  const rules = plan.rules[which] ?? [];
  const needsOf = plan.needs[which] ?? [];
  for (let i = 0; i < rules.length; i++) {
    const rule = rules[i]!;
    // The clock is read every few rules: reading it per rule costs more than most rules.
    if ((i & 15) === 0 && ctx.expired()) {
      timedOut = true;
      break;
    }
    const needs = needsOf[i];
    let only: readonly number[] | undefined;
    const t = rule.test;
    if (needs && t.type === 'header') {
      // Header values are short; each distinct one is scanned once for all header rules' literals.
      const key = t.ifUnset === undefined ? t.spec : `${t.spec}\u0000${t.ifUnset}`;
      let hits = headerHits.get(key);
      if (!hits) headerHits.set(key, (hits = literalHits(plan.prefilter, 'header', [ctx.header(t.request, t.spec) ?? t.ifUnset ?? ''])));
      if (candidateLines(needs, hits).length === 0) {
        if (t.negate) record(rule, 1); // `!~` with nothing that could match: a hit
        continue;
      }
    } else if (needs) {
      const area = rule.area as PrefilterArea;
      let hits = found.get(area);
      if (!hits) found.set(area, (hits = literalHits(plan.prefilter, area, areaTexts(area, ctx))));
      only = candidateLines(needs, hits);
      if (only.length === 0) continue;
    }
    record(rule, runRule(rule, ctx, only));
  }
  for (const rule of plan.metas[which] ?? []) {
    const fn = plan.metaFns.get(rule);
    const v = fn ? fn(values) : runRule(rule, ctx);
    record(rule, v > 0 ? 1 : 0);
  }

  const byName = plan.byName;
  const hits: RuleHit[] = [];
  let score = 0;
  for (const name of order) {
    const rule = byName.get(name)!;
    if (rule.subrule || rule.scores[set] === 0) continue;
    const s = rule.scores[set];
    score += s;
    hits.push({ name, score: s, describe: rule.describe, area: rule.area, count: ctx.count(name) });
  }
  score = Math.round(score * 1000) / 1000;
  const required = rs.settings.requiredScore;
  return {
    score,
    required,
    isSpam: score >= required,
    hits,
    tests: hits.map((h) => h.name).sort(),
    counts: ctx.counts,
    scoreSet: set,
    timedOut,
    ms: performance.now() - started,
  };
}
