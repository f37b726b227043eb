/**
 * bench:accuracy — false positives and false negatives at the default threshold, network tests off.
 *
 * 1. Score set 0 (no Bayes) over the whole public corpus, for hamlet's own rules (`rules/`) and
 *    for the stock SpamAssassin rules (/usr/share/spamassassin + /etc/spamassassin), both run by
 *    hamlet's engine (`own_*`, `stock_*`), with the TRAIN / TEST split.
 * 2. With Bayes (bench/lib/accuracy-bayes.ts), each engine on its own rules and its own database
 *    trained on the same messages (hamlet-learn / real sa-learn), measured in the same run:
 *    trained on TRAIN (easy-ham-1 + spam-1), measured on TEST (easy-ham-2 + hard-ham-1 + spam-2):
 *    `test_*` / `sa_test_*`; trained on TRAIN + the modern corpus's dev part, measured on its
 *    measure part (stripped view): `modern_*` / `sa_modern_*`.
 *
 * Usage: npm run bench:accuracy [-- --own-only] [--no-sa] [--bayes-only] [--per-rule] [--near N]
 *   --own-only    hamlet's rules only: no stock rules at set 0, no SpamAssassin
 *   --no-sa       skip SpamAssassin with Bayes (its answers are cached by content anyway)
 *   --bayes-only  skip part 1
 *   --per-rule    hits per own rule on ham and spam, TRAIN and TEST apart (part 1)
 *   --near N      list ham scoring at least N with the own rules (part 1, margin check)
 *   --dev-hits F  only write the development data's rule hits and cross-validated Bayes
 *                 probabilities to F (bench/lib/accuracy-dev.ts), for fitting scores
 *   --dev-eval C  only the development data's FP / FN with Bayes (folds by path hash, and TRAIN
 *                 split by arrival date), the top ham, with --misses the missed spam,
 *                 with --dump F every message's probabilities and hits
 *                 (bench/lib/accuracy-dev-eval.ts); C caches the Bayes probabilities
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { DEFAULT_RULES_DIR, loadConfig, scan, type RuleSet, type ScanResult } from '../src/index';
import { CORPUS_GROUPS, corpusFiles, type CorpusGroup } from '../test/helpers/corpus';
import { LOCAL_ONLY_CF } from './lib/local-only';
import { writeDevHits } from './lib/accuracy-dev';
import { writeDevEval } from './lib/accuracy-dev-eval';
import { bayesPart, type BayesFigures, type Tally } from './lib/accuracy-bayes-part';

/** The split used while writing the own rules: tune on TRAIN, check on TEST. */
const TRAIN: ReadonlySet<CorpusGroup> = new Set(['easy-ham-1', 'spam-1']);


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

async function main(): Promise<void> {
  const devHits = arg('--dev-hits');
  if (devHits !== undefined) return writeDevHits(devHits);
  const devEval = arg('--dev-eval');
  if (devEval !== undefined) return writeDevEval(devEval, { misses: process.argv.includes('--misses'), dump: arg('--dump') });
  const ownOnly = process.argv.includes('--own-only');
  const withSa = !ownOnly && !process.argv.includes('--no-sa');
  const set0 = process.argv.includes('--bayes-only') ? undefined : setZero(ownOnly);
  const b: BayesFigures = await bayesPart(withSa);
  const na = (n: number | undefined): string => (n === undefined ? 'NA' : String(n));
  console.log(
    `RESULT accuracy own_fp=${na(set0?.own.all.fp)} own_fn=${na(set0?.own.all.fn)} stock_fp=${na(set0?.stock?.all.fp)} stock_fn=${na(set0?.stock?.all.fn)} ham=${na(set0?.own.all.ham)} spam=${na(set0?.own.all.spam)}` +
      ` test_fp=${b.test.fp} test_fn=${b.test.fn} sa_test_fp=${na(b.saTest?.fp)} sa_test_fn=${na(b.saTest?.fn)}` +
      ` modern_fp=${b.modern.fp} modern_fn=${b.modern.fn} sa_modern_fp=${na(b.saModern?.fp)} sa_modern_fn=${na(b.saModern?.fn)}`,
  );
}

/** Part 1: score set 0 over the whole public corpus. */
function setZero(ownOnly: boolean): { own: RunOut; stock?: RunOut } {
  const files: Array<[CorpusGroup, string]> = CORPUS_GROUPS.flatMap((g) => corpusFiles(g).map((f): [CorpusGroup, string] => [g, f]));
  const emptySite = mkdtempSync(join(tmpdir(), 'hamlet-site-'));
  const perRule = process.argv.includes('--per-rule');
  const nearArg = arg('--near');
  const near = nearArg === undefined ? undefined : Number(nearArg);

  const own = run('own', loadConfig({ configPath: DEFAULT_RULES_DIR, siteConfigPath: emptySite }), files, perRule, near);
  if (ownOnly) return { own };
  const stockRules = loadConfig({ configPath: '/usr/share/spamassassin', siteConfigPath: '/etc/spamassassin', extraText: LOCAL_ONLY_CF });
  return { own, stock: run('stock', stockRules, files, false, undefined) };
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
