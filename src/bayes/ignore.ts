/**
 * `bayes_ignore_from` / `bayes_ignore_to`: mail from or to the listed addresses (globs,
 * as welcomelist_from) is neither classified nor learned. The addresses compared are the
 * ones SpamAssassin's list checks use (all_from_addrs / all_to_addrs).
 */
import { compileGlobs, globListMatches, type GlobList } from '../eval/lists-glob';
import { fromAddrsOf, toAddrsOf } from '../message/list-addresses';
import type { Message } from '../message/types';

/** The two lists as configured (whitespace-separated entries, one option line each). */
export interface BayesIgnoreLists {
  readonly from: readonly string[];
  readonly to: readonly string[];
}

const compiled = new WeakMap<BayesIgnoreLists, { from: GlobList; to: GlobList }>();

/** True when the message is from or to an address on the lists. */
export function bayesIgnores(msg: Message, lists: BayesIgnoreLists): boolean {
  if (lists.from.length === 0 && lists.to.length === 0) return false;
  let c = compiled.get(lists);
  if (!c) compiled.set(lists, (c = { from: compileGlobs(lists.from), to: compileGlobs(lists.to) }));
  const { from, to } = c;
  return (lists.from.length > 0 && fromAddrsOf(msg).some((a) => globListMatches(from, a))) || (lists.to.length > 0 && toAddrsOf(msg).some((a) => globListMatches(to, a)));
}
