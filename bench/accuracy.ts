/**
 * bench:accuracy — false positives and false negatives over the whole public
 * corpus at the default threshold, Bayes and network tests off (score set 0),
 * for hamlet's own rules (`rules/`) and for the stock SpamAssassin rules
 * (/usr/share/spamassassin + /etc/spamassassin), both run by hamlet's engine.
 * Also the TRAIN / TEST split the own rules were tuned on (see rules/README.md).
 *
 * Usage: npm run bench:accuracy [-- --own-only] [--per-rule] [--near N]
 *   --per-rule  hits per own rule on ham and spam, TRAIN and TEST apart (for tuning)
 *   --near N    list ham scoring at least N with the own rules (margin check)
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { DEFAULT_RULES_DIR, loadConfig, scan, type RuleSet, type ScanResult } from '../src/index';
import { CORPUS_GROUPS, corpusFiles, type CorpusGroup } from '../test/helpers/corpus';
import { LOCAL_ONLY_CF } from './lib/local-only';

/** The split used while writing the own rules: tune on TRAIN, check on TEST. */
const TRAIN: ReadonlySet<CorpusGroup> = new Set(['easy-ham-1', 'spam-1']);

interface Tally {
  ham: number;
  spam: number;
  fp: number;
  fn: number;
}

const isSpamGroup = (g: CorpusGroup): boolean => g.startsWith('spam');

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

function newTally(): Tally {
  return { ham: 0, spam: 0, fp: 0, fn: 0 };
}

function add(t: Tally, spam: boolean, r: ScanResult): void {
  if (spam) {
    t.spam++;
    if (!r.isSpam) t.fn++;
  } else {
    t.ham++;
    if (r.isSpam) t.fp++;
  }
}

function line(label: string, t: Tally): string {
  const caught = t.spam === 0 ? 0 : (100 * (t.spam - t.fn)) / t.spam;
  return `${label.padEnd(26)} ham=${String(t.ham).padStart(4)} fp=${String(t.fp).padStart(3)}  spam=${String(t.spam).padStart(4)} fn=${String(t.fn).padStart(4)}  caught=${caught.toFixed(1)}%`;
}

interface RunOut {
  all: Tally;
  train: Tally;
  test: Tally;
}

function run(label: string, rs: RuleSet, files: ReadonlyArray<[CorpusGroup, string]>, perRule: boolean, near: number | undefined): RunOut {
  const out: RunOut = { all: newTally(), train: newTally(), test: newTally() };
  const hits = new Map<string, [number, number, number, number]>();
  const t0 = performance.now();
  for (const [group, file] of files) {
    const spam = isSpamGroup(group);
    const r = scan(readFileSync(file), rs, { scoreSet: 0 });
    add(out.all, spam, r);
    add(TRAIN.has(group) ? out.train : out.test, spam, r);
    if (perRule) {
      for (const name of r.tests) {
        const h = hits.get(name) ?? [0, 0, 0, 0];
        const k = (TRAIN.has(group) ? 0 : 2) + (spam ? 1 : 0);
        h[k] = h[k]! + 1;
        hits.set(name, h);
      }
    }
    if (near !== undefined && !spam && r.score >= near) console.log(`  near: ${group}/${basename(file)} ${r.score.toFixed(1)} ${r.tests.join(',')}`);
  }
  console.log(`${label}: ${((performance.now() - t0) / 1000).toFixed(0)} s`);
  console.log(line(`  ${label} whole corpus`, out.all));
  console.log(line(`  ${label} TRAIN`, out.train));
  console.log(line(`  ${label} TEST`, out.test));
  if (perRule) {
    for (const [name, [h, s, th, ts]] of [...hits].sort((a, b) => a[0].localeCompare(b[0]))) {
      console.log(`  rule ${name.padEnd(28)} train ham=${String(h).padStart(4)} spam=${String(s).padStart(4)}  test ham=${String(th).padStart(4)} spam=${String(ts).padStart(4)}`);
    }
  }
  return out;
}

function main(): void {
  const files: Array<[CorpusGroup, string]> = CORPUS_GROUPS.flatMap((g) => corpusFiles(g).map((f): [CorpusGroup, string] => [g, f]));
  const emptySite = mkdtempSync(join(tmpdir(), 'hamlet-site-'));
  const perRule = process.argv.includes('--per-rule');
  const nearArg = arg('--near');
  const near = nearArg === undefined ? undefined : Number(nearArg);

  const own = run('own', loadConfig({ configPath: DEFAULT_RULES_DIR, siteConfigPath: emptySite }), files, perRule, near);
  if (process.argv.includes('--own-only')) return;
  const stockRules = loadConfig({ configPath: '/usr/share/spamassassin', siteConfigPath: '/etc/spamassassin', extraText: LOCAL_ONLY_CF });
  const stock = run('stock', stockRules, files, false, undefined);
  console.log(
    `RESULT accuracy own_fp=${own.all.fp} own_fn=${own.all.fn} stock_fp=${stock.all.fp} stock_fn=${stock.all.fn} ham=${own.all.ham} spam=${own.all.spam}`,
  );
}

main();
