/** What a scan produces, and the compiled form of rules the scanner runs. */
import type { NetScan } from '../dns/net-scan';
import type { HeaderRequest } from '../message/header-access';
import type { Message } from '../message/types';
import type { ScanContext } from './context';

/** The synthetic rule a scan hits when the time limit or a rule's budget stopped something (SpamAssassin's name). */
export const TIME_LIMIT_RULE = 'TIME_LIMIT_EXCEEDED';

/** The rule types of the `.cf` language. */
export type RuleArea = 'header' | 'body' | 'rawbody' | 'full' | 'uri' | 'meta' | 'mimeheader';

/** An evaluated argument of an `eval:fn(...)` call. */
export type EvalArg = string | number;

/**
 * How much of a message the Bayes database knows, from the look-up its classification already
 * made: the message's distinct tokens and those the database has counts for, in all and in the
 * visible body text alone (the headers every mail shares make most mail look familiar). Mail in
 * a script or on a subject the site never learned has few known body tokens.
 */
export interface BayesFamiliarity {
  readonly tokens: number;
  readonly known: number;
  readonly bodyTokens: number;
  readonly bodyKnown: number;
}

/** Bayes as a scan reads it: the message's spam probability and, when given, its familiarity. */
export interface ScanBayes {
  probability(msg: Message): number | undefined;
  familiarity?(msg: Message): BayesFamiliarity | undefined;
}

/**
 * An eval function: answers for one message whether its rule hits.
 * A number is a hit count (0 = no hit). It reports problems by returning false, never by throwing.
 */
/** `area`: the type of the rule that calls it (an eval registered for body and rawbody may read either). */
export type EvalFn = (ctx: ScanContext, args: readonly EvalArg[], area?: RuleArea) => boolean | number;

/** The rule a network eval starts lookups for. */
export interface NetRuleInfo {
  readonly name: string;
  readonly tflags: ReadonlySet<string>;
}

/**
 * What makes an eval a network eval: it starts the lookups its answer needs before the local
 * rules run (the pipeline calls `start` once per rule per scan, in rule order), and its `fn`
 * runs after the harvest, reading the answers from `ctx.net`. Without network tests (`-L`,
 * `dns_available no`) `start` is never called, `ctx.net` is undefined and `fn` must say no (the
 * scanner does not call it then, so a local run need not load its file).
 */
export interface NetEvalHooks {
  start(net: NetScan, args: readonly EvalArg[], rule: NetRuleInfo): void;
  /** The prefix the report shows before its rules' descriptions, instead of their type's (`RBL: `). */
  readonly label?: string;
}

/** A meta expression tree over rule hit counts. */
export type MetaExpr =
  | { readonly op: 'num'; readonly value: number }
  | { readonly op: 'rule'; readonly name: string }
  | { readonly op: '!' | 'neg'; readonly arg: MetaExpr }
  | {
      readonly op: '&&' | '||' | '+' | '-' | '*' | '/' | '>' | '<' | '>=' | '<=' | '==' | '!=';
      readonly left: MetaExpr;
      readonly right: MetaExpr;
    };

/** The test a compiled rule runs. */
export type CompiledTest =
  | {
      readonly type: 'header';
      /** The header spec as written (`From:addr`), also the per-scan cache key. */
      readonly spec: string;
      readonly request: HeaderRequest;
      readonly negate: boolean;
      readonly re: RegExp;
      /** The regex may backtrack super-linearly: the scanner runs it under a time budget. */
      readonly guarded?: boolean;
      readonly ifUnset?: string;
    }
  | {
      readonly type: 'mimeheader';
      readonly spec: string;
      readonly request: HeaderRequest;
      readonly negate: boolean;
      readonly re: RegExp;
      readonly guarded?: boolean;
    }
  | {
      readonly type: 'exists';
      readonly header: string;
      readonly request: HeaderRequest;
      /** The per-scan header cache key (built once, not per message). */
      readonly cacheKey: string;
    }
  | { readonly type: 'regex'; readonly re: RegExp; readonly guarded?: boolean }
  | {
      readonly type: 'eval';
      readonly fn: EvalFn;
      readonly fnName: string;
      readonly args: readonly EvalArg[];
      /** Set for a network eval: it runs after the lookups are harvested. */
      readonly net?: NetEvalHooks;
    }
  | { readonly type: 'meta'; readonly expr: MetaExpr; readonly deps: readonly string[] };

/** A rule ready to run. */
export interface CompiledRule {
  readonly name: string;
  readonly area: RuleArea;
  readonly test: CompiledTest;
  /** Scores for the four score sets (no Bayes/no net, net, Bayes, Bayes+net). */
  readonly scores: readonly [number, number, number, number];
  readonly describe: string;
  readonly priority: number;
  /** `tflags multiple`: count every match. */
  readonly multiple: boolean;
  /** `maxhits=N` (0 = unbounded). */
  readonly maxHits: number;
  readonly tflags: ReadonlySet<string>;
  /** `__` sub-rules are computed but never scored or listed. */
  readonly subrule: boolean;
  /** Capture tags its regex's named groups set when it hits (SpamAssassin 4's rule captures). */
  readonly captures?: readonly string[];
  /** Its pattern reads capture tags (`%{NAME}`): the regex is built per scan from the captured values. */
  readonly template?: RuleTemplate;
}

/**
 * A rule pattern with `%{NAME}` placeholders. `test.re` is the pattern compiled with a probe value
 * in each placeholder (what the ReDoS audit saw); a scan fills in the captured values instead.
 */
export interface RuleTemplate {
  /** The Perl pattern (delimiters removed), placeholders in place. */
  readonly pattern: string;
  readonly flags: string;
  readonly tags: readonly string[];
  /** As the rule's own translation (see translatePerlRegex). */
  readonly matchOnly: boolean;
}

/** One rule that hit, as a report lists it. */
export interface RuleHit {
  readonly name: string;
  readonly score: number;
  readonly describe: string;
  readonly area: RuleArea;
  /** Match count (1 unless the rule counts `multiple`). */
  readonly count: number;
  /** The report's prefix before the description when not the rule type's (network rules: `RBL: `). */
  readonly label?: string;
}

/** An eval that threw: its rule counts as not hit. */
export interface EvalFailure {
  readonly rule: string;
  readonly fn: string;
  readonly message: string;
}

/** The verdict on one message. */
export interface ScanResult {
  readonly score: number;
  readonly required: number;
  readonly isSpam: boolean;
  /** Scored rules that hit, in the order they hit (report order). */
  readonly hits: readonly RuleHit[];
  /** Names of the hits, sorted (the `tests=` list). */
  readonly tests: readonly string[];
  /** Every rule with a non-zero count, `__` sub-rules included (for debugging and metas). */
  readonly counts: ReadonlyMap<string, number>;
  /** Score set used (0-3). */
  readonly scoreSet: number;
  /** True when the time limit stopped the scan early; the result holds what finished. */
  readonly timedOut: boolean;
  /**
   * Guarded rules stopped by their own time budget (they count as not hit, and metas reading them
   * are not evaluated); the scan then also hits `TIME_LIMIT_EXCEEDED`. Empty or absent: none.
   */
  readonly cut?: readonly string[];
  /** Capture tags the scan set, each value once in the order captured (template tags read them). Absent: none. */
  readonly captures?: ReadonlyMap<string, readonly string[]>;
  /** Evals that threw, one entry per rule (for `-D rules`). Absent: none. */
  readonly evalFailures?: readonly EvalFailure[];
  /** Wall time of the scan in milliseconds. */
  readonly ms: number;
}
