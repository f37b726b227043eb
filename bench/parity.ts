/**
 * bench:parity — real SpamAssassin 4.0.1 and hamlet, same rule files, same
 * corpus, local tests only, Bayes and AWL off. Prints the share of messages
 * whose hit lists are identical (over the rules both engines ran), the share
 * whose scores agree within 0.1, and the rules that disagree most.
 *
 * Usage: npm run bench:parity [-- --rules DIR --site DIR --limit N]
 * HAMLET_SA_CACHE=file reuses SpamAssassin's verdicts between runs (development only).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { loadConfig, scan } from '../src/index';
import { CORPUS_GROUPS, corpusFiles } from '../test/helpers/corpus';
import { LOCAL_ONLY_CF } from './lib/local-only';
import { haveSpamAssassin, parseSaOutput, runSaCheck, type SaVerdict } from './lib/sa-check';


function arg(name: string, dflt: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1]! : dflt;
}

async function saVerdicts(files: readonly string[], rules: string, site: string): Promise<SaVerdict[]> {
  const cache = process.env.HAMLET_SA_CACHE;
  if (cache && existsSync(cache)) {
    const byPath = new Map(parseSaOutput(readFileSync(cache, 'utf8')).map((v) => [v.path, v]));
    if (files.every((f) => byPath.has(f))) return files.map((f) => byPath.get(f)!);
  }
  const v = await runSaCheck(files, { rules, site, shards: 2 });
  if (cache) {
    writeFileSync(cache, v.map((x) => `${x.path}\t${x.error ? 'ERROR' : x.score.toFixed(3)}\t${x.tests.join(',')}\t${x.subtests.join(',')}\n`).join(''));
  }
  return v;
}

async function main(): Promise<void> {
  const rulesDir = arg('--rules', '/usr/share/spamassassin');
  const site = arg('--site', '/etc/spamassassin');
  const limit = Number(arg('--limit', '0'));
  if (!(await haveSpamAssassin())) throw new Error('bench:parity needs SpamAssassin 4.0.1 (apt-get install spamassassin)');
  let files = CORPUS_GROUPS.flatMap((g) => corpusFiles(g));
  if (limit > 0) files = files.filter((_f, i) => i % Math.ceil(files.length / limit) === 0);

  const t0 = performance.now();
  const sa = await saVerdicts(files, rulesDir, site);
  const saSeconds = (performance.now() - t0) / 1000;
  const rs = loadConfig({ configPath: rulesDir, siteConfigPath: site, extraText: LOCAL_ONLY_CF });
  const ran = new Set([...rs.compiled.rules, ...rs.compiled.metas].map((r) => r.name));

  let identical = 0;
  let close = 0;
  let compared = 0;
  const missed = new Map<string, number>(); // SA hit, hamlet did not
  const extra = new Map<string, number>(); // hamlet hit, SA did not
  const bump = (m: Map<string, number>, k: string): void => void m.set(k, (m.get(k) ?? 0) + 1);
  const t1 = performance.now();
  for (let i = 0; i < files.length; i++) {
    const v = sa[i]!;
    if (v.error) continue;
    compared++;
    const r = scan(readFileSync(files[i]!), rs);
    const ours = new Set(r.tests.filter((t) => ran.has(t)));
    const theirs = new Set(v.tests.filter((t) => ran.has(t)));
    let same = ours.size === theirs.size;
    for (const t of theirs) if (!ours.has(t)) { same = false; bump(missed, t); }
    for (const t of ours) if (!theirs.has(t)) { same = false; bump(extra, t); }
    if (same) identical++;
    if (Math.abs(r.score - v.score) <= 0.1 + 1e-9) close++;
  }
  const hamletSeconds = (performance.now() - t1) / 1000;
  const worst = [...new Set([...missed.keys(), ...extra.keys()])]
    .map((k) => ({ k, miss: missed.get(k) ?? 0, extra: extra.get(k) ?? 0 }))
    .sort((a, b) => b.miss + b.extra - (a.miss + a.extra))
    .slice(0, 20);
  console.log(`rules: ${ran.size} active in hamlet, ${rs.disabled.length} disabled (compared over the active ones)`);
  console.log(`SpamAssassin: ${compared} messages in ${saSeconds.toFixed(1)} s; hamlet: ${hamletSeconds.toFixed(1)} s (parse + scan)`);
  console.log('rules that disagree most (SA-only hits / hamlet-only hits):');
  for (const w of worst) console.log(`  ${w.k.padEnd(32)} ${String(w.miss).padStart(5)} ${String(w.extra).padStart(5)}`);
  const share = (n: number): string => (n / Math.max(1, compared)).toFixed(4);
  console.log(`RESULT parity messages=${compared} identical=${share(identical)} score_within_0.1=${share(close)}`);
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
