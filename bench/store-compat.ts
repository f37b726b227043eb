/**
 * bench:store-compat — SpamAssassin and hamlet sharing one Bayes server: sa-learn trains TRAIN
 * (spam-1, easy-ham-1) into one database and hamlet-learn into another; then real spamd and
 * hamletd (stock rules, -L, auto-learn and AWL off, 2 workers each) classify the same TEST
 * messages from each database through real `spamc -y`, and the BAYES_ rule each one hits is
 * compared. Target: the same bucket on >= 99% of messages, both ways.
 *
 * Usage: npm run bench:store-compat -- --backend redis|pg [--sample N | --all] [--clients C] [--fresh]
 * (`--fresh` retrains sa-learn instead of loading its cached database; see lib/bench-store.ts)
 */
import { corpusFiles } from '../test/helpers/corpus';
import { TEST_GROUPS, parseMagic, timed, ROOT } from './lib/bayes-train';
import { startBenchStore, saLearnTrain, hamletLearnTrain, STOCK_CONFIG, type BackendKind, type BenchStore } from './lib/bench-store';
import { startHamletd } from './lib/hamletd-run';
import { LOCAL_ONLY_CF } from './lib/local-only';
import { runSpamcLanes, type SpamcRun } from './lib/spamc-lanes';
import { haveSpamd, startSpamd } from './lib/spamd-run';
import { join } from 'node:path';

function arg(name: string, dflt: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1]! : dflt;
}

/** Bayes on, learning off, the store's lines: what both servers read. */
const scanCf = (store: BenchStore, db: number): string => ['use_bayes 1', 'bayes_auto_learn 0', store.cf(db)].join('\n');

const bayesHit = (r: SpamcRun): string => /(?:^|,)(BAYES_\d+)(?:,|$)/.exec(r.out)?.[1] ?? '-';

interface Agreement {
  readonly same: number;
  readonly both: number;
  readonly withBayes: number;
  readonly differ: string[];
}

/** Both servers classify `files` from database `db`; how often their BAYES_ rules agree. */
async function compare(store: BenchStore, db: number, files: readonly string[], clients: number): Promise<Agreement> {
  const spamcArgs = (port: number) => ['-d', '127.0.0.1', '-p', String(port), '-y', '-t', '60'];
  const hd = await startHamletd({ rules: '/usr/share/spamassassin', site: '/etc/spamassassin', cf: `${LOCAL_ONLY_CF}\n${scanCf(store, db)}`, args: ['-m', '2'] });
  let hy;
  try {
    hy = await runSpamcLanes(files, clients, spamcArgs(hd.port));
  } finally {
    await hd.stop();
  }
  const sd = await startSpamd({ children: 2, extraCf: scanCf(store, db) });
  let sy;
  try {
    sy = await runSpamcLanes(files, clients, spamcArgs(sd.port));
  } finally {
    await sd.stop();
  }
  const sa = new Map(sy.runs.map((r) => [r.file, bayesHit(r)]));
  let same = 0;
  let both = 0;
  let withBayes = 0;
  const differ: string[] = [];
  for (const r of hy.runs) {
    const other = sa.get(r.file);
    if (other === undefined || r.code > 1) continue;
    both++;
    if (other !== '-') withBayes++;
    if (other === bayesHit(r)) same++;
    else if (differ.length < 5) differ.push(`${r.file.split('/').slice(-2).join('/')}: spamd ${other}, hamletd ${bayesHit(r)}`);
  }
  return { same, both, withBayes, differ };
}

function magic(store: BenchStore, db: number): string {
  const cf = store.cf(db).split('\n').flatMap((l) => ['--cf', l]);
  const m = parseMagic(timed(process.execPath, [join(ROOT, 'bin', 'hamlet-learn.js'), ...STOCK_CONFIG, ...cf, '--dump', 'magic']).stdout);
  return `nspam ${m.get('nspam')}, nham ${m.get('nham')}`;
}

async function main(): Promise<void> {
  const kind = arg('--backend', 'redis') as BackendKind;
  if (!(await haveSpamd())) throw new Error('bench:store-compat needs spamd and spamc');
  const clients = Number(arg('--clients', '4'));
  const all = TEST_GROUPS.flatMap((g) => corpusFiles(g));
  const sample = process.argv.includes('--all') ? all.length : Number(arg('--sample', '600'));
  const step = Math.max(1, Math.floor(all.length / sample));
  const files = all.filter((_f, i) => i % step === 0).slice(0, sample);
  const store = await startBenchStore(kind);
  try {
    const sa = await saLearnTrain(store, 1, { fresh: process.argv.includes('--fresh') });
    console.log(`sa-learn TRAIN into ${kind} db 1: ${sa.messages} messages in ${sa.seconds.toFixed(1)} s${sa.cached ? ' (cached run)' : ''}; ${magic(store, 1)}`);
    const hl = await hamletLearnTrain(store, 2);
    console.log(`hamlet-learn TRAIN into ${kind} db 2: ${hl.messages} messages in ${hl.seconds.toFixed(1)} s; ${magic(store, 2)}`);
    const results: [string, Agreement][] = [];
    for (const [db, who] of [[1, 'sa_trained'], [2, 'hamlet_trained']] as const) {
      const a = await compare(store, db, files, clients);
      results.push([who, a]);
      console.log(`${who}: ${files.length} TEST messages, same BAYES_ rule on ${a.same}/${a.both} (${((100 * a.same) / a.both).toFixed(2)}%), ${a.withBayes} with a BAYES_ hit`);
      for (const d of a.differ) console.log(`  ${d}`);
    }
    const pct = (a: Agreement) => ((100 * a.same) / Math.max(1, a.both)).toFixed(2);
    console.log(`RESULT store_compat backend=${kind} messages=${files.length} ${results.map(([w, a]) => `${w}_same_bucket_pct=${pct(a)}`).join(' ')} sa_learn_s=${sa.seconds.toFixed(1)} hamlet_learn_s=${hl.seconds.toFixed(1)}`);
  } finally {
    await store.stop();
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
