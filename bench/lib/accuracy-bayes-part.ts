/**
 * bench:accuracy part 2: each engine with its own rules and its own Bayes database trained on
 * the same messages. TRAIN -> TEST of the 2002 corpus; TRAIN + the modern dev part -> the modern
 * measure part. Prints one line per side and measured set; returns the tallies.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_RULES_DIR, loadConfig } from '../../src/index';
import { corpusFiles, type CorpusGroup } from '../../test/helpers/corpus';
import { modernCorpusAvailable, modernMessages } from '../../test/helpers/modern-corpus';
import { dropHamletDatabase, hamletDatabase, hamletWithBayes, saDatabase, saWithBayes, trainingKey, type Labelled } from './accuracy-bayes';
import { haveSpamAssassin } from './sa-check';

/** False positives and negatives of one side on one measured set. */
export interface Tally {
  ham: number;
  spam: number;
  fp: number;
  fn: number;
}

export interface BayesFigures {
  readonly test: Tally;
  readonly modern: Tally;
  readonly saTest?: Tally;
  readonly saModern?: Tally;
}

const groupSet = (groups: readonly CorpusGroup[]): Labelled[] => groups.flatMap((g) => corpusFiles(g).map((file) => ({ file, spam: g.startsWith('spam') })));

function tally(set: readonly Labelled[], isSpam: readonly boolean[]): Tally {
  const t: Tally = { ham: 0, spam: 0, fp: 0, fn: 0 };
  set.forEach((m, i) => {
    if (m.spam) {
      t.spam++;
      if (!isSpam[i]) t.fn++;
    } else {
      t.ham++;
      if (isSpam[i]) t.fp++;
    }
  });
  return t;
}

function show(label: string, t: Tally): void {
  const caught = t.spam === 0 ? 0 : (100 * (t.spam - t.fn)) / t.spam;
  console.log(`${label.padEnd(34)} ham=${String(t.ham).padStart(4)} fp=${String(t.fp).padStart(3)}  spam=${String(t.spam).padStart(4)} fn=${String(t.fn).padStart(4)}  caught=${caught.toFixed(1)}%`);
}

/** One training set and one measured set, both engines. */
async function measure(name: string, training: readonly Labelled[], measured: readonly Labelled[], withSa: boolean): Promise<{ own: Tally; sa?: Tally }> {
  const t0 = performance.now();
  const rules = loadConfig({ configPath: DEFAULT_RULES_DIR, siteConfigPath: mkdtempSync(join(tmpdir(), 'hamlet-site-')), extraText: 'bayes_auto_learn 0\nuse_auto_welcomelist 0' });
  const db = hamletDatabase(training);
  const t1 = performance.now();
  const results = await hamletWithBayes(rules, db, measured.map((m) => m.file));
  dropHamletDatabase(db);
  const own = tally(measured, results.map((r) => r.isSpam));
  console.log(`${name}: hamlet trained on ${training.length} in ${((t1 - t0) / 1000).toFixed(0)} s, checked ${measured.length} in ${((performance.now() - t1) / 1000).toFixed(0)} s`);
  show(`  hamlet ${name}`, own);
  if (!withSa) return { own };
  const t2 = performance.now();
  const key = trainingKey(training);
  const answers = await saWithBayes(saDatabase(training, key), key, measured.map((m) => m.file));
  const sa = tally(measured, answers.map((a) => a.spam));
  console.log(`${name}: SpamAssassin (database ${key}, answers cached by content) in ${((performance.now() - t2) / 1000).toFixed(0)} s`);
  show(`  spamassassin ${name}`, sa);
  return { own, sa };
}

export async function bayesPart(withSa: boolean): Promise<BayesFigures> {
  const sa = withSa && (await haveSpamAssassin());
  if (withSa && !sa) console.log('SpamAssassin is not installed: its side is skipped');
  const train = groupSet(['spam-1', 'easy-ham-1']);
  const test = await measure('TEST (Bayes on TRAIN)', train, groupSet(['easy-ham-2', 'hard-ham-1', 'spam-2']), sa);
  if (!modernCorpusAvailable()) throw new Error('the modern corpus (../shared/corpora/modern-2019.tar.xz) is missing');
  const dev = modernMessages({ part: 'dev' }).map((m) => ({ file: m.file, spam: m.label === 'spam' }));
  const measured = modernMessages({ part: 'measure' }).map((m) => ({ file: m.file, spam: m.label === 'spam' }));
  const modern = await measure('modern measure (Bayes on TRAIN + dev)', [...train, ...dev], measured, sa);
  return { test: test.own, saTest: test.sa, modern: modern.own, saModern: modern.sa };
}
