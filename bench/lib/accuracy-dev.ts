/**
 * bench:accuracy `--dev-hits FILE`: what scores are fitted on. Every message of the development
 * data (2002 TRAIN + the modern dev part; never TEST, never the modern measure part) is scanned
 * with hamlet's default rules and a Bayes database that did not learn it: two folds by a hash
 * of the path, each scanned with a database trained on the other. One line per message:
 * `source label bayes_probability rules_score tests` (tab-separated; rules_score is the score
 * without the BAYES_ rules), for a fitting tool or a hand look at the bands.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bayesForMessage, bayesSettings, openBayesStore } from '../../src/bayes/index';
import { DEFAULT_RULES_DIR, loadConfig, parseMessage, scan } from '../../src/index';
import { corpusFiles } from '../../test/helpers/corpus';
import { modernMessages } from '../../test/helpers/modern-corpus';
import { dropHamletDatabase, hamletDatabase, type Labelled } from './accuracy-bayes';

interface DevMessage extends Labelled {
  readonly source: 'train' | 'dev';
  readonly fold: 0 | 1;
}

export const foldOf = (path: string): 0 | 1 => (createHash('sha1').update(path).digest()[0]! & 1 ? 1 : 0);

function devMessages(): DevMessage[] {
  const train = (['spam-1', 'easy-ham-1'] as const).flatMap((g) => corpusFiles(g).map((file) => ({ file, spam: g === 'spam-1', source: 'train' as const, fold: foldOf(file) })));
  const dev = modernMessages({ part: 'dev' }).map((m) => ({ file: m.file, spam: m.label === 'spam', source: 'dev' as const, fold: foldOf(m.rel) }));
  return [...train, ...dev];
}

export async function writeDevHits(out: string): Promise<void> {
  const rules = loadConfig({ configPath: DEFAULT_RULES_DIR, siteConfigPath: mkdtempSync(join(tmpdir(), 'hamlet-site-')), extraText: 'bayes_auto_learn 0\nuse_auto_welcomelist 0' });
  const all = devMessages();
  const lines: string[] = [];
  for (const fold of [0, 1] as const) {
    const db = hamletDatabase(all.filter((m) => m.fold !== fold));
    const settings = bayesSettings({ ...rules.options, bayes_path: db });
    const store = openBayesStore(settings, { readonly: true });
    for (const m of all.filter((x) => x.fold === fold)) {
      const msg = parseMessage(readFileSync(m.file));
      const p = (await bayesForMessage(store, msg, settings, { touch: false })).probability(msg);
      const r = scan(msg, rules, { scoreSet: 0 });
      lines.push([m.source, m.spam ? 'spam' : 'ham', p === undefined ? '' : p.toFixed(5), r.score.toFixed(3), r.tests.join(',')].join('\t'));
    }
    await store.close();
    dropHamletDatabase(db);
    console.log(`dev hits: fold ${fold} done`);
  }
  writeFileSync(out, lines.join('\n') + '\n');
  console.log(`dev hits: ${lines.length} messages written to ${out}`);
}
