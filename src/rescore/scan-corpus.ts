/**
 * One scan of every labelled message, local rules only (score set 0, or 2 when Bayes can
 * classify), keeping what fitting, the summary and mass-check lines need.
 */
import type { BayesScanner } from '../bayes/index';
import type { Message } from '../message/types';
import type { RuleSet } from '../config/compile';
import { scan } from '../engine/scanner';
import { parseMessage } from '../message/parse';
import { dateOf, type LabelledMessage } from './corpus';

/** A scanned message. */
export interface ScannedMessage {
  readonly id: string;
  readonly spam: boolean;
  readonly format: 'f' | 'm';
  /** Seconds since the epoch from the Date header, when it parses. */
  readonly time: number | undefined;
  /** Scored rules that hit (the `tests=` list), sorted. */
  readonly tests: readonly string[];
  /** `__` sub-rules that hit, sorted (mass-check lists them too). */
  readonly subtests: readonly string[];
  /** The score with the rules as loaded. */
  readonly score: number;
  readonly scoreSet: number;
  /** Bayes probability, when Bayes classified the message. */
  readonly bayes: number | undefined;
  readonly scanSeconds: number;
}

/** Reads Bayes for one parsed message (from its fold's database). */
export type BayesReader = (msg: Message) => Promise<BayesScanner>;

/** Scan `msgs`; `bayesFor` gives the Bayes reader for a message (its fold's database), or none. */
export async function* scanCorpus(
  msgs: Iterable<LabelledMessage>,
  rules: RuleSet,
  bayesFor: (m: LabelledMessage) => BayesReader | undefined,
): AsyncGenerator<ScannedMessage> {
  for (const m of msgs) {
    const msg = parseMessage(m.raw, rules.parseOptions);
    const read = bayesFor(m);
    const b = read && (await read(msg));
    // Bayes was read before the scan: its probability (mass-check's `bayes=`) is known already.
    const bayes = b?.available() ? b.probability(msg) : undefined;
    const r = scan(msg, rules.compiled, { scoreSet: 0, ...(b && { bayes: b }) });
    const subtests = [...r.counts.keys()].filter((n) => n.startsWith('__')).sort();
    yield {
      id: m.id,
      spam: m.spam,
      format: m.format,
      time: dateOf(msg),
      tests: r.tests,
      subtests,
      score: r.score,
      scoreSet: r.scoreSet,
      bayes,
      scanSeconds: r.ms / 1000,
    };
  }
}
