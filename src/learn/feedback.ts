/**
 * SpamAssassin's two feedback loops around a check, Bayes and the AWL: their databases and
 * settings, and the auto-learn outcome. The check pipeline (src/check/) runs them in its steps:
 *
 *   scan (with Bayes when it is usable: score set 2)
 *   -> AWL (look the sender up, add this score to its history, the AWL pseudo-rule)
 *   -> auto-learn decision -> Bayes learns the message as spam or ham
 *   -> templates (`autolearn=`, `_AWL_`..., `_BAYES_`) -> markup.
 *
 *   const stores = openFeedbackStores(rules);
 *   try { const c = await check(raw, rules, { stores, settings }); ... } finally { await stores.close(); }
 *
 * The stores come from the rule set's options (`bayes_store_module`, `bayes_path`, `use_bayes`,
 * `auto_welcomelist_factory`, `auto_welcomelist_path`, `use_auto_welcomelist` and their 3.x
 * spellings), through one factory per store kind (bayes/stores/registry.ts,
 * awl/stores/registry.ts).
 * SpamAssassin's defaults live under `~/.spamassassin`; hamlet's under `~/.hamlet`
 * (`~/.hamlet/bayes.sqlite`, `~/.hamlet/auto-welcomelist.sqlite`), so the two
 * never share a file by accident. A path set in the configuration is used as given.
 */
import { existsSync, lstatSync } from 'node:fs';
import { homedir, userInfo } from 'node:os';
import { join } from 'node:path';
import type { RuleSet } from '../config/compile';
import { optString } from '../options/option-values';
import type { NetScan } from '../dns/net-scan';
import type { Message } from '../message/types';
import type * as Bayes from '../bayes/index';
import type { BayesStore } from '../bayes/store';
import { bayesDbFile } from '../bayes/stores/sqlite-path';
import { bayesBackendIsFile, openBayesBackend } from '../bayes/stores/registry';
import { bayesSettings, type BayesSettings } from '../bayes/settings';
import { awlBackendIsFile, openAddrList } from '../awl/stores/registry';
import type { AddrListStore } from '../awl/store';
import { awlSettings, type AwlSettings } from '../awl/settings';
import { awlActive, type AwlScanResult } from '../awl/scan';
import { lazy } from '../util/lazy';
import type { DbFileGuard } from '../util/sqlite-file';
import type { CheckOptions, CheckOutcome } from '../report/check';
import { autoLearnSettings, type AutoLearnDecision } from './autolearn';

// Bayes (tokenizer, learner) and the stores' backends load when a database is there to use: a
// scan with neither never pays for them.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const bayes = lazy(() => require('../bayes/index') as typeof Bayes);
/** The Bayes module, loaded on first use. */
export const bayesModule = bayes;

/** What became of an auto-learn decision: SpamAssassin's `autolearn=` words. */
export type AutoLearnOutcome = 'spam' | 'ham' | 'no' | 'disabled' | 'unavailable' | 'failed';

/** Where hamlet keeps its per-user databases when the configuration names none. */
export const HAMLET_USER_DIR = '.hamlet';

/** The eval the Bayes plugin's rules (BAYES_00 ... BAYES_999) call: defined only when the plugin is loaded. */
const BAYES_EVAL = 'check_bayes';

/** True when the rule set defines the BAYES_nn rules (SpamAssassin's Bayes plugin is loaded). */
export function bayesRulesDefined(rules: RuleSet): boolean {
  return rules.compiled.rules.some((r) => r.test.type === 'eval' && r.test.fnName === BAYES_EVAL);
}

/** Bayes settings for hamlet: SpamAssassin's, with the default path under `~/.hamlet`. */
export function feedbackBayesSettings(rules: RuleSet, home: string = homedir()): BayesSettings {
  const s = bayesSettings(rules.options);
  if (optString(rules.options, 'bayes_path') !== undefined) return s;
  return { ...s, path: join(home, HAMLET_USER_DIR, 'bayes') };
}

/** AWL settings for hamlet: SpamAssassin's, with the default path under `~/.hamlet`. */
export function feedbackAwlSettings(rules: RuleSet, home: string = homedir()): AwlSettings {
  const s = awlSettings(rules.options, home);
  if (optString(rules.options, 'auto_welcomelist_path') !== undefined) return s;
  const path = join(home, HAMLET_USER_DIR, 'auto-welcomelist');
  return { ...s, path, dbFile: `${path}.sqlite` };
}

export interface FeedbackStoreOptions {
  /** The home directory `~` stands for (tests pass a temporary one). */
  readonly home?: string;
  /** Turn the AWL off whatever the configuration says (SpamAssassin's `-W` / `-R` runs do). */
  readonly noAwl?: boolean;
  /** Turn auto-learn off whatever the configuration says. */
  readonly noAutoLearn?: boolean;
  /** Checks for databases in a user's tree (hamletd), before and after opening. */
  readonly guard?: DbFileGuard;
  /**
   * No databases at the default per-user places (hamletd as root, for a user it
   * cannot give files to): only paths the configuration names are used.
   */
  readonly noDefaultPaths?: boolean;
  /** Whose data in a shared (SQL) store: the scanning user (default: this process's user). */
  readonly username?: string;
}

/**
 * The databases a check uses, opened lazily: Bayes when its file exists (it is
 * created by the first message learned), the AWL on first use. One per process;
 * `close()` when done.
 */
export class FeedbackStores {
  readonly bayesSettings: BayesSettings;
  readonly awlSettings: AwlSettings;
  /** Bayes classifies and learns: `use_bayes` and `use_learner` on, the Bayes rules defined. */
  readonly bayesOn: boolean;
  /** The AWL runs: its rule is defined (plugin loaded) and `use_auto_welcomelist` is on. */
  readonly awlOn: boolean;
  readonly autoLearnOn: boolean;
  /** False when there is no Bayes database to use at all (`noDefaultPaths` and no `bayes_path`): TELL learns nothing. */
  readonly bayesPathAllowed: boolean;
  private bayesStore: BayesStore | undefined;
  private awlStore: AddrListStore | undefined;
  private readonly guard: DbFileGuard | undefined;
  private readonly username: string;

  constructor(rules: RuleSet, opts: FeedbackStoreOptions = {}) {
    this.bayesSettings = feedbackBayesSettings(rules, opts.home);
    this.awlSettings = feedbackAwlSettings(rules, opts.home);
    // A server store needs no path: only a file store is held back by noDefaultPaths.
    const named = (o: string, file: () => boolean): boolean => !opts.noDefaultPaths || optString(rules.options, o) !== undefined || !safe(file, true);
    this.bayesPathAllowed = named('bayes_path', () => bayesBackendIsFile(this.bayesSettings));
    this.bayesOn = this.bayesSettings.useBayes && bayesRulesDefined(rules) && this.bayesPathAllowed;
    this.awlOn = !opts.noAwl && awlActive(rules, this.awlSettings) && named('auto_welcomelist_path', () => awlBackendIsFile(this.awlSettings));
    this.autoLearnOn = !opts.noAutoLearn;
    this.guard = opts.guard;
    this.username = opts.username ?? processUser();
  }

  /** The Bayes database file (the file backend's; see `bayesLocation`). */
  get bayesFile(): string {
    return bayesDbFile(this.bayesSettings.path);
  }

  /** Where Bayes data is, for messages: the file, or the store module. */
  get bayesLocation(): string {
    return safe(() => bayesBackendIsFile(this.bayesSettings), true) ? this.bayesFile : this.bayesSettings.store.module;
  }

  /** Where the address list is, for messages: the file, or the factory. */
  get awlLocation(): string {
    return safe(() => awlBackendIsFile(this.awlSettings), true) ? this.awlSettings.dbFile : this.awlSettings.factory;
  }

  /**
   * The Bayes store to classify with, or undefined while there is no database (a file store
   * that nothing has been learned into yet; a server store is always there).
   */
  bayes(): BayesStore | undefined {
    if (!this.bayesOn) return undefined;
    if (this.bayesStore) return this.bayesStore;
    // In a user's tree a symlink counts as there (the guard then refuses it, and the scan says why).
    const present = this.guard ? entryExists : existsSync;
    if (bayesBackendIsFile(this.bayesSettings) && !present(this.bayesFile)) return undefined;
    return this.bayesForLearning();
  }

  /** The Bayes store to learn into, created when absent. */
  bayesForLearning(): BayesStore {
    this.bayesStore ??= openBayesBackend(this.bayesSettings, { guard: this.guard, username: this.username });
    return this.bayesStore;
  }

  /** The address list (created when absent): for the AWL and the welcomelist commands. */
  addressList(): AddrListStore {
    this.awlStore ??= openAddrList(this.awlSettings, { guard: this.guard, username: this.username });
    return this.awlStore;
  }

  /** Close both stores (their pending writes go first). */
  async close(): Promise<void> {
    const [b, a] = [this.bayesStore, this.awlStore];
    this.bayesStore = undefined;
    this.awlStore = undefined;
    await Promise.all([b?.close(), a?.close()]);
  }
}

/** `fn()`, or `dflt` when it throws (a misconfigured module is reported where the store is opened). */
function safe<T>(fn: () => T, dflt: T): T {
  try {
    return fn();
  } catch {
    return dflt;
  }
}


/** The user this process runs as, SpamAssassin's default owner of SQL rows. */
function processUser(): string {
  try {
    return userInfo().username;
  } catch {
    return String(process.getuid?.() ?? 'nobody');
  }
}

/** True when something (a symlink included, dangling or not) is at `path`. */
function entryExists(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}

/** Open (lazily) the stores `rules` configures. */
export function openFeedbackStores(rules: RuleSet, opts: FeedbackStoreOptions = {}): FeedbackStores {
  return new FeedbackStores(rules, opts);
}

export interface FeedbackCheckOptions extends CheckOptions {
  /** Clock in Unix seconds for the AWL's last-hit stamps and Bayes' atimes (tests). */
  readonly now?: number;
}

/** What the feedback loops did for one message. */
export interface FeedbackResult {
  /** Bayes' spam probability, when Bayes classified the message. */
  readonly bayes: number | undefined;
  /** The AWL's lookup, when it ran and the message had a From address. */
  readonly awl: AwlScanResult | undefined;
  /** The auto-learn decision on the final result (AWL included, which auto-learn ignores). */
  readonly decision: AutoLearnDecision;
  /** What happened to it: the `autolearn=` word. */
  readonly autolearn: AutoLearnOutcome;
  /** The error when learning failed. */
  readonly learnError?: Error;
  /** Store errors the check went on without (Bayes unreadable, AWL not writable, learning failed). */
  readonly problems?: readonly Error[];
}

export interface FeedbackOutcome extends CheckOutcome {
  readonly feedback: FeedbackResult;
  /** The scan's network state, when network tests ran (queries made, tags). */
  readonly net?: NetScan;
}

/** `%2.1f`, as SpamAssassin prints the AWL tags. */
const tenths = (n: number): string => n.toFixed(1);

/** The AWL tags (`_AWL_`, `_AWLMEAN_`, `_AWLCOUNT_`, `_AWLPRESCORE_`): values when the sender had a history, empty otherwise. */
export function awlTags(awl: AwlScanResult | undefined): Record<string, string> {
  if (!awl || awl.mean === undefined) return { AWL: '', AWLMEAN: '', AWLCOUNT: '', AWLPRESCORE: '' };
  return { AWL: tenths(awl.delta), AWLMEAN: tenths(awl.mean), AWLCOUNT: tenths(awl.count), AWLPRESCORE: tenths(awl.preScore) };
}

/** Learn what auto-learn decided (the `autolearn=` word, and the error when learning failed). */
export async function learnDecided(
  stores: FeedbackStores,
  msg: Message,
  decision: AutoLearnDecision,
  rules: RuleSet,
  now: number | undefined,
  incomplete: boolean,
): Promise<Pick<FeedbackResult, 'autolearn' | 'learnError'>> {
  // A scan the time limit or a rule's budget stopped is not learned from (SpamAssassin skips
  // auto-learning past its deadline and then reports `unavailable`).
  if (incomplete) return { autolearn: 'unavailable' };
  if (!stores.autoLearnOn) return { autolearn: 'disabled' };
  if (decision.status !== 'spam' && decision.status !== 'ham') return { autolearn: decision.status };
  // use_learner 0 (or no Bayes plugin): the decision stands but nothing can learn it.
  if (!stores.bayesOn || !autoLearnSettings(rules.options).useLearner) return { autolearn: 'unavailable' };
  try {
    const changed = await bayes().learn(stores.bayesForLearning(), msg, decision.status === 'spam', stores.bayesSettings, { now });
    return { autolearn: changed ? decision.status : 'unavailable' };
  } catch (e) {
    return { autolearn: 'failed', learnError: e instanceof Error ? e : new Error(String(e)) };
  }
}
