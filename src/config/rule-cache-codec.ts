/**
 * A compiled rule set as bytes and back, for the rule-set cache. V8's serializer keeps
 * RegExps, Maps, Sets, typed arrays and shared references as they are, and reading them back
 * creates RegExp objects without compiling them (V8 compiles a regex on its first run), so a
 * one-shot scan compiles only the regexes it runs. What it cannot carry is rebuilt on load:
 * eval functions (stored by name, bound again from the registry) and the parse options (they
 * hold classes; rebuilt from the options, which is cheap). The literal prefilter's analysis
 * (each rule's required literals, the Aho-Corasick tables), the costly part of a scan plan,
 * travels with the rules, and so do the ASCII forms of line and header rules' regexes (ascii-form-memo.ts).
 *
 * Rule regexes are created on first use (lazy-regex.ts), and their sources, 1.7 MB of the stock
 * rules' 3.7, are not part of what V8 deserializes: they follow it as UTF-8 bytes, and a regex's
 * source is decoded when the regex is created. `hamlet -t` reaches 470 of 1,740 (330 KB), so
 * the rest is never turned into strings (V8 copied them into the heap, and each scavenge again).
 * The long ones are deflated (DEFLATE_OVER). Bytes: the length of V8's part (uint32 LE), V8's
 * part, the sources.
 */
import { deserialize, serialize } from 'node:v8';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { parseOptionsFor, type GuardedRule, type RuleSet } from './compile';
import type { LintMessage } from './draft';
import { defineLazyRegex, regexCell, regexCellOf, storedRegex, type StoredRegex } from './lazy-regex';
import { asciiSourceOf, knowAsciiForm, knowAsciiFormOf, runsAsciiForm } from '../engine/ascii-form-memo';
import { knowPrefilter, prefilterData, type PrefilterData } from '../engine/prefilter';
import type { CompiledRule, CompiledTest } from '../engine/types';
import { evalFileOf, lazyEvalDef } from '../eval/index';
import { knowNetEval } from '../engine/net-evals';

/** What V8 serializes: the rule set without its parse options, eval functions by name only, regex sources as places in the bytes after it. */
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
  /** Each rule's regex's flags (null: its test has none), aligned with the rules; the stored tests have no `re`. */
  readonly flags: readonly (string | null)[];
  /** Each rule's regex source: its start and end in the sources, two numbers per rule (0, 0 when none). */
  readonly sources: Int32Array;
  /** Each rule's ASCII form source, as `sources`; NO_ASCII when it has none, NOT_LINE when the scanner runs no ASCII form of it (runsAsciiForm). */
  readonly ascii: Int32Array;
  /** Per rule, which of its two sources are stored deflated (SOURCE_DEFLATED, ASCII_DEFLATED bits). */
  readonly deflated: Uint8Array;
  /** Each guarded rule's regex: the index of the rule holding the same RegExp, or its own pattern. */
  readonly guarded: readonly (number | StoredRegex)[];
  /** The parse options' redirector patterns, translated (translating them cost ~7 ms of a load). */
  readonly redirectors: readonly StoredRegex[];
}

/** `Payload.ascii` starts for a rule without an ASCII form, and for one whose ASCII form is never run. */
const NO_ASCII = -1;
const NOT_LINE = -2;

type EvalTest = Extract<CompiledTest, { type: 'eval' }>;

type RegexTest = Extract<CompiledTest, { re: RegExp }>;

const hasRegex = (t: CompiledTest): t is RegexTest => t.type === 'regex' || t.type === 'header' || t.type === 'mimeheader';

/**
 * An eval test as stored: its function by name and the area file that defines it (the decoder
 * loads that file when the eval first runs), and of its network hooks only the label.
 */
interface StoredEvalTest {
  readonly type: 'eval';
  readonly fnName: string;
  readonly args: EvalTest['args'];
  readonly file: string;
  readonly net?: { readonly label?: string };
}

/** The rule without its eval function and network hooks (which cannot be serialized), nor its regex (stored apart). */
function storable(r: CompiledRule): CompiledRule {
  const t = r.test;
  if (hasRegex(t)) {
    const { re: _re, ...rest } = t;
    return { ...r, test: rest as RegexTest };
  }
  if (t.type !== 'eval') return r;
  const { fnName, args, net } = t;
  const file = evalFileOf(fnName);
  if (file === undefined) throw new Error(`eval function of ${r.name} is not registered`);
  const stored: StoredEvalTest = { type: 'eval', fnName, args, file, ...(net && { net: net.label === undefined ? {} : { label: net.label } }) };
  return { ...r, test: stored as unknown as EvalTest };
}

/**
 * Sources longer than this many bytes are stored deflated: the look-alike patterns (FUZZY_*,
 * __MY_MALWARE: 79 sources, 1.29 MB) shrink eightfold, and a run inflates the few it reaches
 * (inflating all 79 takes ~12 ms) instead of reading and checksumming 1.1 MB more each start.
 */
const DEFLATE_OVER = 4096;

/** Sources laid end to end as UTF-8, the long ones deflated: `add` notes where a source starts and ends, and whether it is deflated. */
class SourceText {
  private readonly parts: Buffer[] = [];
  private end = 0;

  add(source: string, at: Int32Array, i: number, deflated: Uint8Array, bit: number): void {
    let bytes = Buffer.from(source, 'utf8');
    if (bytes.length > DEFLATE_OVER) {
      bytes = deflateRawSync(bytes);
      deflated[i] = deflated[i]! | bit;
    }
    at[2 * i] = this.end;
    this.end += bytes.length;
    at[2 * i + 1] = this.end;
    this.parts.push(bytes);
  }

  bytes(): Buffer {
    return Buffer.concat(this.parts);
  }
}

/** `Payload.deflated` bits: the rule's regex source, its ASCII form's source. */
const SOURCE_DEFLATED = 1;
const ASCII_DEFLATED = 2;

/** A rule set as bytes. Builds the prefilter and ASCII forms first (scans of `rs` reuse them). */
export function encodeRuleSet(rs: RuleSet): Buffer {
  const { parseOptions: _omit, ...rest } = rs;
  const c = rs.compiled;
  const prefilter = prefilterData(c.rules);
  // A meta's `deps` is its test's (the same array): stored once, linked again on load.
  const metas = JSON.stringify(c.metas.map((m) => ('deps' in m && m.deps === (m.test as { deps?: unknown }).deps ? { ...m, deps: undefined } : m)), (_k, v: unknown) => (v instanceof Set ? [...(v as Set<unknown>)] : v));
  const text = new SourceText();
  const sources = new Int32Array(2 * c.rules.length);
  const ascii = new Int32Array(2 * c.rules.length);
  const deflated = new Uint8Array(c.rules.length);
  const flags = c.rules.map((r, i) => {
    const t = r.test;
    const a = runsAsciiForm(r) && hasRegex(t) ? asciiSourceOf(t.re) : undefined;
    if (a === undefined || a === null) ascii.fill(a === null ? NO_ASCII : NOT_LINE, 2 * i, 2 * i + 2);
    else text.add(a, ascii, i, deflated, ASCII_DEFLATED);
    if (!hasRegex(t)) return null;
    text.add(t.re.source, sources, i, deflated, SOURCE_DEFLATED);
    return t.re.flags;
  });
  const ruleOf = new Map<RegExp, number>();
  c.rules.forEach((r, i) => hasRegex(r.test) && ruleOf.set(r.test.re, i));
  const guarded = rs.guarded.map((g) => ruleOf.get(g.re) ?? storedRegex(g.re));
  const set = { ...rest, compiled: { ...c, rules: c.rules.map(storable), metas: [] }, guarded: rs.guarded.map(({ re: _re, ...g }) => g as GuardedRule) };
  const redirectors = rs.parseOptions.redirectors?.map(storedRegex) ?? [];
  const v8Part = serialize({ set, metas, prefilter, flags, sources, ascii, deflated, guarded, redirectors } satisfies Payload);
  const length = Buffer.alloc(4);
  length.writeUInt32LE(v8Part.length);
  return Buffer.concat([length, v8Part, text.bytes()]);
}

/**
 * Bind a stored eval test to its function and network hooks again, each read (and the file that
 * defines them loaded) when first needed; false when there is no such file. Whether it is a
 * network eval is known without loading it (`knowNetEval`): a local run never runs one, so it
 * never loads the network evals' files.
 */
function rebind(r: CompiledRule): boolean {
  const t = r.test as unknown as StoredEvalTest;
  if (t.type !== 'eval') return true;
  const def = lazyEvalDef(t.file, t.fnName);
  if (!def) return false;
  delete (t as { file?: string }).file;
  knowNetEval(t, t.net !== undefined);
  defineOnFirstRead(t, 'fn', () => def().fn);
  if (t.net !== undefined) defineOnFirstRead(t, 'net', () => def().net);
  return true;
}

/** Give `obj` an enumerable `key` whose value `get` gives when first read, a plain property after. */
function defineOnFirstRead(obj: object, key: string, get: () => unknown): void {
  Object.defineProperty(obj, key, {
    get: () => {
      const value = get();
      Object.defineProperty(obj, key, { value, enumerable: true, configurable: true });
      return value;
    },
    enumerable: true,
    configurable: true,
  });
}

/** Whether every span of `at` (start, end pairs; negative starts are markers) lies in `size` bytes. */
function spansWithin(at: Int32Array, size: number): boolean {
  for (let i = 0; i < at.length; i += 2) {
    const start = at[i]!;
    if (start < 0 ? at[i + 1] !== start : start > at[i + 1]! || at[i + 1]! > size) return false;
  }
  return true;
}

/** The V8 part of `bytes` and the sources after it; a string when the framing is wrong. */
function splitPayload(bytes: Buffer): { payload: Payload; text: Buffer } | string {
  if (bytes.length < 4 || 4 + bytes.readUInt32LE(0) > bytes.length) return 'payload of the wrong shape';
  const end = 4 + bytes.readUInt32LE(0);
  return { payload: deserialize(bytes.subarray(4, end)) as Payload, text: bytes.subarray(end) };
}

/** The rule set in `bytes`, or why it cannot be used. */
export function decodeRuleSet(bytes: Buffer): RuleSet | string {
  let p: Payload;
  let text: Buffer;
  let metas: CompiledRule[];
  try {
    const split = splitPayload(bytes);
    if (typeof split === 'string') return split;
    ({ payload: p, text } = split);
    metas = JSON.parse(p.metas) as typeof metas;
  } catch (e) {
    return `unreadable payload (${(e as Error).message})`;
  }
  const c = p.set?.compiled;
  const n = Array.isArray(c?.rules) ? c.rules.length : -1;
  if (!Array.isArray(metas) || p.prefilter?.needs?.length !== n || p.flags?.length !== n) return 'payload of the wrong shape';
  if (!(p.sources instanceof Int32Array) || !(p.ascii instanceof Int32Array) || p.sources.length !== 2 * n || p.ascii.length !== 2 * n) return 'payload of the wrong shape';
  if (!(p.deflated instanceof Uint8Array) || p.deflated.length !== n) return 'payload of the wrong shape';
  if (!spansWithin(p.sources, text.length) || !spansWithin(p.ascii, text.length)) return 'payload of the wrong shape';
  if (p.guarded?.length !== p.set.guarded?.length || !Array.isArray(p.redirectors)) return 'payload of the wrong shape';
  for (const r of c.rules) if (!rebind(r)) return `eval function of ${r.name} is not registered`;
  for (const m of metas) {
    (m as { tflags: unknown }).tflags = new Set(m.tflags as unknown as string[]);
    if (!('deps' in m) && m.test.type === 'meta') (m as { deps?: readonly string[] }).deps = m.test.deps;
  }
  knowPrefilter(c.rules, p.prefilter);
  const source = (at: Int32Array, i: number, bit: number) => (): string => {
    const bytes = text.subarray(at[2 * i], at[2 * i + 1]);
    return ((p.deflated[i]! & bit) !== 0 ? inflateRawSync(bytes) : bytes).toString('utf8');
  };
  // Each regex, and a line or header rule's ASCII form, is created on first use; either can be reached without the other.
  const cells = p.flags.map((flags, i) => {
    if (flags === null) return undefined;
    const re = source(p.sources, i, SOURCE_DEFLATED);
    const a = p.ascii[2 * i]!;
    if (a === NOT_LINE) return { re: regexCellOf(re, flags) };
    const ascii = a === NO_ASCII ? (): null => null : regexCellOf(source(p.ascii, i, ASCII_DEFLATED), flags);
    return { re: regexCellOf(re, flags, (made) => knowAsciiFormOf(made, ascii)), ascii };
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
