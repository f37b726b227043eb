/**
 * hamlet-learn and hamlet on each shared Bayes server (PostgreSQL, Redis), end to end through the
 * CLIs and SpamAssassin's options: learning, --dump magic, --backup, --clear, --restore (the same
 * backup back), --force-expire; and the server stopped: a scan still answers (without Bayes),
 * learning exits non-zero with the server named and no stack trace. Each backend skips visibly
 * when its server is not installed.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { corpusFiles } from '../helpers/corpus';
import { postgresMissing, startPostgres } from '../helpers/postgres-server';
import { redisMissing, startRedis } from '../helpers/redis-server';

const ROOT = resolve(__dirname, '..', '..', '..');
const SPAM = corpusFiles('spam-1').slice(0, 12);
const HAM = corpusFiles('easy-ham-1').slice(0, 12);
/** SpamAssassin's stock rules and Debian's site directory (its .pre files load the Bayes plugin the BAYES_ rules need). */
const SCAN = ['-C', '/usr/share/spamassassin', '--siteconfigpath', '/etc/spamassassin', '-L', '-t'];
const LOW_MIN = ['bayes_min_spam_num 5', 'bayes_min_ham_num 5', 'use_bayes 1', 'bayes_auto_learn 0'];

/** A running server as the tests use it: its config lines, and stopping/starting it with its data. */
interface Backend {
  readonly cf: string[];
  pause(): Promise<void>;
  resume(): Promise<void>;
  close(): Promise<void>;
}

async function pgBackend(): Promise<Backend> {
  const pg = (await startPostgres())!;
  return {
    cf: ['bayes_store_module Mail::SpamAssassin::BayesStore::PgSQL', `bayes_sql_dsn ${pg.dsn}`, `bayes_sql_username ${pg.user}`, 'bayes_sql_override_username cli'],
    pause: () => pg.pause(),
    resume: () => pg.restart(),
    close: () => pg.stop(),
  };
}

async function redisBackend(): Promise<Backend> {
  const r = await startRedis({ persist: true });
  return { cf: ['bayes_store_module Mail::SpamAssassin::BayesStore::Redis', `bayes_sql_dsn ${r.dsn(3)}`], pause: () => r.stop(), resume: () => r.start(), close: () => r.close() };
}

const BACKENDS: ReadonlyArray<[string, string | false, () => Promise<Backend>]> = [
  ['PostgreSQL', postgresMissing() ?? false, pgBackend],
  ['Redis', redisMissing(), redisBackend],
];

function cli(bin: string, b: Backend, args: string[], input?: string) {
  const cf = [...b.cf, ...LOW_MIN].flatMap((l) => ['--cf', l]);
  return spawnSync(process.execPath, [join(ROOT, 'bin', bin), ...cf, ...args], { input, encoding: 'latin1', maxBuffer: 1 << 26 });
}

function ok(r: ReturnType<typeof cli>, what: string): string {
  assert.equal(r.status, 0, `${what}: ${r.stderr}`);
  return r.stdout;
}

function counts(b: Backend): string {
  const m = ok(cli('hamlet-learn.js', b, ['--dump', 'magic']), '--dump magic');
  const n = (what: string) => new RegExp(`\\s(\\d+)\\s+\\d+\\s+non-token data: ${what}\\n`).exec(m)?.[1];
  return `nspam ${n('nspam')} nham ${n('nham')}`;
}

/** A backup without token atimes (Redis keeps none: its dump says "now"), sorted. */
function comparable(backup: string): string[] {
  return backup
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => (l.startsWith('t\t') ? l.split('\t').filter((_x, i) => i !== 3).join('\t') : l))
    .sort();
}

for (const [name, missing, start] of BACKENDS) {
  test(`${name}: hamlet-learn learns, dumps, backs up, clears, restores and force-expires through the CLI`, { skip: missing, timeout: 180_000 }, async (t) => {
    const b = await start();
    const dir = mkdtempSync(join(tmpdir(), 'hamlet-learn-servers-'));
    t.after(async () => {
      await b.close();
      rmSync(dir, { recursive: true, force: true });
    });
    assert.match(ok(cli('hamlet-learn.js', b, ['--spam', ...SPAM]), '--spam'), /Learned tokens from 12 message\(s\)/);
    ok(cli('hamlet-learn.js', b, ['--ham', ...HAM]), '--ham');
    assert.equal(counts(b), 'nspam 12 nham 12');
    const data = ok(cli('hamlet-learn.js', b, ['--dump', 'data']), '--dump data');
    assert.ok(data.split('\n').length > 500, `--dump data: ${data.slice(0, 200)}`);

    const saved = ok(cli('hamlet-learn.js', b, ['--backup']), '--backup');
    writeFileSync(join(dir, 'backup'), saved, 'latin1');
    ok(cli('hamlet-learn.js', b, ['--clear']), '--clear');
    assert.equal(counts(b), 'nspam 0 nham 0');
    assert.deepEqual(comparable(ok(cli('hamlet-learn.js', b, ['--backup']), '--backup after --clear')).filter((l) => !l.startsWith('v\t')), []);
    ok(cli('hamlet-learn.js', b, ['--restore', join(dir, 'backup')]), '--restore');
    assert.deepEqual(comparable(ok(cli('hamlet-learn.js', b, ['--backup']), '--backup after --restore')), comparable(readFileSync(join(dir, 'backup'), 'latin1')));

    // A small database: expiry has nothing to drop (PostgreSQL) or is the server's TTLs (Redis).
    ok(cli('hamlet-learn.js', b, ['--force-expire']), '--force-expire');
    assert.equal(counts(b), 'nspam 12 nham 12');
    // Learned spam is recognised from the server.
    assert.match(ok(cli('hamlet.js', b, SCAN, readFileSync(SPAM[0]!, 'latin1')), 'scan'), /BAYES_99/);
  });

  test(`${name}: with the server stopped a scan answers without Bayes, learning fails clearly; both work again once it is back`, { skip: missing, timeout: 180_000 }, async (t) => {
    const b = await start();
    t.after(() => b.close());
    ok(cli('hamlet-learn.js', b, ['--spam', ...SPAM]), '--spam');
    ok(cli('hamlet-learn.js', b, ['--ham', ...HAM]), '--ham');
    const msg = readFileSync(SPAM[1]!, 'latin1');
    await b.pause();

    const scan = cli('hamlet.js', b, SCAN, msg);
    assert.equal(scan.status, 0, scan.stderr);
    assert.match(scan.stdout, /Content analysis details/);
    assert.doesNotMatch(scan.stdout, /BAYES_\d/);
    // Reported once, as a warning naming the server.
    assert.equal(scan.stderr.match(/^hamlet: warning: bayes: (PostgreSQL|redis) 127\.0\.0\.1:\d+\/\w+/gm)?.length, 1, scan.stderr);
    assert.doesNotMatch(scan.stderr, /\n\s+at /, 'no stack trace');

    const learn = cli('hamlet-learn.js', b, ['--spam', SPAM[2]!]);
    assert.notEqual(learn.status, 0);
    assert.match(learn.stderr, /^ERROR: bayes: /m);
    assert.doesNotMatch(learn.stderr, /\n\s+at /, 'no stack trace');

    await b.resume();
    assert.equal(counts(b), 'nspam 12 nham 12');
    assert.match(ok(cli('hamlet.js', b, SCAN, msg), 'scan after restart'), /BAYES_99/);
  });
}
