/**
 * One rescoring run, from labelled mail to fitted scores: Bayes set up (a given database, or
 * K cross-validated ones), every message scanned once, the held-out part split off, the fit,
 * and the figures before and after. Writing files is the CLI's job.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bayesForMessage } from '../bayes/index';
import { openBayesStore } from '../bayes/open-store';
import { bayesSettings } from '../bayes/settings';
import type { BayesStore } from '../bayes/store';
import type { RuleSet } from '../config/compile';
import { trainFoldStores } from './bayes-folds';
import { foldOf, holdoutMask, labelledMessages, type CorpusTargets } from './corpus';
import { fitScores, rowScores } from './fit';
import { buildDesign, problemFor, type Design } from './problem';
import { scanCorpus, type BayesReader, type ScannedMessage } from './scan-corpus';
import { cfScore } from './score-lines';
import { ruleRows, tally, type RescoreSummary } from './summary';

export interface RescoreOptions extends CorpusTargets {
  readonly rules: RuleSet;
  /** A trained Bayes database to classify with (read only). */
  readonly dbpath?: string;
  /** K: classify each message with a database learned from the other K-1 folds. */
  readonly crossValidate?: number;
  readonly fpCost: number;
  readonly l2: number;
  readonly holdout: number;
  readonly fixed: ReadonlySet<string>;
  /** Called after each scanned message (progress). */
  readonly onScanned?: (n: number) => void;
  /** Problems worth a line (mixed score sets). */
  readonly warn?: (text: string) => void;
}

export interface RescoreOutcome {
  readonly summary: RescoreSummary;
  readonly messages: readonly ScannedMessage[];
  readonly design: Design;
  /** Fitted scores per design column, as written (rounded, signs kept). */
  readonly fitted: Float64Array;
  /** Per message: score before (as loaded) and after (fitted). */
  readonly before: Float64Array;
  readonly after: Float64Array;
  readonly holdout: Uint8Array;
}

/** Bayes views per message, and what to close afterwards. */
interface BayesSetup {
  readonly forMessage: (id: string) => BayesReader | undefined;
  close(): Promise<void>;
}

async function bayesSetup(o: RescoreOptions): Promise<BayesSetup> {
  const settings = bayesSettings(o.rules.options);
  const opts = { touch: false };
  if (o.crossValidate !== undefined && o.crossValidate >= 2) {
    const k = o.crossValidate;
    const dir = mkdtempSync(join(tmpdir(), 'hamlet-rescore-'));
    let stores: BayesStore[] = [];
    try {
      stores = await trainFoldStores(labelledMessages(o), k, settings, dir);
    } catch (e) {
      rmSync(dir, { recursive: true, force: true });
      throw e;
    }
    const readers: BayesReader[] = stores.map((s) => (msg) => bayesForMessage(s, msg, settings, opts));
    return {
      forMessage: (id) => readers[foldOf(id, k)],
      close: async () => {
        for (const s of stores) await s.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  if (o.dbpath !== undefined) {
    const store = openBayesStore(settings, { readonly: true, path: o.dbpath });
    const reader: BayesReader = (msg) => bayesForMessage(store, msg, settings, opts);
    return { forMessage: () => reader, close: () => store.close() };
  }
  return { forMessage: () => undefined, close: async () => undefined };
}

/** The score set most messages were scanned in (they differ only when a fold's database is under its minimum). */
function runScoreSet(msgs: readonly ScannedMessage[], warn: (t: string) => void): number {
  const counts = [0, 0, 0, 0];
  for (const m of msgs) counts[m.scoreSet]!++;
  const set = counts.indexOf(Math.max(...counts));
  const others = msgs.length - counts[set]!;
  if (others > 0) warn(`${others} message(s) were scanned in another score set than ${set} (a Bayes database under bayes_min_spam_num / bayes_min_ham_num?); fitting set ${set}`);
  return set;
}

/** Run the whole fit (see the file comment). */
export async function rescore(o: RescoreOptions): Promise<RescoreOutcome> {
  const warn = o.warn ?? (() => undefined);
  // Cross-validation reads the inputs once more before the scan: skipped inputs are told once.
  const bayes = await bayesSetup({ ...o, onSkip: undefined });
  const msgs: ScannedMessage[] = [];
  try {
    for await (const m of scanCorpus(labelledMessages(o), o.rules, (x) => bayes.forMessage(x.id))) {
      msgs.push(m);
      o.onScanned?.(msgs.length);
    }
  } finally {
    await bayes.close();
  }
  const threshold = o.rules.compiled.settings.requiredScore;
  const set = runScoreSet(msgs, warn);
  const holdout = holdoutMask(msgs, o.holdout);
  const train = holdout.map((h) => (h ? 0 : 1));
  const design = buildDesign(msgs, train, o.rules, set, o.fixed);
  const t0 = performance.now();
  const fit = fitScores(problemFor(design, train, threshold, o.fpCost, o.l2));
  const fitSeconds = (performance.now() - t0) / 1000;
  const fitted = fit.scores.map((v, j) => cfScore(v, Math.sign(design.current[j]!)));
  const before = Float64Array.from(msgs, (m) => m.score);
  const after = rowScores(design.hits, design.offset, fitted);
  const summary: RescoreSummary = {
    messages: msgs.length,
    scoreSet: set,
    threshold,
    fpCost: o.fpCost,
    l2: o.l2,
    fitSeconds,
    iterations: fit.iterations,
    converged: fit.converged,
    train: { before: tally(before, design.spam, threshold, train), after: tally(after, design.spam, threshold, train) },
    holdout: { before: tally(before, design.spam, threshold, holdout), after: tally(after, design.spam, threshold, holdout) },
    rules: ruleRows(design.names, design.current, fitted, design.hits, design.spam),
  };
  return { summary, messages: msgs, design, fitted, before, after, holdout };
}
