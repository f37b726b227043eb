/** Read and compile configuration: see read.ts for how files are found and read. */
import { compileDraft, type RuleSet } from './compile';
import { readConfig, type LoadOptions } from './read';
import { cachedRuleSet, type RuleCacheOptions } from './rule-cache';

export { DEFAULT_RULES_DIR, readConfig, type LoadOptions } from './read';
export { defaultRuleCacheDir, type RuleCacheOptions } from './rule-cache';

/** Read and compile configuration: the rule set scans run with. */
export function loadConfig(opts: LoadOptions | readonly string[] = {}): RuleSet {
  return compileDraft(readConfig(opts));
}

/**
 * loadConfig through the compiled rule-set cache (rule-cache.ts): the same rule set, read from
 * the cache when no input changed. `cache: false` compiles without it.
 */
export function loadRuleSet(opts: LoadOptions | readonly string[] = {}, cache: RuleCacheOptions | false = {}): RuleSet {
  return cache === false ? loadConfig(opts) : cachedRuleSet(opts, cache);
}
