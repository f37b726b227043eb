/**
 * hamlet as a library: load a configuration once, scan many messages.
 *
 *   const rules = loadConfig({ configPath: '/usr/share/spamassassin', siteConfigPath: '/etc/spamassassin' });
 *   const result = scan(fs.readFileSync('msg.eml'), rules);            // rules only, synchronous
 *   const c = await check(raw, rules, { net: netRuntimeFor(rules, { localOnly: false }) }); // the full check
 *
 * `loadRuleSet(opts, { dir })` is loadConfig through the compiled rule-set cache (config/rule-cache.ts).
 */
// First: V8's regex flags must be set before any rule regex exists.
import './regex-flags';
import type { RuleSet } from './config/compile';
import { scan as scanParsed, warmUp as warmCompiled, type ScanOptions } from './engine/scanner';
import type { ScanResult } from './engine/types';
import { parseMessage } from './message/parse';
import type { Message } from './message/types';

export { loadConfig, loadRuleSet, readConfig, defaultRuleCacheDir, DEFAULT_RULES_DIR, type LoadOptions, type RuleCacheOptions } from './config/load';
export type { RuleSet, DisabledRule } from './config/compile';
export type { ScanResult, RuleHit } from './engine/types';
export type { ScanOptions } from './engine/scanner';
export type { Message } from './message/types';
export { parseMessage } from './message/parse';

/** Parse `input` with the rule set's settings (unless already parsed) and scan it. */
export function scan(input: Buffer | Message, rules: RuleSet, opts: ScanOptions = {}): ScanResult {
  const msg = Buffer.isBuffer(input) ? parseMessage(input, rules.parseOptions) : input;
  return scanParsed(msg, rules.compiled, opts);
}

/** Compile all of a rule set's regexes ahead of the first scan (servers call this at start); returns seconds spent. */
export function warmUp(rules: RuleSet): number {
  return warmCompiled(rules.compiled);
}

export { check, checkMessage, checkWithFeedback, netRuntimeFor, closeResolvers, CHECK_STEPS, type PipelineOptions, type NetRuntime } from './check/index';
export { openFeedbackStores, type FeedbackStores, type FeedbackOutcome } from './learn/feedback';
export {
  reportText,
  tagInput,
  headerBlock,
  markupOptionsFrom,
  type CheckOptions,
  type CheckOutcome,
  type ReportSettings,
} from './report/check';
export { removeMarkup } from './report/remove-markup';
export { HAMLET_VERSION } from './util/version';
