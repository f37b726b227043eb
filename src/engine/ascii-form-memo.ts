/**
 * Each rule regex's ASCII form (ascii-form.ts), worked out once per regex: by the compiler, the
 * scanner, or brought as source text by the rule-set cache (the pruning is costly for the big
 * obfuscation patterns; building the RegExp from its source is not, and waits for first use).
 */
import { asciiForm } from './ascii-form';

const forms = new WeakMap<RegExp, RegExp | null>();
/** Forms known ahead (rule-set cache), built on first use; null: the regex has no ASCII form. */
const known = new WeakMap<RegExp, () => RegExp | null>();
/** The same, by the test object whose `re` they belong to: the form is reached without building `re`. */
const knownByTest = new WeakMap<object, () => RegExp | null>();

/**
 * Whether the scanner runs `rule`'s ASCII form on text without bytes >= 0x80: line rules (body,
 * rawbody, uri: per line) and header and mimeheader rules (per value); not `full` rules, which
 * read the whole message, nor a header rule built from capture tags per scan.
 */
export function runsAsciiForm(rule: { readonly area: string; readonly test: { readonly type: string }; readonly template?: unknown }): boolean {
  const t = rule.test.type;
  return (t === 'regex' && (rule.area === 'body' || rule.area === 'rawbody' || rule.area === 'uri')) || ((t === 'header' || t === 'mimeheader') && rule.template === undefined);
}

/** `re`'s ASCII form, or null when it has none. */
export function asciiOf(re: RegExp): RegExp | null {
  let a = forms.get(re);
  if (a === undefined) {
    const form = known.get(re);
    a = form === undefined ? (asciiForm(re) ?? null) : form();
    forms.set(re, a);
  }
  return a;
}

/**
 * The ASCII form of `test.re`. A rule from the rule-set cache gets it without creating `test.re`
 * (lazy-regex.ts): an ASCII message runs only the ASCII forms of line rules, and creating the
 * whole regexes it does not run cost a one-shot scan of the stock rules ~40 ms (1 MB of
 * patterns parsed).
 */
export function asciiOfTest(test: { readonly re: RegExp }): RegExp | null {
  const form = knownByTest.get(test);
  return form === undefined ? asciiOf(test.re) : form();
}

/** Record that `test`'s regex has the ASCII form `form` builds (once; null: none), for when either is asked. */
export function knowAsciiForm(test: object, form: () => RegExp | null): void {
  knownByTest.set(test, form);
}

/** Record the ASCII form of a regex built from the cache (the same `form` as its test's). */
export function knowAsciiFormOf(re: RegExp, form: () => RegExp | null): void {
  if (!forms.has(re)) known.set(re, form);
}

/** The source of `re`'s ASCII form (null: none), for the rule-set cache to store. */
export function asciiSourceOf(re: RegExp): string | null {
  return asciiOf(re)?.source ?? null;
}
