/**
 * Which eval tests are network evals, for tests whose hooks are not loaded yet: a rule set from
 * the rule-set cache binds each eval to the file that defines it and loads that file when the
 * eval first runs (config/rule-cache-codec.ts), so reading `test.net` to ask would load it.
 */
import type { CompiledTest } from './types';

type EvalTest = Extract<CompiledTest, { type: 'eval' }>;

const known = new WeakMap<object, boolean>();

/** Record whether `test` (an eval test whose `net` is read on first use) is a network eval. */
export function knowNetEval(test: object, net: boolean): void {
  known.set(test, net);
}

/** Whether `test` is a network eval's, without reading its hooks when that is already known. */
export function isNetEval(test: EvalTest): boolean {
  return known.get(test) ?? test.net !== undefined;
}
