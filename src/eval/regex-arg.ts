/**
 * Eval arguments that are regexes (`check_freemail_from('\d@')`, `html_text_match('title',
 * '/free/i')`): translated once per rule, not per message, and checked when the rule set compiles
 * so a bad pattern disables its rule with a lint error at file:line.
 */
import type { EvalArg } from '../engine/types';
import { parsePerlRegexLiteral, translatePerlRegex } from '../regex/perl-regex';

/** `/pat/flags` or `m{pat}flags` when delimited, else the bare pattern: the translated regex or why not. */
export function translateRegexArg(src: string): RegExp | { error: string } {
  const lit = /^(?:\/|m[^\w\s])/.test(src.trim()) ? parsePerlRegexLiteral(src) : { pattern: src, flags: '' };
  if ('error' in lit) return lit;
  const t = translatePerlRegex(lit.pattern, lit.flags);
  return 'error' in t ? t : t.re;
}

// Keyed by the rule's own argument list: one entry per compiled rule, dropped with its rule set.
const prepared = new WeakMap<readonly EvalArg[], RegExp | null>();

/** The regex argument at `index` (undefined when absent; null when it does not translate, which validation reported). */
export function regexArg(args: readonly EvalArg[], index: number): RegExp | undefined | null {
  const src = args[index];
  if (typeof src !== 'string') return undefined;
  let re = prepared.get(args);
  if (re === undefined) {
    const t = translateRegexArg(src);
    prepared.set(args, (re = t instanceof RegExp ? t : null));
  }
  return re;
}

/** An `EvalDef.validate` for a regex argument at `index` (absent is fine when `optional`). */
export function validateRegexArg(index: number, optional: boolean): (args: readonly EvalArg[]) => string | undefined {
  return (args) => {
    const src = args[index];
    if (typeof src !== 'string') return optional ? undefined : `argument ${index + 1} must be a regex`;
    const t = translateRegexArg(src);
    return t instanceof RegExp ? undefined : `bad regex argument '${src}': ${t.error}`;
  };
}
