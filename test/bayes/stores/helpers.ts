/** Shared by the store tests: prepared synthetic messages, SpamAssassin's default TTLs, a comparable snapshot. */
import { prepareMessage } from '../../../src/bayes/learner';
import { applyBatch, PendingBatch, type PreparedMessage } from '../../../src/bayes/learn-batch';
import type { BayesStore } from '../../../src/bayes/store';
import { synthetic, testSettings } from '../helpers';

const NOW = 1_700_000_000;
const conf = testSettings().tokenizer;

/** A synthetic message, tokenized, as the learner applies it. */
export const prep = (kind: 'spam' | 'ham', i: number): PreparedMessage => prepareMessage(synthetic(kind, i), conf, NOW);

/** bayes_token_ttl / bayes_seen_ttl defaults (21 and 8 days). */
export const TTL = { token: 1814400, seen: 691200 };

/** Everything a store holds (counts, tokens without atimes, seen ids), comparable. */
export async function snapshot(s: BayesStore): Promise<string> {
  const v = await s.vars();
  const toks: string[] = [];
  for await (const [h, t] of s.allTokens()) toks.push(`${h}:${t.spam}/${t.ham}`);
  const seen: string[] = [];
  for await (const [id, f] of s.allSeen()) seen.push(`${id}=${f}`);
  return JSON.stringify({ nspam: v.nspam, nham: v.nham, toks: toks.sort(), seen: seen.sort() });
}

/** Learn `msgs` as `mode` in batches of `size`, one transaction each. */
export async function learnAll(s: BayesStore, msgs: PreparedMessage[], mode: 'spam' | 'ham', size: number): Promise<void> {
  for (let i = 0; i < msgs.length; i += size) {
    const b = new PendingBatch(mode);
    for (const m of msgs.slice(i, i + size)) b.add(m);
    await applyBatch(s, b, mode);
  }
}

/**
 * The same messages learned serially into one store, and by two learners at once (overlapping in
 * 10 spam, which must count once) into another while a scanner looks up: both snapshots.
 */
export async function learnConcurrently(serialStore: () => BayesStore, sharedStore: () => BayesStore): Promise<{ serial: string; shared: string; scans: number }> {
  const spam = Array.from({ length: 40 }, (_, i) => prep('spam', i));
  const ham = Array.from({ length: 40 }, (_, i) => prep('ham', i));
  const both = Array.from({ length: 10 }, (_, i) => prep('spam', 100 + i));
  const serial = serialStore();
  await learnAll(serial, [...spam, ...both], 'spam', 7);
  await learnAll(serial, ham, 'ham', 7);

  const a = sharedStore();
  const b = sharedStore();
  const scanner = sharedStore();
  let scans = 0;
  let learning = true;
  const scanning = (async () => {
    while (learning) {
      const found = await scanner.lookup(Array.from(spam[0]!.hashes));
      if (!(found.nspam >= 0)) throw new Error('a look-up gave no counts');
      scans++;
    }
  })();
  try {
    await Promise.all([learnAll(a, [...spam, ...both], 'spam', 3), learnAll(b, both, 'spam', 5).then(() => learnAll(b, ham, 'ham', 4))]);
  } finally {
    learning = false;
    await scanning;
  }
  return { serial: await snapshot(serial), shared: await snapshot(a), scans };
}
