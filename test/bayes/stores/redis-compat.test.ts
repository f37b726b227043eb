/**
 * Data compatibility with SpamAssassin 4.0.1's Redis store, on a slice of the corpus: what real
 * sa-learn writes, hamlet reads (its --backup equals sa-learn's, token for token), and what
 * hamlet-learn writes, sa-learn reads; a message then gets the same BAYES_ rule from
 * `spamassassin` and from `hamlet` reading one database. The full TRAIN -> TEST figure is
 * bench:store-compat's. Skipped, visibly, without redis-server or SpamAssassin.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { corpusFiles } from '../../helpers/corpus';
import { redisMissing, startRedis, type RedisServer } from '../../helpers/redis-server';

const ROOT = resolve(__dirname, '..', '..', '..', '..');
const haveSa = spawnSync('sa-learn', ['--version'], { stdio: 'ignore' }).status === 0;
const skip = redisMissing() || (haveSa ? false : 'SpamAssassin (sa-learn) is not installed');
// Few messages: Bayes answers from 10 of each class here (both sides are told so).
const SPAM = corpusFiles('spam-1').slice(0, 15);
const HAM = corpusFiles('easy-ham-1').slice(0, 15);
const MIN = ['bayes_min_spam_num 10', 'bayes_min_ham_num 10', 'use_bayes 1', 'bayes_auto_learn 0'];

let server: RedisServer | undefined;
let dir = '';

before(async () => {
  if (skip) return;
  server = await startRedis();
  dir = mkdtempSync(join(tmpdir(), 'hamlet-redis-compat-'));
});
after(async () => {
  await server?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const storeCf = (db: number): string[] => ['bayes_store_module Mail::SpamAssassin::BayesStore::Redis', `bayes_sql_dsn ${server!.dsn(db)}`, ...MIN];

/** A site dir for SpamAssassin: the system's plugin loads and these lines. */
function saSite(db: number): string {
  const site = mkdtempSync(join(dir, 'site-'));
  for (const f of readdirSync('/etc/spamassassin').filter((x) => x.endsWith('.pre'))) copyFileSync(join('/etc/spamassassin', f), join(site, f));
  writeFileSync(join(site, 'local.cf'), storeCf(db).join('\n') + '\n');
  return site;
}

function run(cmd: string, args: string[], input?: Buffer): string {
  const r = spawnSync(cmd, args, { input, encoding: 'latin1', maxBuffer: 1 << 28 });
  assert.equal(r.status, 0, `${cmd} ${args.slice(0, 4).join(' ')}: ${r.stderr}`);
  return r.stdout;
}
const saLearn = (db: number, args: string[]) => run('sa-learn', ['-L', '--siteconfigpath', saSite(db), ...args]);
const hamletLearn = (db: number, args: string[]) => run(process.execPath, [join(ROOT, 'bin', 'hamlet-learn.js'), '-C', '/usr/share/spamassassin', '--siteconfigpath', '/etc/spamassassin', ...storeCf(db).flatMap((l) => ['--cf', l]), ...args]);

/** A backup without atimes (Redis keeps none; each side prints its own clock), sorted. */
const comparable = (backup: string): string[] =>
  backup
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => (l.startsWith('t\t') ? l.split('\t').filter((_x, i) => i !== 3).join('\t') : l))
    .sort();

function bayesRule(report: string): string {
  return /\bBAYES_\d+\b/.exec(report.split(/^Content analysis details/m)[1] ?? '')?.[0] ?? '-';
}

test('sa-learn writes Redis, hamlet reads it; hamlet-learn writes, sa-learn reads the same data', { skip }, () => {
  saLearn(0, ['--spam', ...SPAM]);
  saLearn(0, ['--ham', ...HAM]);
  const saWrote = comparable(saLearn(0, ['--backup']));
  assert.ok(saWrote.filter((l) => l.startsWith('t\t')).length > 1000);
  assert.deepEqual(comparable(hamletLearn(0, ['--backup'])), saWrote);

  hamletLearn(1, ['--spam', ...SPAM]);
  hamletLearn(1, ['--ham', ...HAM]);
  const saRead = comparable(saLearn(1, ['--backup']));
  // Tokens and counts as sa-learn learned them; the seen ids as hamlet-learn wrote them.
  const data = (lines: string[]) => lines.filter((l) => !l.startsWith('s\t'));
  const flags = (lines: string[]) => lines.filter((l) => l.startsWith('s\t')).map((l) => l.slice(0, 3)).join('');
  assert.deepEqual(data(saRead), data(saWrote));
  assert.deepEqual(saRead.filter((l) => l.startsWith('s\t')), comparable(hamletLearn(1, ['--backup'])).filter((l) => l.startsWith('s\t')));
  assert.equal(flags(saRead), flags(saWrote));
  assert.match(saLearn(1, ['--dump', 'magic']), /\s15\s+0\s+non-token data: nspam\n[^\n]*\s15\s+0\s+non-token data: nham/);
});

test('spamassassin and hamlet give a message the same BAYES_ rule from one Redis database', { skip }, () => {
  const msg = Buffer.from(run('cat', [corpusFiles('spam-2')[3]!]), 'latin1');
  for (const db of [0, 1]) {
    const sa = run('spamassassin', ['-L', '-t', '--siteconfigpath', saSite(db)], msg);
    const cf = storeCf(db).flatMap((l) => ['--cf', l]);
    const hamlet = run(process.execPath, [join(ROOT, 'bin', 'hamlet.js'), '-L', '-t', '-C', '/usr/share/spamassassin', '--siteconfigpath', '/etc/spamassassin', ...cf], msg);
    assert.notEqual(bayesRule(sa), '-', `db ${db}: SpamAssassin used Bayes`);
    assert.equal(bayesRule(hamlet), bayesRule(sa), `db ${db}`);
  }
});
