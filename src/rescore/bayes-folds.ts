/**
 * Cross-validated Bayes for rescoring: K databases in a temporary folder, database k learned
 * from every message outside fold k, so that no message is classified by a database that
 * learned it (a database that has seen a message calls it with near certainty, which would
 * teach the fit to trust BAYES_ rules far more than they deserve).
 */
import { join } from 'node:path';
import { applyBatch, prepareMessage } from '../bayes/learner';
import { PendingBatch } from '../bayes/learn-batch';
import { learnableMessage } from '../bayes/learnable-message';
import { openBayesStore } from '../bayes/open-store';
import type { BayesSettings } from '../bayes/settings';
import type { BayesStore } from '../bayes/store';
import { foldOf, type LabelledMessage } from './corpus';

/** Messages per write transaction and fold. */
const BATCH = 2000;

/** Learn every message into the K-1 databases of the folds it is not in; returns the K stores, open. */
export async function trainFoldStores(messages: Iterable<LabelledMessage>, k: number, settings: BayesSettings, dir: string): Promise<BayesStore[]> {
  const stores = Array.from({ length: k }, (_, f) => openBayesStore(settings, { path: join(dir, `fold-${f}.sqlite`) }));
  const now = Math.floor(Date.now() / 1000);
  const pending = stores.map(() => ({ spam: new PendingBatch('spam'), ham: new PendingBatch('ham') }));
  const flush = async (f: number, mode: 'spam' | 'ham'): Promise<void> => {
    const b = pending[f]![mode];
    if (b.messages.length === 0) return;
    await applyBatch(stores[f]!, b, mode);
    pending[f]![mode] = new PendingBatch(mode);
  };
  for (const m of messages) {
    const prepared = prepareMessage(learnableMessage(m.raw), settings.tokenizer, now);
    const own = foldOf(m.id, k);
    const mode = m.spam ? 'spam' : 'ham';
    for (let f = 0; f < k; f++) {
      if (f === own) continue;
      pending[f]![mode].add(prepared);
      if (pending[f]![mode].messages.length >= BATCH) await flush(f, mode);
    }
  }
  for (let f = 0; f < k; f++) {
    await flush(f, 'spam');
    await flush(f, 'ham');
  }
  return stores;
}
