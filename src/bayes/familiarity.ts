/**
 * How familiar a message is to the database, from the look-up classification made: mail in a
 * script or on a subject the site never learned has few known body tokens, and its verdict
 * (near 0.5, or none) says nothing either way. `check_bayes_unfamiliar` reads it.
 */
import type { BayesFamiliarity } from '../engine/types';
import { tokenProbability, type FoundTokens } from './classifier';

/**
 * Count the message's tokens the database knows (has counts a probability comes from);
 * `hashes` is what was looked up, its first `bodyCount` from the visible body text.
 */
export function familiarityOf(found: FoundTokens, hashes: readonly number[], bodyCount: number): BayesFamiliarity {
  const known = new Set<number>();
  for (let i = 0; i < found.hashes.length; i++) {
    if (tokenProbability(found.spam[i]!, found.ham[i]!, found.nspam, found.nham) !== undefined) known.add(found.hashes[i]!);
  }
  let bodyKnown = 0;
  for (let i = 0; i < bodyCount; i++) if (known.has(hashes[i]!)) bodyKnown++;
  return { tokens: hashes.length, known: known.size, bodyTokens: bodyCount, bodyKnown };
}
