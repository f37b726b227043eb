/**
 * A scan worker's second warm-up, after its regexes are compiled: it checks made-up messages
 * (warm-mail.ts) as it would check mail, without the databases or the network, so V8 has
 * optimised the scan's JavaScript (MIME, HTML, rendering, rules, markup, the Bayes tokenizer and
 * classifier) before the first real message. Without it a fresh server's first thousand scans
 * cost half again as much CPU as later ones, while V8's compiler threads catch up.
 * Nothing is written: the Bayes part tokenizes and classifies against made-up counts.
 */
import { bayesSettings, bayesTokens, classifyLookup } from '../bayes/index';
import { checkMessage } from '../check/index';
import type { RuleSet } from '../config/compile';
import type { ReportSettings } from '../report/check';
import { warmMail } from './warm-mail';

/** Check `scans` made-up messages with `rules`; returns the seconds it took. */
export function warmScans(rules: RuleSet, settings: ReportSettings, scans: number): number {
  const t0 = performance.now();
  const bayes = bayesSettings(rules.options);
  for (let i = 0; i < scans; i++) {
    const c = checkMessage(warmMail(i), rules, { settings });
    // The markup is built when a client asks for it (PROCESS, HEADERS, REPORT): build it on some.
    if (i % 4 === 0) void c.marked.length;
    if (!bayes.useBayes) continue;
    const hashes = bayesTokens(c.msg, bayes);
    // Every other token "known", with counts that vary, so the classifier runs its whole path.
    const known = hashes.filter((_h, k) => k % 2 === 0);
    classifyLookup({ nspam: 1000, nham: 1000, hashes: known, spam: known.map((_h, k) => (k * 37) % 200), ham: known.map((_h, k) => (k * 53) % 200) }, hashes.length);
  }
  return (performance.now() - t0) / 1000;
}
