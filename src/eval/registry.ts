/**
 * The one registry of eval functions. Each area file exports its `EvalDef`s;
 * `index.ts` lists the files. A rule naming an unknown function is disabled
 * with a reason, never a crash.
 */
import type { EvalArg, EvalFn, NetEvalHooks, RuleArea } from '../engine/types';

/** An eval function as registered. */
export interface EvalDef {
  readonly name: string;
  /** Rule types it may be used from (SpamAssassin registers most for one type). */
  readonly areas: readonly RuleArea[];
  readonly fn: EvalFn;
  /** For a network eval: how it starts its lookups (its `fn` then runs after the harvest). */
  readonly net?: NetEvalHooks;
  /** Checks a rule's arguments when it is compiled: a message disables the rule (a lint problem) instead of failing each scan. */
  readonly validate?: (args: readonly EvalArg[]) => string | undefined;
}

/** Why a known SpamAssassin eval is not run (yet): it needs something hamlet does not do locally. */
export type InactiveReason = 'network' | 'bayes' | 'pdf' | 'external' | 'awl';

export interface EvalRegistry {
  readonly active: ReadonlyMap<string, EvalDef>;
  readonly inactive: ReadonlyMap<string, InactiveReason>;
}

/** Build a registry; a name registered twice is a programming error. */
export function buildRegistry(groups: ReadonlyArray<readonly EvalDef[]>, inactive: Readonly<Record<string, InactiveReason>>): EvalRegistry {
  const active = new Map<string, EvalDef>();
  for (const group of groups) {
    for (const def of group) {
      if (active.has(def.name)) throw new Error(`eval ${def.name} registered twice`);
      active.set(def.name, def);
    }
  }
  return { active, inactive: new Map(Object.entries(inactive)) };
}

/** Argument helpers: eval arguments arrive as strings or numbers from the config. */
export function numArg(args: readonly (string | number)[], i: number, dflt: number): number {
  const v = args[i];
  if (v === undefined || v === 'undef') return dflt;
  if (v === 'inf') return Infinity;
  if (v === '-inf') return -Infinity;
  const n = typeof v === 'number' ? v : Number(v);
  return Number.isFinite(n) ? n : dflt;
}

export function strArg(args: readonly (string | number)[], i: number): string | undefined {
  const v = args[i];
  return v === undefined ? undefined : String(v);
}
