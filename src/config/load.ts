/** Read and compile configuration: see read.ts for how files are found and read. */
import { compileDraft, type RuleSet } from './compile';
import { readConfig, type LoadOptions } from './read';

export { DEFAULT_RULES_DIR, readConfig, type LoadOptions } from './read';

/** Read and compile configuration: the rule set scans run with. */
export function loadConfig(opts: LoadOptions | readonly string[] = {}): RuleSet {
  return compileDraft(readConfig(opts));
}
