/** Opening the Bayes store the configuration names (no tokenizer, parser or database client loaded). */
import type { BayesSettings } from './settings';
import type { BayesStore } from './store';
import { openBayesBackend, type BayesOpenOptions } from './stores/registry';

export { bayesDbFile } from './stores/sqlite-path';
export { bayesBackend, bayesBackendIsFile, type BayesOpenOptions } from './stores/registry';

/** Open the Bayes store `settings` name (`bayes_store_module`; read-only for scanning). */
export function openBayesStore(settings: BayesSettings, opts: BayesOpenOptions = {}): BayesStore {
  return openBayesBackend(settings, opts);
}
