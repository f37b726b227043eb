/**
 * A compiled rule set as bytes and back, for the rule-set cache. V8's serializer keeps
 * RegExps, Maps, Sets, typed arrays and shared references as they are, and reading them back
 * creates RegExp objects without compiling them (V8 compiles a regex on its first run), so a
 * one-shot scan compiles only the regexes it runs. What it cannot carry is rebuilt on load:
 * eval functions (stored by name, bound again from the registry) and the parse options (they
 * hold classes; rebuilt from the options, which is cheap). The literal prefilter's analysis
 * (each rule's required literals, the Aho-Corasick tables), the costly part of a scan plan,
 * travels with the rules, and so do the ASCII forms of line rules' regexes (ascii-form-memo.ts).
 * Rule regexes travel as text and are created on first use (lazy-regex.ts).
 */
import { deserialize, serialize } from 'node:v8';
import { parseOptionsFor, type GuardedRule, type RuleSet } from './compile';
import type { LintMessage } from './draft';
import { defineLazyRegex, regexCell, storedRegex, type StoredRegex } from './lazy-regex';
import { asciiSourceOf, knowAsciiForm, knowAsciiFormOf } from '../engine/ascii-form-memo';
import { knowPrefilter, prefilterData, type PrefilterData } from '../engine/prefilter';
import type { CompiledRule, CompiledTest } from '../engine/types';
import type { EvalRegistry } from '../eval/registry';

/** What is stored: the rule set without its parse options, eval functions by name only. */
interface Payload {
  /** The rule set, without its metas. */
  readonly set: Omit<RuleSet, 'parseOptions'>;
  /**
   * The metas as JSON (`tflags` as a list): plain trees of small objects, which JSON.parse
   * builds about twice as fast as V8's deserializer.
   */
  readonly metas: string;
  /** The prefilter of `set.compiled.rules`. */
  readonly prefilter: PrefilterData;
  /** Each rule's regex's ASCII form source (null: none; undefined: not a line rule), aligned with the rules. */
  readonly ascii: readonly (string | null | undefined)[];
  /** Each rule's regex (null: its test has none), aligned with the rules; the stored tests have no `re`. */
  readonly regexes: readonly (StoredRegex | null)[];
  /** Each guarded rule's regex: the index of the rule holding the same RegExp, or its own pattern. */
  readonly guarded: readonly (number | StoredRegex)[];
  /** The parse options' redirector patterns, translated (translating them cost ~7 ms of a load). */
  readonly redirectors: readonly StoredRegex[];
}

type EvalTest = Extract<CompiledTest, { type: 'eval' }>;

type RegexTest = Extract<CompiledTest, { re: RegExp }>;

const hasRegex = (t: CompiledTest): t is RegexTest => t.type === 'regex' || t.type === 'header' || t.type === 'mimeheader';

/** The rule without its eval function and network hooks (which cannot be serialized), nor its regex (stored apart). */
function storable(r: CompiledRule): CompiledRule {
  const t = r.test;
  if (hasRegex(t)) {
    const { re: _re, ...rest } = t;
    return { ...r, test: rest as RegexTest };
  }
  if (t.type !== 'eval') return r;
  const { fnName, args } = t;
  return { ...r, test: { type: 'eval', fnName, args } as unknown as EvalTest };
}

const LINE_AREAS: ReadonlySet<string> = new Set(['body', 'rawbody', 'uri']);

/** A rule set as bytes. Builds the prefilter and ASCII forms first (scans of `rs` reuse them). */
export function encodeRuleSet(rs: RuleSet): Buffer {
  const { parseOptions: _omit, ...rest } = rs;
  const c = rs.compiled;
  const prefilter = prefilterData(c.rules);
  const ascii = c.rules.map((r) => (r.test.type === 'regex' && LINE_AREAS.has(r.area) ? asciiSourceOf(r.test.re) : undefined));
  const metas = JSON.stringify(c.metas, (_k, v: unknown) => (v instanceof Set ? [...(v as Set<unknown>)] : v));
  const regexes = c.rules.map((r) => (hasRegex(r.test) ? storedRegex(r.test.re) : null));
  const ruleOf = new Map<RegExp, number>();
  c.rules.forEach((r, i) => hasRegex(r.test) && ruleOf.set(r.test.re, i));
  const guarded = rs.guarded.map((g) => ruleOf.get(g.re) ?? storedRegex(g.re));
  const set = { ...rest, compiled: { ...c, rules: c.rules.map(storable), metas: [] }, guarded: rs.guarded.map(({ re: _re, ...g }) => g as GuardedRule) };
  const redirectors = rs.parseOptions.redirectors?.map(storedRegex) ?? [];
  return serialize({ set, metas, prefilter, ascii, regexes, guarded, redirectors } satisfies Payload);
}

/** Bind a stored eval test to its function (and network hooks) again; false when the registry no longer has it. */
function rebind(r: CompiledRule, registry: EvalRegistry): boolean {
  const t = r.test;
  if (t.type !== 'eval') return true;
  const def = registry.active.get(t.fnName);
  if (!def) return false;
  (t as { fn: EvalTest['fn'] }).fn = def.fn;
  if (def.net) (t as { net?: EvalTest['net'] }).net = def.net;
  return true;
}

/** The rule set in `bytes`, or why it cannot be used. */
export function decodeRuleSet(bytes: Buffer, registry: EvalRegistry): RuleSet | string {
  let p: Payload;
  let metas: CompiledRule[];
  try {
    p = deserialize(bytes) as Payload;
    metas = JSON.parse(p.metas) as typeof metas;
  } catch (e) {
    return `unreadable payload (${(e as Error).message})`;
  }
  const c = p.set?.compiled;
  const n = Array.isArray(c?.rules) ? c.rules.length : -1;
  if (!Array.isArray(metas) || p.prefilter?.needs?.length !== n || p.ascii?.length !== n || p.regexes?.length !== n) return 'payload of the wrong shape';
  if (p.guarded?.length !== p.set.guarded?.length || !Array.isArray(p.redirectors)) return 'payload of the wrong shape';
  for (const r of c.rules) if (!rebind(r, registry)) return `eval function of ${r.name} is not registered`;
  for (const m of metas) (m as { tflags: unknown }).tflags = new Set(m.tflags as unknown as string[]);
  knowPrefilter(c.rules, p.prefilter);
  // Each regex, and a line rule's ASCII form, is created on first use; either can be reached without the other.
  const cells = p.regexes.map((stored, i) => {
    if (stored === null) return undefined;
    const a = p.ascii[i];
    if (a === undefined) return { re: regexCell(stored) };
    const ascii = a === null ? (): null => null : regexCell([a, stored[1]]);
    return { re: regexCell(stored, (re) => knowAsciiFormOf(re, ascii)), ascii };
  });
  c.rules.forEach((r, i) => {
    const cell = cells[i];
    if (!cell) return;
    defineLazyRegex(r.test, cell.re);
    if (cell.ascii) knowAsciiForm(r.test, cell.ascii);
  });
  for (let i = 0; i < p.guarded.length; i++) {
    const ref = p.guarded[i]!;
    const cell = typeof ref === 'number' ? cells[ref]?.re : regexCell(ref);
    if (!cell) return 'payload of the wrong shape';
    defineLazyRegex(p.set.guarded[i]!, cell);
  }
  // Lint from the parse options is in the stored lint already.
  const ignored: LintMessage[] = [];
  const redirectors = p.redirectors.map(([source, flags]) => new RegExp(source, flags));
  return { ...p.set, compiled: { ...c, metas }, parseOptions: parseOptionsFor(p.set.options, ignored, redirectors) };
}
