/**
 * bench:parity — real SpamAssassin 4.0.1 and hamlet, same rule files, local tests only, Bayes and
 * AWL off, over the 2002 corpus and the stripped modern corpus (all 4,000 messages: parity
 * writes no rules, so both parts are compared). Prints per corpus the share of messages whose hit
 * lists are identical (over the rules both engines ran), the share whose scores agree within
 * 0.1, the share with the same verdict, and the rules that disagree most.
 *
 * SpamAssassin's verdicts are cached per message (bench/lib/sa-cache.ts), so reruns scan only
 * messages it has not seen. HAMLET_SA_CACHE=file also writes them as one list (bench/rule-diff.ts reads it).
 *
 * Usage: npm run bench:parity [-- --rules DIR --site DIR --limit N --old-limit N --seed FILE... --seed-alone FILE...]
 * `--limit N`: about N messages of each corpus (every k-th); `--old-limit N`: of the 2002 corpus only.
 * `--seed FILE`: check.pl output from an earlier run with the same rules, put into the cache first
 * (`--seed-alone FILE`: output of one check.pl process per message, for the messages that need it).
 */
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { loadConfig, scan, type RuleSet } from '../src/index';
import { CORPUS_GROUPS, corpusFiles } from '../test/helpers/corpus';
import { modernCorpusAvailable, modernMessages } from '../test/helpers/modern-corpus';
import { HitDiff } from './lib/hit-diff';
import { LOCAL_ONLY_CF } from './lib/local-only';
import { cachedSaVerdicts, seedSaCache } from './lib/sa-cache';
import { haveSpamAssassin, parseSaOutput, type SaCheckOptions, type SaVerdict } from './lib/sa-check';

function arg(name: string, dflt: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1]! : dflt;
}

/** One corpus compared. */
interface Comparison {
  readonly diff: HitDiff;
  readonly close: number;
  readonly sameVerdict: number;
  readonly hamletSeconds: number;
  /** Messages each side hit the watched rule on. */
  readonly watched: { sa: Set<string>; ours: Set<string> };
}

/** The rule the modern corpus must fire on the same messages in both (rule captures). */
const WATCHED = 'GB_CUSTOM_HTM_URI';

function compare(files: readonly string[], sa: readonly SaVerdict[], rs: RuleSet, ran: ReadonlySet<string>): Comparison {
  const diff = new HitDiff();
  let close = 0;
  let sameVerdict = 0;
  const watched = { sa: new Set<string>(), ours: new Set<string>() };
  const required = rs.compiled.settings.requiredScore;
  const t0 = performance.now();
  for (let i = 0; i < files.length; i++) {
    const v = sa[i]!;
    if (v.error) continue;
    const r = scan(readFileSync(files[i]!), rs);
    diff.add(v.tests, r.tests, (t) => ran.has(t), files[i]);
    if (Math.abs(r.score - v.score) <= 0.1 + 1e-9) close++;
    if (r.isSpam === v.score >= required) sameVerdict++;
    if (v.tests.includes(WATCHED)) watched.sa.add(files[i]!);
    if (r.tests.includes(WATCHED)) watched.ours.add(files[i]!);
  }
  return { diff, close, sameVerdict, hamletSeconds: (performance.now() - t0) / 1000, watched };
}

function show(label: string, c: Comparison, saSeconds: number): void {
  const d = c.diff;
  console.log(`${label}: ${d.compared} messages; SpamAssassin ${saSeconds.toFixed(1)} s (cache misses only), hamlet ${c.hamletSeconds.toFixed(1)} s (parse + scan)`);
  console.log(`  identical ${(d.share() * 100).toFixed(2)}%, same verdict ${((c.sameVerdict / Math.max(1, d.compared)) * 100).toFixed(2)}%`);
  console.log('  rules that disagree most (SA-only hits / hamlet-only hits):');
  for (const [k, miss, extra] of d.worst(20)) console.log(`    ${k.padEnd(32)} ${String(miss).padStart(5)} ${String(extra).padStart(5)}  e.g. ${d.example.get(k)}`);
}

async function verdicts(files: readonly string[], opts: SaCheckOptions, label: string): Promise<{ sa: SaVerdict[]; seconds: number }> {
  const t0 = performance.now();
  const sa = await cachedSaVerdicts(files, opts, (n) => n > 0 && console.log(`${label}: SpamAssassin scans ${n} message(s) not in its cache`));
  const list = process.env.HAMLET_SA_CACHE;
  if (list) appendFileSync(list, sa.map((x) => `${x.path}\t${x.error ? 'ERROR' : x.score.toFixed(3)}\t${x.tests.join(',')}\t${x.subtests.join(',')}\n`).join(''));
  return { sa, seconds: (performance.now() - t0) / 1000 };
}

async function main(): Promise<void> {
  const rulesDir = arg('--rules', '/usr/share/spamassassin');
  const site = arg('--site', '/etc/spamassassin');
  const limit = Number(arg('--limit', '0'));
  const oldLimit = Number(arg('--old-limit', String(limit)));
  if (!(await haveSpamAssassin())) throw new Error('bench:parity needs SpamAssassin 4.0.1 (apt-get install spamassassin)');
  const opts: SaCheckOptions = { rules: rulesDir, site, shards: 2 };
  process.argv.forEach((a, i) => {
    if (a !== '--seed' && a !== '--seed-alone') return;
    const file = process.argv[i + 1]!;
    console.log(`seeded ${seedSaCache(parseSaOutput(readFileSync(file, 'utf8')), opts, a === '--seed-alone')} verdict(s) from ${file}`);
  });
  const sample = (files: string[], n: number): string[] => (n > 0 ? files.filter((_f, i) => i % Math.ceil(files.length / n) === 0) : files);
  const old = sample(CORPUS_GROUPS.flatMap((g) => corpusFiles(g)), oldLimit);
  const modern = modernCorpusAvailable() ? sample(modernMessages().map((m) => m.file), limit) : [];
  if (modern.length === 0) console.log('modern corpus not found (../shared/corpora/modern-2019.tar.xz): comparing the 2002 corpus only');
  if (process.env.HAMLET_SA_CACHE) writeFileSync(process.env.HAMLET_SA_CACHE, '');

  const saOld = await verdicts(old, opts, '2002');
  const saModern = await verdicts(modern, opts, 'modern');
  const rs = loadConfig({ configPath: rulesDir, siteConfigPath: site, extraText: LOCAL_ONLY_CF });
  const ran = new Set([...rs.compiled.rules, ...rs.compiled.metas].map((r) => r.name));
  console.log(`rules: ${ran.size} active in hamlet, ${rs.disabled.length} disabled (compared over the active ones)`);

  const a = compare(old, saOld.sa, rs, ran);
  show('2002 corpus', a, saOld.seconds);
  const b = compare(modern, saModern.sa, rs, ran);
  show('modern corpus', b, saModern.seconds);
  const onlySa = [...b.watched.sa].filter((f) => !b.watched.ours.has(f));
  const onlyUs = [...b.watched.ours].filter((f) => !b.watched.sa.has(f));
  console.log(`${WATCHED} on the modern corpus: SpamAssassin ${b.watched.sa.size}, hamlet ${b.watched.ours.size}, SpamAssassin only ${onlySa.length}, hamlet only ${onlyUs.length}`);
  for (const f of [...onlySa, ...onlyUs].slice(0, 10)) console.log(`  ${onlySa.includes(f) ? 'sa-only ' : 'ham-only'} ${f}`);

  const share = (n: number, of: number): string => (n / Math.max(1, of)).toFixed(4);
  const n = a.diff.compared;
  const m = b.diff.compared;
  console.log(
    `RESULT parity messages=${n} identical=${share(a.diff.identical, n)} score_within_0.1=${share(a.close, n)} ` +
      `modern_messages=${m} modern_identical=${share(b.diff.identical, m)} modern_same_verdict=${share(b.sameVerdict, m)}`,
  );
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
