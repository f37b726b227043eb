/**
 * bench:feedback — the corpus TEST messages (easy-ham-2, hard-ham-1, spam-2) replayed
 * in date order (Date header; ties by file name) through hamlet with the stock rules,
 * local tests only, starting each time from a copy of the TRAIN-trained Bayes database
 * (bench:learn's, trained here when missing): with the AWL and auto-learn off, then on;
 * and the "on" replay through real SpamAssassin 4.0.1 (a private spamd fed by spamc,
 * its own TRAIN-trained database copied, the AWL plugin loaded, use_auto_whitelist 1,
 * bayes_auto_learn 1). Prints false positives / negatives of each and how many messages
 * were auto-learned.
 *
 * Usage: npm run bench:feedback [-- --no-sa --limit N --rules DIR --site DIR]
 */
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, closeSync, copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { freePort, portOpen, stop } from './lib/spamd-run';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../src/config/load';
import { checkWithFeedback } from '../src/check/index';
import { openFeedbackStores } from '../src/learn/feedback';
import { markupOptionsFrom } from '../src/report/check';
import { corpusFiles } from '../test/helpers/corpus';
import { HAMLET_DIR, SA_DIR, TEST_GROUPS, trainHamlet, trainSa, haveSaLearn } from './lib/bayes-train';

function arg(name: string, dflt: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1]! : dflt;
}

/** Local tests only; Bayes stays on (the AWL and auto-learn are set per run). */
const LOCAL_CF = ['skip_rbl_checks 1', 'dns_available no', 'use_razor2 0', 'use_pyzor 0'];

interface Sample {
  readonly file: string;
  readonly spam: boolean;
}

/** The TEST messages by Date header (unparseable dates last), ties by file name. */
function replayOrder(limit: number): Sample[] {
  const all = TEST_GROUPS.flatMap((g) => corpusFiles(g).map((file) => ({ file, spam: g.startsWith('spam') })));
  const when = (f: string): number => {
    const head = readFileSync(f, 'latin1').split(/\r?\n\r?\n/, 1)[0]!;
    const m = /^Date:[ \t]*(.*(?:\r?\n[ \t].*)*)/im.exec(head);
    const t = m ? Date.parse(m[1]!.replace(/\s+/g, ' ').replace(/\s*\(.*\)\s*$/, '')) : NaN;
    return Number.isFinite(t) ? t : Number.MAX_SAFE_INTEGER;
  };
  const keyed = all.map((s) => ({ s, t: when(s.file), name: s.file.split('/').pop()! }));
  keyed.sort((a, b) => a.t - b.t || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const ordered = keyed.map((k) => k.s);
  return limit > 0 ? ordered.slice(0, limit) : ordered;
}

/** A site directory: the given site's files, plus (on) the AWL plugin loaded. */
function siteCopy(site: string, awl: boolean, extraCf: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'hamlet-feedback-site-'));
  for (const f of existsSync(site) ? readdirSync(site) : []) {
    if (f.endsWith('.pre') || f.endsWith('.cf')) copyFileSync(join(site, f), join(dir, f));
  }
  if (awl) writeFileSync(join(dir, 'zz_awl.pre'), 'loadplugin Mail::SpamAssassin::Plugin::AWL\n');
  writeFileSync(join(dir, 'zz_bench.cf'), extraCf + '\n');
  chmodSync(dir, 0o755);
  for (const f of readdirSync(dir)) chmodSync(join(dir, f), 0o644);
  return dir;
}

interface Tally {
  fp: number;
  fn: number;
  learned: number;
  errors: number;
  seconds: number;
}

async function hamletReplay(samples: readonly Sample[], rulesDir: string, site: string, on: boolean): Promise<Tally> {
  const work = mkdtempSync(join(tmpdir(), 'hamlet-feedback-'));
  copyFileSync(join(HAMLET_DIR, 'bayes.sqlite'), join(work, 'bayes.sqlite'));
  const cf = [...LOCAL_CF, `bayes_path ${join(work, 'bayes')}`, `auto_whitelist_path ${join(work, 'awl')}`, `use_auto_whitelist ${on ? 1 : 0}`, `bayes_auto_learn ${on ? 1 : 0}`].join('\n');
  const siteDir = siteCopy(site, on, cf);
  const rules = loadConfig({ configPath: rulesDir, siteConfigPath: siteDir });
  const settings = markupOptionsFrom(rules);
  const stores = openFeedbackStores(rules, { home: work });
  const t: Tally = { fp: 0, fn: 0, learned: 0, errors: 0, seconds: 0 };
  const t0 = performance.now();
  try {
    for (const [i, s] of samples.entries()) {
      try {
        const c = await checkWithFeedback(readFileSync(s.file), rules, stores, { settings });
        if (c.result.isSpam && !s.spam) t.fp++;
        if (!c.result.isSpam && s.spam) t.fn++;
        if (c.feedback.autolearn === 'spam' || c.feedback.autolearn === 'ham') t.learned++;
      } catch {
        t.errors++;
      }
      if ((i + 1) % 500 === 0) process.stderr.write(`hamlet ${on ? 'on' : 'off'}: ${i + 1}/${samples.length}\n`);
    }
  } finally {
    await stores.close();
    rmSync(siteDir, { recursive: true, force: true });
    rmSync(work, { recursive: true, force: true });
  }
  t.seconds = (performance.now() - t0) / 1000;
  return t;
}


/** The "on" replay through a private spamd (one child, so messages are learned in order). */
async function saReplay(samples: readonly Sample[], rulesDir: string, site: string): Promise<Tally> {
  const work = mkdtempSync(join(tmpdir(), 'hamlet-feedback-sa-'));
  cpSync(SA_DIR, join(work, 'db'), { recursive: true });
  const cf = [...LOCAL_CF, `bayes_path ${join(work, 'db', 'bayes')}`, `auto_whitelist_path ${join(work, 'db', 'awl')}`, 'use_auto_whitelist 1', 'bayes_auto_learn 1', 'bayes_file_mode 0777', 'auto_whitelist_file_mode 0777', 'lock_method flock'].join('\n');
  const siteDir = siteCopy(site, true, cf);
  // spamd runs as nobody when started as root: the databases must be writable by it.
  spawnSync('chmod', ['-R', 'a+rwX', work]);
  chmodSync(work, 0o777);
  const port = await freePort();
  const args = ['-L', '-x', '-i', '127.0.0.1', '-p', String(port), '-A', '127.0.0.1', '--max-children', '1', '--min-children', '1', '--min-spare', '0', '--max-spare', '1', '-s', 'stderr', '--siteconfigpath', siteDir, '-C', rulesDir];
  if (process.getuid?.() === 0) args.push('-u', 'nobody');
  const logPath = join(work, 'spamd.log');
  const logFd = openSync(logPath, 'w');
  const child = spawn('/usr/sbin/spamd', args, { stdio: ['ignore', 'ignore', logFd] });
  closeSync(logFd);
  const t: Tally = { fp: 0, fn: 0, learned: 0, errors: 0, seconds: 0 };
  try {
    const deadline = Date.now() + 120_000;
    while (!(await portOpen(port))) {
      if (child.exitCode !== null || Date.now() > deadline) throw new Error(`spamd did not start:\n${readFileSync(logPath, 'utf8').slice(-3000)}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    const t0 = performance.now();
    samples.forEach((s, i) => {
      const r = spawnSync('/usr/bin/spamc', ['-d', '127.0.0.1', '-p', String(port), '-s', '10000000'], { input: readFileSync(s.file), maxBuffer: 1 << 26 });
      const out = r.stdout.toString('latin1');
      const head = out.split(/\r?\n\r?\n/, 1)[0]!.replace(/\r?\n[ \t]+/g, ' ');
      const status = /^X-Spam-Status: (Yes|No), .*?autolearn=(\S+)/m.exec(head);
      if (!status) {
        t.errors++;
        return;
      }
      const spam = status[1] === 'Yes';
      if (spam && !s.spam) t.fp++;
      if (!spam && s.spam) t.fn++;
      if (status[2] === 'spam' || status[2] === 'ham') t.learned++;
      if ((i + 1) % 250 === 0) process.stderr.write(`spamassassin on: ${i + 1}/${samples.length}\n`);
    });
    t.seconds = (performance.now() - t0) / 1000;
  } finally {
    await stop(child);
    rmSync(siteDir, { recursive: true, force: true });
    rmSync(work, { recursive: true, force: true });
  }
  return t;
}

const line = (name: string, t: Tally, n: number): string =>
  `${name.padEnd(28)} fp=${t.fp} fn=${t.fn} auto-learned=${t.learned} errors=${t.errors} (${n} messages, ${t.seconds.toFixed(0)} s)`;

async function main(): Promise<void> {
  const rulesDir = arg('--rules', '/usr/share/spamassassin');
  const site = arg('--site', '/etc/spamassassin');
  const limit = Number(arg('--limit', '0'));
  const withSa = !process.argv.includes('--no-sa');
  if (!existsSync(join(HAMLET_DIR, 'bayes.sqlite'))) trainHamlet();
  if (withSa && !existsSync(join(SA_DIR, 'bayes_toks'))) {
    if (!haveSaLearn()) throw new Error('bench:feedback needs SpamAssassin 4.0.1 (or --no-sa)');
    trainSa();
  }
  mkdirSync(HAMLET_DIR, { recursive: true });
  const samples = replayOrder(limit);
  console.log(`replaying ${samples.length} TEST messages in date order (${samples.filter((s) => s.spam).length} spam)`);
  const off = await hamletReplay(samples, rulesDir, site, false);
  console.log(line('hamlet, AWL+auto-learn off', off, samples.length));
  const on = await hamletReplay(samples, rulesDir, site, true);
  console.log(line('hamlet, AWL+auto-learn on', on, samples.length));
  let sa: Tally | undefined;
  if (withSa) {
    sa = await saReplay(samples, rulesDir, site);
    console.log(line('SpamAssassin, on', sa, samples.length));
  }
  const na = (n: number | undefined): string => (n === undefined ? 'na' : String(n));
  console.log(`RESULT feedback fp_off=${off.fp} fn_off=${off.fn} fp_on=${on.fp} fn_on=${on.fn} autolearned=${on.learned} sa_fp_on=${na(sa?.fp)} sa_fn_on=${na(sa?.fn)}`);
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
