/**
 * Each rule regex's ASCII form (ascii-form.ts), worked out once per regex: by the compiler, the
 * scanner, or brought as source text by the rule-set cache (the pruning is costly for the big
 * obfuscation patterns; building the RegExp from its source is not, and waits for first use).
 */
import { asciiForm } from './ascii-form';

const forms = new WeakMap<RegExp, RegExp | null>();
/** Sources known ahead (rule-set cache); null: the regex has no ASCII form. */
const sources = new WeakMap<RegExp, string | null>();

/** `re`'s ASCII form, or null when it has none. */
export function asciiOf(re: RegExp): RegExp | null {
  let a = forms.get(re);
  if (a === undefined) {
    const src = sources.get(re);
    if (src === undefined) a = asciiForm(re) ?? null;
    else a = src === null ? null : new RegExp(src, re.flags);
    forms.set(re, a);
  }
  return a;
}

/** The source of `re`'s ASCII form (null: none), for the rule-set cache to store. */
export function asciiSourceOf(re: RegExp): string | null {
  return asciiOf(re)?.source ?? null;
}

/** Record the ASCII form's source worked out by an earlier run. */
export function knowAsciiSource(re: RegExp, src: string | null): void {
  if (!forms.has(re)) sources.set(re, src);
}
