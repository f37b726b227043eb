/**
 * bench:autolearn — the auto-learn decision of hamlet against real SpamAssassin
 * 4.0.1 on the corpus, same stock rules, local tests only, score set 0. SpamAssassin
 * runs with auto-learn on and a Bayes path it cannot create (bench/sa/autolearn.pl), so
 * it never learns (a decision to learn shows as `unavailable`) and stays in set 0.
 * Compares the learning score (_AUTOLEARNSCORE_), the decision and autolearn_force.
 *
 * Usage: npm run bench:autolearn [-- --stride N --rules DIR --site DIR]   (every Nth message; default 6)
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig, scan } from '../src/index';
import { autoLearnForScan, autoLearnTag } from '../src/learn/autolearn';
import { CORPUS_GROUPS, corpusFiles } from '../test/helpers/corpus';
import { LOCAL_ONLY_CF } from './lib/local-only';
import { haveSpamAssassin } from './lib/sa-check';

function arg(name: string, dflt: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1]! : dflt;
}

interface SaAutoLearn {
  readonly tag: string;
  readonly points: number;
}

function runShard(files: readonly string[], rules: string, site: string): Promise<Map<string, SaAutoLearn>> {
  return new Promise((resolve, reject) => {
    const script = join(__dirname, '..', '..', 'bench', 'sa', 'autolearn.pl');
    const p = spawn('perl', [script, '--rules', rules, '--site', site], { stdio: ['pipe', 'pipe', 'ignore'] });
    let out = '';
    p.stdout.on('data', (d: Buffer) => (out += d.toString('latin1')));
    p.on('error', reject);
    p.on('close', (code) => {
      if (code !== 0) return reject(new Error(`autolearn.pl exited with ${code}`));
      const m = new Map<string, SaAutoLearn>();
      for (const line of out.split('\n')) {
        const [path, tag, points] = line.split('\t');
        if (path && tag !== undefined && tag !== 'ERROR') m.set(path, { tag, points: Number(points) });
      }
      resolve(m);
    });
    p.stdin.end(files.join('\n') + '\n');
  });
}

async function main(): Promise<void> {
  const rulesDir = arg('--rules', '/usr/share/spamassassin');
  const site = arg('--site', '/etc/spamassassin');
  const stride = Math.max(1, Number(arg('--stride', '6')));
  if (!(await haveSpamAssassin())) throw new Error('bench:autolearn needs SpamAssassin 4.0.1 (apt-get install spamassassin)');
  const files = CORPUS_GROUPS.flatMap((g) => corpusFiles(g)).filter((_, i) => i % stride === 0);
  const t0 = performance.now();
  const shards = await Promise.all([0, 1].map((s) => runShard(files.filter((_, i) => i % 2 === s), rulesDir, site)));
  const sa = new Map([...shards[0]!, ...shards[1]!]);
  const saSeconds = (performance.now() - t0) / 1000;
  // hamlet: the same rules; auto-learn settings as SpamAssassin had them (on).
  const rs = loadConfig({ configPath: rulesDir, siteConfigPath: site, extraText: `${LOCAL_ONLY_CF}\nbayes_auto_learn 1\nuse_bayes 1\n` });
  let compared = 0;
  let samePoints = 0;
  let sameDecision = 0;
  let sameTag = 0;
  const counts = new Map<string, number>();
  const differ: string[] = [];
  for (const f of files) {
    const v = sa.get(f);
    if (!v) continue;
    compared++;
    const d = autoLearnForScan(scan(readFileSync(f), rs), rs);
    // SpamAssassin could not learn: a decision to learn shows as unavailable; the points tell which.
    const saStatus = v.tag.startsWith('unavailable') || v.tag.startsWith('failed') ? (v.points < 0.1 ? 'ham' : 'spam') : v.tag.split(' ')[0]!;
    const saForce = v.tag.replace(/^\S+\s*/, '');
    const ourForce = autoLearnTag(d.status, d.forcedBy).replace(/^\S+\s*/, '');
    counts.set(saStatus, (counts.get(saStatus) ?? 0) + 1);
    const pointsAgree = Math.abs(d.points - v.points) < 0.0005;
    if (pointsAgree) samePoints++;
    if (d.status === saStatus) sameDecision++;
    if (d.status === saStatus && ourForce === saForce) sameTag++;
    if (!pointsAgree || d.status !== saStatus || ourForce !== saForce) {
      differ.push(`${f.split('/').slice(-2).join('/')}: SpamAssassin ${saStatus} (${v.points}) ${saForce} | hamlet ${d.status} (${d.points}) ${ourForce}`);
    }
  }
  for (const x of differ.slice(0, 20)) console.log(x);
  console.log(`SpamAssassin decisions: ${[...counts].map(([k, n]) => `${k} ${n}`).join(', ')} (${saSeconds.toFixed(1)} s)`);
  console.log(`${compared} messages: same learning score ${samePoints}, same decision ${sameDecision}, same decision and autolearn_force ${sameTag}`);
  console.log(`RESULT autolearn messages=${compared} same_points=${samePoints} same_decision=${sameDecision} same_tag=${sameTag}`);
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : String(e));
  process.exit(1);
});
