/**
 * ConfigDraft -> RuleSet: expand ReplaceTags, translate Perl regexes, bind eval
 * functions, parse metas, apply scores/tflags/priorities, and collect lint.
 * A rule that cannot be compiled is disabled with its reason; the rest run.
 */
import type { RuleDirective, ConfigDraft, LintMessage, RuleDraft, SourcePos } from './draft';
import { parseEvalCall } from './eval-call';
import { parseMetaExpr } from './meta-expr';
import { optList, optNumber, type OptionValues } from '../options/option-values';
import { parsePerlRegexLiteral, translatePerlRegex } from '../regex/perl-regex';
import { regexBound, type RegexBound } from './regex-bounds';
import { captureNames, fillTemplate, PROBE_VALUE, templateTags } from '../regex/capture-tags';
import { expandReplaceTags } from './replace-tags';
import { asciiOf } from '../engine/ascii-form-memo';
import { orderMetas } from '../engine/meta';
import type { CompiledRuleSet } from '../engine/scanner';
import { TIME_LIMIT_RULE, type CompiledRule, type CompiledTest, type RuleArea, type RuleTemplate } from '../engine/types';
import type * as AskdnsModule from '../eval/askdns';
import { EVAL_REGISTRY } from '../eval/index';
import type { EvalRegistry, InactiveReason } from '../eval/registry';
import { parseHeaderRequest } from '../message/header-access';
import type { ParseOptions } from '../message/parse';
import { NetSet } from '../util/cidr';
import { lazy } from '../util/lazy';

// Only compiling an `askdns` line needs it (its parser brings DNS code a cached rule set does without).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const askdns = lazy(() => require('../eval/askdns') as typeof AskdnsModule);

/** Why a defined rule does not run. `needs` marks rules that need something hamlet runs elsewhere or not at all. */
export interface DisabledRule {
  readonly name: string;
  readonly at: SourcePos;
  readonly reason: string;
  readonly needs: InactiveReason | 'dns-rule' | undefined;
  /** The rule's type (undefined for DNS rule types); auto-learn weighs metas by their dependencies' types. */
  readonly area?: RuleArea;
}

/** A compiled, immutable configuration: what scans run with. */
export interface RuleSet {
  readonly compiled: CompiledRuleSet;
  /** How messages are parsed for this rule set (networks, TLD lists, scan sizes, redirectors). */
  readonly parseOptions: ParseOptions;
  readonly options: OptionValues;
  readonly disabled: readonly DisabledRule[];
  readonly lint: readonly LintMessage[];
  /** Rules whose regexes run under the scanner's time budget (`--lint` reports them). */
  readonly guarded: readonly GuardedRule[];
  /** Files read, in order. */
  readonly files: readonly string[];
}

// An askdns rule reads no part of the message: as 'full' it counts for neither side of auto-learn's points.
const AREA_OF: Record<RuleDirective, RuleArea> = {
  header: 'header', body: 'body', rawbody: 'rawbody', full: 'full', uri: 'uri', meta: 'meta', mimeheader: 'mimeheader', askdns: 'full',
};

const HEADER_RULE = /^(\S+)\s*([=!]~)\s*(\S.*?\S)(?:\s*\[if-unset:\s(.+)\])?$/s;

/** A compiled test, with what its regex captures and the template it is built from (rule captures). */
type Compiled = { test: CompiledTest; captures?: readonly string[]; template?: RuleTemplate } | { reason: string; needs?: DisabledRule['needs'] };

/** SpamAssassin runs rules that capture tags at this priority, before the rules reading the tags. */
const CAPTURE_PRIORITY = -10000;

interface Ctx {
  readonly registry: EvalRegistry;
  readonly lint: LintMessage[];
  readonly guarded: GuardedRule[];
}

/** A rule whose regex is not known to run in bounded time: the scanner runs it under a time budget. */
export interface GuardedRule {
  readonly name: string;
  readonly at: SourcePos;
  readonly re: RegExp;
  /** What the checked-in ReDoS analysis said (undefined: the pattern was not analysed). */
  readonly bound: RegexBound | undefined;
}

/** A translated rule regex, and whether it needs a runtime bound. */
interface RuleRegex {
  readonly re: RegExp;
  readonly guarded: boolean;
  readonly captures?: readonly string[];
  readonly template?: RuleTemplate;
}

/** How a rule's regexes are used: `matchOnly` (not `tflags multiple`), `asciiToo` (body, rawbody, uri, header, mimeheader: the scanner also runs its ASCII form, engine/ascii-form-memo.ts). */
interface RegexUse {
  readonly matchOnly: boolean;
  readonly asciiToo: boolean;
}

/**
 * `matchOnly`: the rule only asks whether its regex matches, so the translation may use forms
 * V8's linear engine takes (see translatePerlRegex).
 */
function compileRegex(name: string, literal: string, at: SourcePos, use: RegexUse, ctx: Ctx): RuleRegex | string {
  const lit = parsePerlRegexLiteral(literal);
  if ('error' in lit) return `bad regex: ${lit.error}`;
  // A template is translated and audited with a probe literal in its placeholders: a scan puts
  // other literals there, which changes no construct the bound depends on.
  const tags = templateTags(lit.pattern);
  const pattern = tags.length === 0 ? lit.pattern : fillTemplate(lit.pattern, () => [PROBE_VALUE])!;
  const tr = translatePerlRegex(pattern, lit.flags, use.matchOnly);
  if ('error' in tr) return `untranslatable regex: ${tr.error}`;
  let bound = regexBound(tr.re);
  if (bound === 'safe' && use.asciiToo) {
    // recheck's verdict on a pattern says nothing sure about its pruned ASCII form (seen: safe
    // whole, polynomial pruned); the linear engine takes a pruned form whenever it takes the whole.
    const a = asciiOf(tr.re);
    const ascii = a ? regexBound(a) : 'safe';
    if (ascii !== 'linear-engine') bound = ascii;
  }
  const guarded = bound !== 'linear-engine' && bound !== 'safe';
  if (guarded) ctx.guarded.push({ name, at, re: tr.re, bound });
  const captures = captureNames(lit.pattern);
  return {
    re: tr.re,
    guarded,
    ...(captures.length > 0 && { captures }),
    ...(tags.length > 0 && { template: { pattern: lit.pattern, flags: lit.flags, tags, matchOnly: use.matchOnly } }),
  };
}

/** A regex test's fields, and the rule-capture facts beside them. */
function regexParts(rx: RuleRegex): { fields: { re: RegExp; guarded: boolean }; extra: Pick<RuleRegex, 'captures' | 'template'> } {
  const { re, guarded, captures, template } = rx;
  return { fields: { re, guarded }, extra: { ...(captures && { captures }), ...(template && { template }) } };
}

function compileEval(text: string, area: RuleArea, ctx: Ctx): Compiled {
  const call = parseEvalCall(text);
  if (typeof call === 'string') return { reason: call };
  const def = ctx.registry.active.get(call.name);
  if (def) {
    if (!def.areas.includes(area)) return { reason: `eval ${call.name} cannot be used in a ${area} rule` };
    const bad = def.validate?.(call.args);
    if (bad !== undefined) return { reason: `eval ${call.name}: ${bad}` };
    return { test: { type: 'eval', fn: def.fn, fnName: call.name, args: call.args, ...(def.net && { net: def.net }) } };
  }
  const why = ctx.registry.inactive.get(call.name);
  if (why) return { reason: `eval ${call.name} needs ${why} (not active)`, needs: why };
  return { reason: `unknown eval function ${call.name}` };
}

/** An askdns rule: the network eval `ASKDNS_EVAL` with the query, type and filter as arguments. */
function compileAskdns(text: string, ctx: Ctx): Compiled {
  const { ASKDNS_EVAL, askdnsArgs } = askdns();
  const def = ctx.registry.active.get(ASKDNS_EVAL);
  if (!def) return { reason: 'askdns rules are not available', needs: 'dns-rule' };
  const args = askdnsArgs(text);
  if ('error' in args) return { reason: `bad askdns rule: ${args.error}` };
  return { test: { type: 'eval', fn: def.fn, fnName: ASKDNS_EVAL, args, ...(def.net && { net: def.net }) } };
}

function compileTest(rule: RuleDraft, text: string, matchOnly: boolean, ctx: Ctx): Compiled {
  const use: RegexUse = { matchOnly, asciiToo: ['body', 'rawbody', 'uri', 'header', 'mimeheader'].includes(rule.directive) };
  if (rule.directive === 'askdns') return compileAskdns(text, ctx);
  const area = AREA_OF[rule.directive];
  if (area === 'meta') {
    const m = parseMetaExpr(text);
    if (typeof m === 'string') return { reason: `bad meta expression: ${m}` };
    return { test: { type: 'meta', expr: m.expr, deps: m.deps } };
  }
  if (text.startsWith('eval:')) return compileEval(text, area, ctx);
  if (area === 'header' || area === 'mimeheader') {
    if (area === 'header' && text.startsWith('exists:')) {
      const header = text.slice('exists:'.length).trim();
      const request = /^[^\s:]+$/.test(header) ? parseHeaderRequest(header) : undefined;
      if (!request || 'error' in request) return { reason: `bad exists: header name '${header}'` };
      return { test: { type: 'exists', header, request, cacheKey: `exists:${header}` } };
    }
    const m = HEADER_RULE.exec(text);
    if (!m) return { reason: `cannot parse ${area} rule '${text}'` };
    const request = parseHeaderRequest(m[1]!);
    if ('error' in request) return { reason: request.error };
    const rx = compileRegex(rule.name, m[3]!, rule.at, use, ctx);
    if (typeof rx === 'string') return { reason: rx };
    const negate = m[2] === '!~';
    const { fields, extra } = regexParts(rx);
    // SpamAssassin captures in header, body, rawbody, full and uri rules (not mimeheader).
    if (area === 'mimeheader') return { test: { type: 'mimeheader', spec: m[1]!, request, negate, ...fields } };
    return { test: { type: 'header', spec: m[1]!, request, negate, ...fields, ifUnset: m[4] }, ...extra };
  }
  const rx = compileRegex(rule.name, text, rule.at, use, ctx);
  if (typeof rx === 'string') return { reason: rx };
  const { fields, extra } = regexParts(rx);
  return { test: { type: 'regex', ...fields }, ...extra };
}

function parseTflags(s: string | undefined): { flags: Set<string>; maxHits: number } {
  const flags = new Set<string>();
  let maxHits = 0;
  for (const f of (s ?? '').split(/\s+/)) {
    if (f === '') continue;
    const mh = /^maxhits=(\d+)$/.exec(f);
    if (mh) {
      maxHits = Number(mh[1]);
      flags.add('multiple'); // maxhits implies counting
    } else flags.add(f);
  }
  return { flags, maxHits };
}

/** SpamAssassin's default score for a rule with no `score` line. */
function defaultScore(name: string, flags: ReadonlySet<string>): number {
  const s = name.startsWith('T_') ? 0.01 : 1.0;
  return flags.has('nice') ? -s : s;
}

function netSet(o: OptionValues, name: string, lint: LintMessage[]): NetSet | undefined {
  const entries = optList(o, name);
  if (entries.length === 0) return undefined;
  const set = new NetSet();
  for (const e of entries) {
    const err = set.add(e);
    if (err) lint.push({ level: 'error', at: undefined, text: `config: ${name}: ${err}` });
  }
  return set;
}

function lowerSet(o: OptionValues, name: string): ReadonlySet<string> | undefined {
  const l = optList(o, name);
  return l.length === 0 ? undefined : new Set(l.map((x) => x.toLowerCase()));
}

/** The `redirector_pattern`s as JavaScript regexes; problems go to `lint`. */
function translateRedirectors(o: OptionValues, lint: LintMessage[]): RegExp[] {
  const redirectors: RegExp[] = [];
  for (const p of optList(o, 'redirector_pattern')) {
    const lit = parsePerlRegexLiteral(p);
    const tr = 'error' in lit ? lit : translatePerlRegex(lit.pattern, lit.flags);
    if ('error' in tr) lint.push({ level: 'error', at: undefined, text: `config: redirector_pattern ${p}: ${tr.error}` });
    else redirectors.push(tr.re);
  }
  return redirectors;
}

/**
 * How messages are parsed under these options; problems go to `lint`. (A cached rule set rebuilds
 * this: it holds classes; it brings the `redirectors` translated before.)
 */
export function parseOptionsFor(o: OptionValues, lint: LintMessage[], redirectors: readonly RegExp[] = translateRedirectors(o, lint)): ParseOptions {
  const trusted = netSet(o, 'trusted_networks', lint);
  return {
    bodyPartScanSize: optNumber(o, 'body_part_scan_size', 50000),
    rawbodyPartScanSize: optNumber(o, 'rawbody_part_scan_size', 500000),
    relays: {
      trusted,
      internal: netSet(o, 'internal_networks', lint),
      msa: netSet(o, 'msa_networks', lint),
      originatingIpHeaders: optList(o, 'originating_ip_headers').flatMap((l) => l.split(/\s+/)).filter((x) => x !== ''),
    },
    domains: { validTlds: lowerSet(o, 'util_rb_tld'), twoLevel: lowerSet(o, 'util_rb_2tld'), threeLevel: lowerSet(o, 'util_rb_3tld') },
    redirectors,
  };
}

/** A `%{NAME}` that no rule captures: its rule can never match. */
function lintCaptureTags(rules: readonly CompiledRule[], draft: ConfigDraft, lint: LintMessage[]): void {
  const captured = new Set(rules.flatMap((r) => r.captures ?? []));
  for (const r of rules) {
    for (const tag of r.template?.tags ?? []) {
      if (!captured.has(tag)) lint.push({ level: 'warn', at: draft.rules.get(r.name)?.at, text: `rule ${r.name}: no rule captures tag %{${tag}}: the rule cannot match` });
    }
  }
}

/** Compile a parsed configuration into a rule set. */
export function compileDraft(draft: ConfigDraft, registry: EvalRegistry = EVAL_REGISTRY): RuleSet {
  const lint = [...draft.lint];
  const ctx: Ctx = { registry, lint, guarded: [] };
  const options: OptionValues = Object.fromEntries(draft.options);
  const rules: CompiledRule[] = [];
  const metas: (CompiledRule & { deps: readonly string[] })[] = [];
  const disabled: DisabledRule[] = [];
  const replaceOn = draft.plugins.has('Mail::SpamAssassin::Plugin::ReplaceTags');

  for (const r of draft.rules.values()) {
    let text = r.text;
    if (replaceOn && draft.replace.rules.has(r.name)) {
      const x = expandReplaceTags(text, draft.replace);
      for (const u of x.unknown) lint.push({ level: 'warn', at: r.at, text: `rule ${r.name}: unknown replace tag '${u}'` });
      text = x.pattern;
    }
    const { flags, maxHits } = parseTflags(draft.tflags.get(r.name));
    // `multiple` rules count matches with lastIndex: their regexes keep exact match extents.
    const c = compileTest(r, text, !flags.has('multiple'), ctx);
    if ('reason' in c) {
      disabled.push({ name: r.name, at: r.at, reason: c.reason, needs: c.needs, area: AREA_OF[r.directive] });
      continue;
    }
    const given = draft.scores.get(r.name);
    const d = defaultScore(r.name, flags);
    const scores = (given ?? [d, d, d, d]) as unknown as [number, number, number, number];
    const rule: CompiledRule = {
      name: r.name,
      area: AREA_OF[r.directive],
      test: c.test,
      scores: [scores[0], scores[1], scores[2], scores[3]],
      describe: draft.describes.get(r.name) ?? '',
      priority: c.captures ? CAPTURE_PRIORITY : (draft.priorities.get(r.name) ?? 0),
      multiple: flags.has('multiple'),
      maxHits,
      tflags: flags,
      subrule: r.name.startsWith('__'),
      ...(c.captures && { captures: c.captures }),
      ...(c.template && { template: c.template }),
    };
    if (c.test.type === 'meta') metas.push({ ...rule, deps: c.test.deps });
    else rules.push(rule);
  }

  // Metas: dependencies that are not defined count as 0 (lint says so once per meta).
  const defined = new Set<string>([...rules.map((r) => r.name), ...metas.map((m) => m.name)]);
  const disabledNames = new Set(disabled.map((d) => d.name));
  for (const m of metas) {
    const missing = m.deps.filter((d) => !defined.has(d) && !disabledNames.has(d));
    if (missing.length > 0) lint.push({ level: 'info', at: draft.rules.get(m.name)?.at, text: `meta ${m.name} depends on undefined rule(s) ${missing.join(', ')}` });
  }
  const { ordered, cyclic } = orderMetas(metas);
  for (const c of cyclic) lint.push({ level: 'error', at: draft.rules.get(c)?.at, text: `meta ${c} is part of a dependency cycle` });
  const metaDeps = new Set<string>();
  for (const m of metas) for (const d of m.deps) metaDeps.add(d);

  lintCaptureTags(rules, draft, lint);
  rules.sort((a, b) => a.priority - b.priority);
  const compiled: CompiledRuleSet = {
    rules,
    metas: ordered,
    metaDeps,
    settings: {
      requiredScore: optNumber(options, 'required_score', 5),
      timeLimit: optNumber(options, 'time_limit', 300),
      timeLimitRule: { scores: draft.scores.get(TIME_LIMIT_RULE), describe: draft.describes.get(TIME_LIMIT_RULE) },
      options,
    },
  };
  return { compiled, parseOptions: parseOptionsFor(options, lint), options, disabled, lint, guarded: ctx.guarded, files: draft.files };
}
