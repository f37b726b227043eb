/**
 * bench:bayes — classify TEST (easy-ham-2, hard-ham-1, spam-2) with the databases
 * bench:learn trained (trained now when missing): real SpamAssassin's Bayes
 * (bench/sa/bayes.pl, on a copy of its database) against hamlet's. Then the
 * compatibility check: `sa-learn --backup` restored with `hamlet-learn --restore`
 * must give the same `--dump magic` counts and the same buckets.
 *
 * It also reports what classifying costs hamlet per message in CPU (classify_us: tokenizing
 * with warm caches, the store read, ranking and combining; lookup_us: the store read alone),
 * as a long-running scanner pays it.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bayesSettings, bayesTokens, openBayesStore, classify } from '../src/bayes/index';
import { readConfig } from '../src/config/load';
import { parseMessage } from '../src/message/parse';
import { corpusFiles } from '../test/helpers/corpus';
import { HAMLET_DIR, haveSaLearn, parseMagic, ROOT, SA_DIR, TEST_GROUPS, trainHamlet, trainSa, WORK } from './lib/bayes-train';

const BUCKETS: ReadonlyArray<[string, number]> = [
  ['00', 0.01], ['05', 0.05], ['20', 0.2], ['40', 0.4], ['50', 0.6], ['60', 0.8], ['80', 0.95], ['95', 0.99], ['99', 0.999], ['999', 1],
];

/** The BAYES_ rule a probability lands in (BAYES_999 counted apart from BAYES_99), or 'none'. */
function bucket(p: number | undefined): string {
  if (p === undefined) return 'none';
  for (const [name, max] of BUCKETS) if (p <= max) return name;
  return '999';
}

interface Sample {
  path: string;
  spam: boolean;
}

function saScores(dbDir: string, files: readonly string[]): Map<string, number | undefined> {
  // Scanning touches token atimes: SpamAssassin works on a copy so the cached database stays as trained.
  const tmp = mkdtempSync(join(tmpdir(), 'hamlet-sa-bayes-'));
  try {
    cpSync(dbDir, tmp, { recursive: true });
    const r = spawnSync('perl', [join(ROOT, 'bench', 'sa', 'bayes.pl'), 'score', join(tmp, 'bayes')], {
      input: files.join('\n') + '\n',
      encoding: 'latin1',
      maxBuffer: 1 << 28,
    });
    if (r.status !== 0) throw new Error(`bayes.pl failed: ${r.stderr.slice(-2000)}`);
    const out = new Map<string, number | undefined>();
    for (const line of r.stdout.split('\n')) {
      if (!line) continue;
      const [path = '', p = ''] = line.split('\t');
      out.set(path, p === '' ? undefined : Number(p));
    }
    return out;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** CPU microseconds per message of hamlet's classification, as a long-running scanner pays it. */
interface ClassifyCost {
  /** classify(): tokenize (parse views and word caches already warm), the store read, ranking. */
  classifyUs: number;
  /** The store read alone (`lookup`: message counts and token counts, one statement). */
  lookupUs: number;
}

async function hamletScores(dbPath: string, samples: readonly Sample[]): Promise<{ scores: Map<string, number | undefined>; cost: ClassifyCost }> {
  const settings = bayesSettings(readConfig({ configPath: '/usr/share/spamassassin', siteConfigPath: '/etc/spamassassin' }).options);
  const store = openBayesStore(settings, { path: dbPath, readonly: true });
  const out = new Map<string, number | undefined>();
  const cpuUs = (): number => {
    const c = process.cpuUsage();
    return c.user + c.system;
  };
  let classifyUs = 0;
  let lookupUs = 0;
  try {
    for (const s of samples) {
      const msg = parseMessage(readFileSync(s.path));
      // Untimed first pass: the message's lazy views (rendered body, URIs, relays) belong to the scan.
      const hashes = bayesTokens(msg, settings);
      let t = cpuUs();
      out.set(s.path, (await classify(store, msg, settings))?.probability);
      classifyUs += cpuUs() - t;
      t = cpuUs();
      await store.lookup(hashes);
      lookupUs += cpuUs() - t;
    }
  } finally {
    await store.close();
  }
  return { scores: out, cost: { classifyUs: classifyUs / samples.length, lookupUs: lookupUs / samples.length } };
}

interface Summary {
  ham: Map<string, number>;
  spam: Map<string, number>;
  fp: number;
  fn: number;
}

function summarize(samples: readonly Sample[], scores: Map<string, number | undefined>): Summary {
  const s: Summary = { ham: new Map(), spam: new Map(), fp: 0, fn: 0 };
  for (const m of samples) {
    const p = scores.get(m.path);
    const b = bucket(p);
    const tally = m.spam ? s.spam : s.ham;
    tally.set(b, (tally.get(b) ?? 0) + 1);
    if (!m.spam && p !== undefined && p >= 0.5) s.fp++;
    if (m.spam && (p === undefined || p < 0.5)) s.fn++;
  }
  return s;
}

function sameBucket(samples: readonly Sample[], a: Map<string, number | undefined>, b: Map<string, number | undefined>): number {
  let same = 0;
  for (const m of samples) if (bucket(a.get(m.path)) === bucket(b.get(m.path))) same++;
  return same / samples.length;
}

function table(name: string, s: Summary): string {
  const cols = ['00', '05', '20', '40', '50', '60', '80', '95', '99', '999', 'none'];
  return [
    `${name.padEnd(16)} ${cols.map((c) => c.padStart(5)).join('')}`,
    `${'  ham'.padEnd(16)} ${cols.map((c) => String(s.ham.get(c) ?? 0).padStart(5)).join('')}   fp=${s.fp}`,
    `${'  spam'.padEnd(16)} ${cols.map((c) => String(s.spam.get(c) ?? 0).padStart(5)).join('')}   fn=${s.fn}`,
  ].join('\n');
}

async function main(): Promise<void> {
  if (!haveSaLearn()) {
    console.error('bench:bayes: SpamAssassin is not installed; cannot compare');
    process.exitCode = 1;
    return;
  }
  if (!existsSync(join(SA_DIR, 'bayes_toks'))) trainSa();
  if (!existsSync(join(HAMLET_DIR, 'bayes.sqlite'))) trainHamlet();
  const samples: Sample[] = TEST_GROUPS.flatMap((g) => corpusFiles(g).map((path) => ({ path, spam: g.startsWith('spam') })));
  const files = samples.map((s) => s.path);

  // SpamAssassin's scores are cached next to its database (it takes minutes); retraining drops them.
  const t0 = performance.now();
  const cache = join(WORK, 'sa-scores.json');
  let sa: Map<string, number | undefined>;
  if (existsSync(cache) && statSync(cache).mtimeMs > statSync(join(SA_DIR, 'bayes_toks')).mtimeMs) {
    sa = new Map(Object.entries(JSON.parse(readFileSync(cache, 'utf8')) as Record<string, number | null>).map(([k, v]) => [k, v ?? undefined]));
    console.log(`SpamAssassin scores from ${cache}`);
  } else {
    sa = saScores(SA_DIR, files);
    writeFileSync(cache, JSON.stringify(Object.fromEntries([...sa].map(([k, v]) => [k, v ?? null]))));
  }
  const t1 = performance.now();
  const { scores: ham, cost } = await hamletScores(join(HAMLET_DIR, 'bayes.sqlite'), samples);
  const t2 = performance.now();
  const saSum = summarize(samples, sa);
  const hSum = summarize(samples, ham);
  console.log(`TEST: ${samples.filter((s) => !s.spam).length} ham, ${samples.filter((s) => s.spam).length} spam; SpamAssassin ${((t1 - t0) / 1000).toFixed(1)} s, hamlet ${((t2 - t1) / 1000).toFixed(1)} s`);
  writeFileSync(
    join(WORK, 'scores.tsv'),
    samples.map((m) => `${m.path}\t${m.spam ? 'spam' : 'ham'}\t${sa.get(m.path) ?? ''}\t${ham.get(m.path) ?? ''}`).join('\n') + '\n',
  );
  console.log(table('SpamAssassin', saSum));
  console.log(table('hamlet', hSum));
  console.log(`hamlet classify: ${cost.classifyUs.toFixed(0)} us CPU/msg (tokenize warm + store read + ranking), of which the store read ${cost.lookupUs.toFixed(0)} us`);

  // Restore: sa-learn --backup -> hamlet-learn --restore.
  const restoreDir = join(WORK, 'restored');
  rmSync(restoreDir, { recursive: true, force: true });
  const backupFile = join(WORK, 'sa-backup.txt');
  const bk = spawnSync('sa-learn', ['-L', '--dbpath', join(SA_DIR, 'bayes'), '--backup'], { encoding: 'latin1', maxBuffer: 1 << 30 });
  if (bk.status !== 0) throw new Error(`sa-learn --backup failed: ${bk.stderr}`);
  writeFileSync(backupFile, bk.stdout, 'latin1');
  const learnCli = join(ROOT, 'bin', 'hamlet-learn.js');
  const rs = spawnSync('node', [learnCli, '--dbpath', join(restoreDir, 'bayes'), '--restore', backupFile], { encoding: 'utf8' });
  if (rs.status !== 0) throw new Error(`hamlet-learn --restore failed: ${rs.stderr}`);
  const saMagic = parseMagic(spawnSync('sa-learn', ['-L', '--dbpath', join(SA_DIR, 'bayes'), '--dump', 'magic'], { encoding: 'utf8' }).stdout);
  const hMagic = parseMagic(spawnSync('node', [learnCli, '--dbpath', join(restoreDir, 'bayes'), '--dump', 'magic'], { encoding: 'utf8' }).stdout);
  const keys = ['bayes db version', 'nspam', 'nham', 'ntokens', 'oldest atime', 'newest atime'];
  const magicSame = keys.every((k) => saMagic.get(k) === hMagic.get(k));
  for (const k of keys) console.log(`magic ${k.padEnd(18)} sa=${saMagic.get(k)} hamlet-restored=${hMagic.get(k)}`);
  const restored = (await hamletScores(join(restoreDir, 'bayes.sqlite'), samples)).scores;
  console.log(table('hamlet(restored)', summarize(samples, restored)));

  const same = sameBucket(samples, sa, ham);
  const sameRestored = sameBucket(samples, sa, restored);
  console.log(
    `RESULT bayes same_bucket=${same.toFixed(4)} fp=${hSum.fp} fn=${hSum.fn} sa_fp=${saSum.fp} sa_fn=${saSum.fn} ` +
      `restore_same_bucket=${sameRestored.toFixed(4)} restore_magic_same=${magicSame ? 1 : 0} classify_us=${cost.classifyUs.toFixed(0)} lookup_us=${cost.lookupUs.toFixed(0)}`,
  );
}

void main();
