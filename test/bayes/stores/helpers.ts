/** Shared by the store tests: prepared synthetic messages, SpamAssassin's default TTLs, a comparable snapshot. */
import { prepareMessage } from '../../../src/bayes/learner';
import type { PreparedMessage } from '../../../src/bayes/learn-batch';
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
