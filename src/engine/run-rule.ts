/**
 * Running one rule on one message: the lines a rule reads (body, rawbody, full, uri, header and
 * mimeheader views, their ASCII forms), how many times its regex matches (`multiple`, `maxhits`),
 * its regex primed on first use, captures filled, and evals called. The scanner decides the order.
 */
import { toByteString } from '../message/charset';
import type { HeaderRequest } from '../message/header-access';
import type { HeaderField, MimePart } from '../message/types';
import { NON_ASCII, type ScanContext } from './context';
import { asciiOfTest } from './ascii-form-memo';
import { evalMeta } from './meta';
import { captureTags, templateRegex } from './captures';
import { chargePlain, plainTally } from './regex-tier-up';
import { compileWhenCreated } from '../regex-flags';
import type { CompiledRule, CompiledTest } from './types';

/** Global twins of non-global regexes, for counting `multiple` matches. */
const globalTwins = new WeakMap<RegExp, RegExp>();
export function globalOf(re: RegExp): RegExp {
  let g = globalTwins.get(re);
  if (!g) {
    g = compileWhenCreated(new RegExp(re.source, re.flags.includes('g') ? re.flags : re.flags + 'g'));
    globalTwins.set(re, g);
  }
  return g;
}

/**
 * Matches of `re` in `s`, at most `cap`: by `re`, or by its optimised twin once `re` (compiled
 * plain at warm-up) has run long enough for one (regex-tier-up.ts). A rule that counts
 * (`counting`: its first cap was above 1) always runs the global twin, even for its last match,
 * so it compiles one regex, not two.
 */
function countMatches(re: RegExp, s: string, cap: number, counting = cap > 1): number {
  const tally = plainTally(re);
  if (tally === undefined) return matchCount(re, s, cap, counting);
  if (tally.fast !== undefined) return matchCount(tally.fast, s, cap, counting);
  const t0 = performance.now();
  const n = matchCount(re, s, cap, counting);
  chargePlain(tally, performance.now() - t0, counting);
  return n;
}

/** countMatches for the regex that runs. */
function matchCount(re: RegExp, s: string, cap: number, counting: boolean): number {
  if (!counting) return re.test(s) ? 1 : 0;
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

/** The lines a line-based rule (body, rawbody, uri) reads, from which line, and which of them are ASCII. */
interface RuleLines {
  readonly lines: readonly string[];
  readonly from: number;
  readonly ascii: Uint8Array;
}

function ruleLines(rule: CompiledRule, ctx: ScanContext): RuleLines | undefined {
  switch (rule.area) {
    case 'body':
      // `tflags nosubject`: skip the Subject line that heads the body text.
      return { lines: ctx.bodyLines(), from: rule.tflags.has('nosubject') ? 1 : 0, ascii: ctx.asciiLines('body') };
    case 'rawbody':
      return { lines: ctx.rawBodyLines(), from: 0, ascii: ctx.asciiLines('rawbody') };
    case 'uri':
      return { lines: ctx.uriLines(), from: 0, ascii: ctx.asciiLines('uri') };
    default:
      return undefined;
  }
}

type RegexTest = Extract<CompiledTest, { type: 'regex' }>;
type HeaderTest = Extract<CompiledTest, { type: 'header' | 'mimeheader' }>;

/**
 * The regex a header or mimeheader rule runs on `value`: its ASCII form when the value has no
 * character beyond ASCII (the same answers; the look-alike rules' whole forms are large to
 * compile), else the whole regex. A template rule's regex is built per scan: always whole.
 */
function headerForm(rule: CompiledRule, t: HeaderTest, value: string): RegExp {
  if (rule.template !== undefined || NON_ASCII.test(value)) return t.re;
  return asciiOfTest(t) ?? t.re;
}

/** Which forms of a line rule's regex its run will use: the ASCII form on ASCII lines, the whole one on the rest. */
function formsUsed(t: RegexTest, at: RuleLines, only: readonly number[] | undefined): RegExp[] {
  const a = asciiOfTest(t);
  if (a === null) return [t.re];
  let ascii = false;
  let other = false;
  const see = (i: number): void => {
    if (at.ascii[i] === 1) ascii = true;
    else other = true;
  };
  if (only) {
    for (const i of only) if (i >= at.from) see(i);
  } else for (let i = at.from; i < at.lines.length && !(ascii && other); i++) see(i);
  return [...(ascii ? [a] : []), ...(other ? [t.re] : [])];
}

/**
 * Compile the regexes a guarded rule is about to run (V8 compiles a regex on its first run)
 * before it runs under the watchdog: compiling is bounded work, but in a one-shot run on a loaded
 * host it can take longer than a guarded rule's whole budget, which is meant for matching only.
 * Only the forms this run uses are compiled: the big obfuscation rules' whole forms cost tens of
 * milliseconds each to compile and an ASCII message never runs them.
 */
const primed = new WeakSet<RegExp>();
export function primeRegexes(rule: CompiledRule, ctx: ScanContext, only: readonly number[] | undefined): void {
  const t = rule.test;
  if (t.type !== 'header' && t.type !== 'mimeheader' && t.type !== 'regex') return;
  const at = t.type === 'regex' ? ruleLines(rule, ctx) : undefined;
  // What countMatches runs: the global twin when the rule counts (a negated header rule never does).
  const counting = matchCap(rule) > 1 && !(t.type !== 'regex' && t.negate);
  let forms: RegExp[];
  if (t.type === 'regex') forms = at ? formsUsed(t, at, only) : [t.re];
  else forms = [...new Set(headerValues(t, ctx).map((v) => headerForm(rule, t, v)))];
  for (const form of forms) {
    const re = counting ? globalOf(form) : form;
    if (primed.has(re)) continue;
    primed.add(re);
    // Twice: without --no-regexp-tier-up, V8 interprets the first run and compiles on the second.
    for (let k = 0; k < 2; k++) {
      re.lastIndex = 0;
      re.test('');
    }
    re.lastIndex = 0;
  }
}

/**
 * Matches of `t`'s regex over `lines` (or only the listed line numbers), skipping lines before
 * `from`. Lines without bytes >= 0x80 (`ascii`) are matched with the ASCII form; the whole
 * regex is only read (and, from the rule-set cache, created) for the others.
 */
function matchLines(t: RegexTest, lines: readonly string[], cap: number, from: number, only: readonly number[] | undefined, ascii: Uint8Array): number {
  const a = asciiOfTest(t);
  let whole: RegExp | undefined;
  const counting = cap > 1;
  let n = 0;
  const one = (i: number): void => {
    n += countMatches(a !== null && ascii[i] === 1 ? a : (whole ??= t.re), lines[i]!, cap - n, counting);
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
function mimeHeaderValues(part: MimePart, req: HeaderRequest, key: string, out: string[]): string[] {
  let last: HeaderField | undefined;
  for (const f of part.headers) if (f.key === key) last = f;
  if (last) out.push(req.raw ? last.raw.replace(/^[ \t]+/, '') : toByteString(last.value) + '\n');
  for (const c of part.children) mimeHeaderValues(c, req, key, out);
  return out;
}

/** A `mimeheader` spec's values, collected once per message (several rules read each spec). */
function mimeHeaderList(ctx: ScanContext, spec: string, req: HeaderRequest): readonly string[] {
  return ctx.memo(`mimeheader:${spec}`, () => mimeHeaderValues(ctx.msg.root, req, req.name.toLowerCase(), []));
}

/** How many matches a rule counts: 1, or with `tflags multiple` its `maxhits` (0: no bound). */
function matchCap(rule: CompiledRule): number {
  return rule.multiple ? (rule.maxHits > 0 ? rule.maxHits : Number.MAX_SAFE_INTEGER) : 1;
}

/**
 * Run one non-meta rule (a line-based one only on the `only` lines when given); returns its hit
 * count. A template rule runs its regex built from the scan's capture tags (no hit when a tag has
 * no value); a capturing rule that hits sets its tags.
 */
export function runRule(rule: CompiledRule, ctx: ScanContext, only?: readonly number[]): number {
  if (rule.template === undefined && rule.captures === undefined) return runTest(rule, rule.test, ctx, only);
  let t = rule.test;
  if (rule.template && (t.type === 'regex' || t.type === 'header')) {
    const re = templateRegex(rule.template, ctx);
    if (!re) return 0;
    t = { ...t, re };
  }
  const n = runTest(rule, t, ctx, only);
  if (n > 0 && rule.captures) {
    if (t.type === 'header' && !t.negate) captureTags(rule, t.re, [ctx.ruleHeader(t.request, t.spec) ?? t.ifUnset ?? ''], matchCap(rule), ctx);
    else if (t.type === 'regex') captureTags(rule, t.re, captureSubjects(rule, ctx), matchCap(rule), ctx);
  }
  return n;
}

/** What a capturing regex rule read: the full text, or its lines. */
function captureSubjects(rule: CompiledRule, ctx: ScanContext): readonly string[] {
  if (rule.area === 'full') return [ctx.msg.fullText];
  const at = ruleLines(rule, ctx);
  return at ? at.lines.slice(at.from) : [];
}

/** The values a header or mimeheader rule matches. */
function headerValues(t: HeaderTest, ctx: ScanContext): readonly string[] {
  return t.type === 'header' ? [ctx.ruleHeader(t.request, t.spec) ?? t.ifUnset ?? ''] : mimeHeaderList(ctx, t.spec, t.request);
}

function runTest(rule: CompiledRule, t: CompiledTest, ctx: ScanContext, only?: readonly number[]): number {
  const cap = matchCap(rule);
  switch (t.type) {
    case 'header': {
      const v = ctx.ruleHeader(t.request, t.spec) ?? t.ifUnset ?? '';
      const n = countMatches(headerForm(rule, t, v), v, t.negate ? 1 : cap);
      return t.negate ? (n === 0 ? 1 : 0) : n;
    }
    case 'mimeheader': {
      let n = 0;
      const counting = !t.negate && cap > 1;
      for (const v of mimeHeaderList(ctx, t.spec, t.request)) {
        n += countMatches(headerForm(rule, t, v), v, t.negate ? 1 : cap - n, counting);
        if (n >= cap || (t.negate && n > 0)) break;
      }
      return t.negate ? (n === 0 ? 1 : 0) : n;
    }
    case 'exists':
      // Pseudo-headers (ToCc, MESSAGEID, EnvelopeFrom, X-Spam-Relays-*) exist when they yield a value.
      return ctx.header(t.request, t.cacheKey) !== undefined ? 1 : 0;
    case 'regex': {
      if (rule.area === 'full') return countMatches(t.re, ctx.msg.fullText, cap);
      const at = ruleLines(rule, ctx);
      return at ? matchLines(t, at.lines, cap, at.from, only, at.ascii) : 0;
    }
    case 'eval': {
      try {
        const r = t.fn(ctx, t.args, rule.area);
        return typeof r === 'number' ? r : r ? 1 : 0;
      } catch (e) {
        // A failing eval fails only its own rule; the failure is kept for `-D rules`.
        const failures = (ctx.evalFailures ??= new Map());
        if (!failures.has(rule.name)) failures.set(rule.name, { rule: rule.name, fn: t.fnName, message: e instanceof Error ? e.message : String(e) });
        return 0;
      }
    }
    case 'meta':
      return evalMeta(t.expr, (n) => ctx.count(n));
  }
}
