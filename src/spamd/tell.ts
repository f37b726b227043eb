/**
 * TELL: learn a message into, or forget it from, the Bayes database, and say
 * what was done as spamd 4.0.1 says it (measured against it):
 *
 * - `Set: local` learns as spam when `Message-class` is `spam`, as ham for any
 *   other value or none; `DidSet: local` only when the database changed (a
 *   message already learned that way gives no header).
 * - `Remove: local` forgets; `DidRemove: local` only when it had been learned.
 * - `remote` (reporting to Razor, Pyzor, ...) never succeeds: hamlet has no
 *   reporting methods, which is what spamd says under `-L` too.
 *
 * Learning needs the Bayes plugin's rules and `use_learner` (SpamAssassin's
 * learner does not look at `use_bayes`).
 */
import type { RuleSet } from '../config/compile';
import { forget, learn } from '../bayes/index';
import { autoLearnSettings } from '../learn/autolearn';
import { bayesRulesDefined, type FeedbackStores } from '../learn/feedback';
import { parseMessage } from '../message/parse';
import type { TellRequest } from './request';

export interface TellOutcome {
  readonly didSet: readonly string[];
  readonly didRemove: readonly string[];
  /** Why a local part could not be done (for the log). */
  readonly note?: string;
}

/** Can `rules` learn at all? */
export function learnerOn(rules: RuleSet): boolean {
  return bayesRulesDefined(rules) && autoLearnSettings(rules.options).useLearner;
}

/** Do what a TELL asks with the message `raw`. */
export async function tell(raw: Buffer, rules: RuleSet, stores: FeedbackStores, t: TellRequest): Promise<TellOutcome> {
  const didSet: string[] = [];
  const didRemove: string[] = [];
  const remote = t.setRemote || t.removeRemote ? 'no reporting methods available' : undefined;
  if (!t.setLocal && !t.removeLocal) return { didSet, didRemove, note: remote };
  if (!learnerOn(rules)) return { didSet, didRemove, note: 'learning is off (no Bayes plugin, or use_learner 0)' };
  if (!stores.bayesPathAllowed) return { didSet, didRemove, note: 'no Bayes database for this user' };
  const msg = parseMessage(raw, rules.parseOptions);
  let store;
  try {
    store = stores.bayesForLearning();
  } catch (e) {
    // The user's database cannot be used (refused path, no permission): answered, nothing learned.
    return { didSet, didRemove, note: (e as Error).message };
  }
  if (t.setLocal && (await learn(store, msg, t.messageClass === 'spam', stores.bayesSettings))) didSet.push('local');
  if (t.removeLocal && (await forget(store, msg, stores.bayesSettings))) didRemove.push('local');
  return { didSet, didRemove, note: remote };
}
