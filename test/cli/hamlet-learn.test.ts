/** hamlet-learn end to end: summary lines, exit codes, dumps, backup/restore, bad input, concurrency, kill -9. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { corpusFiles } from '../helpers/corpus';
import { BATCH_MESSAGES } from '../../src/cli/hamlet-learn';

const ROOT = resolve(__dirname, '..', '..', '..');
const CLI = join(ROOT, 'bin', 'hamlet-learn.js');
const haveSaLearn = spawnSync('sa-learn', ['--version'], { stdio: 'ignore' }).status === 0;

function tempDir(t: { after(fn: () => void): void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'hamlet-learn-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function run(args: string[], input?: string | Buffer) {
  return spawnSync('node', [CLI, ...args], { input, encoding: 'latin1', maxBuffer: 1 << 28 });
}

/** An mbox of n synthetic messages of one class. */
function mbox(kind: string, n: number, from = 0): string {
  const out: string[] = [];
  for (let i = from; i < from + n; i++) {
    out.push(
      `From ${kind}@example.com  Mon Jul  1 12:00:00 2002\nFrom: ${kind}${i} <${kind}${i}@example.com>\nTo: u@example.org\n` +
        `Subject: ${kind} ${i}\nDate: Mon, 01 Jul 2002 12:00:00 +0000\nMessage-ID: <${kind}.${i}@example.com>\n\n` +
        `${kind}word alpha${i}beta gamma${i % 13}delta words for ${kind}\n\n`,
    );
  }
  return out.join('');
}

function magic(dbpath: string): Map<string, number> {
  const r = run(['--dbpath', dbpath, '--dump', 'magic']);
  assert.equal(r.status, 0, r.stderr);
  const m = new Map<string, number>();
  for (const line of r.stdout.split('\n')) {
    const x = /^\S+\s+\d+\s+(\d+)\s+\d+\s+non-token data: (.+)$/.exec(line);
    if (x) m.set(x[2]!, Number(x[1]));
  }
  return m;
}

test('learning an mbox prints the sa-learn summary; learning it again learns nothing', (t) => {
  const dir = tempDir(t);
  const box = join(dir, 'spam.mbox');
  writeFileSync(box, mbox('spam', 30));
  const db = join(dir, 'bayes');
  let r = run(['--dbpath', db, '--mbox', '--spam', box]);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, 'Learned tokens from 30 message(s) (30 message(s) examined)\n');
  r = run(['--dbpath', db, '--mbox', '--spam', box]);
  assert.equal(r.stdout, 'Learned tokens from 0 message(s) (30 message(s) examined)\n');
  r = run(['--dbpath', db, '--mbox', '--ham', box]);
  assert.equal(r.stdout, 'Learned tokens from 30 message(s) (30 message(s) examined)\n');
  const m = magic(db);
  assert.equal(m.get('nspam'), 0);
  assert.equal(m.get('nham'), 30);
  r = run(['--dbpath', db, '--mbox', '--forget', box]);
  assert.equal(r.stdout, 'Forgot tokens from 30 message(s) (30 message(s) examined)\n');
  assert.equal(magic(db).get('ntokens'), 0);
});

test('--single reads one message from stdin; bad usage exits 64', (t) => {
  const dir = tempDir(t);
  const db = join(dir, 'bayes');
  const r = run(['--dbpath', db, '--spam', '--single'], readFileSync(corpusFiles('spam-2')[0]!));
  assert.equal(r.stdout, 'Learned tokens from 1 message(s) (1 message(s) examined)\n');
  assert.equal(run(['--dbpath', db, '--spam', '--ham']).status, 64);
  assert.equal(run(['--dbpath', db]).status, 64);
  assert.equal(run(['--dbpath', db, '--dump', 'bogus']).status, 1);
});

test('an mbox with no From lines, an empty message and a 50 MB message are handled in bounds', (t) => {
  const dir = tempDir(t);
  const db = join(dir, 'bayes');
  const noFrom = join(dir, 'nofrom.mbox');
  writeFileSync(noFrom, 'Subject: no separator\n\nbody text here\n');
  let r = run(['--dbpath', db, '--mbox', '--spam', noFrom]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^Learned tokens from [01] message\(s\) \([01] message\(s\) examined\)\n$/);
  const empty = join(dir, 'empty.eml');
  writeFileSync(empty, '');
  r = run(['--dbpath', db, '--spam', empty]);
  assert.equal(r.status, 0, r.stderr);
  const big = join(dir, 'big.eml');
  writeFileSync(big, 'Subject: big\n\n' + 'word '.repeat(10 * 1024 * 1024));
  r = run(['--dbpath', db, '--spam', big]);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, 'Learned tokens from 0 message(s) (0 message(s) examined)\n'); // over --max-size
  r = run(['--dbpath', db, '--spam', '--max-size', '0', '--threads', '0', big]);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, 'Learned tokens from 1 message(s) (1 message(s) examined)\n');
});

test('a non-SQLite database file is refused with a clear error and not modified', (t) => {
  const dir = tempDir(t);
  const file = join(dir, 'bayes.sqlite');
  writeFileSync(file, 'garbage'.repeat(1000));
  const box = join(dir, 'm.mbox');
  writeFileSync(box, mbox('spam', 3));
  const r = run(['--dbpath', join(dir, 'bayes'), '--mbox', '--spam', box]);
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /not an SQLite database/);
  assert.equal(readFileSync(file, 'latin1'), 'garbage'.repeat(1000));
});

test('--backup and --restore round-trip; a bad backup leaves the database alone', (t) => {
  const dir = tempDir(t);
  const box = join(dir, 'm.mbox');
  writeFileSync(box, mbox('spam', 20));
  const db = join(dir, 'a');
  run(['--dbpath', db, '--mbox', '--spam', box]);
  const bk = run(['--dbpath', db, '--backup']);
  assert.equal(bk.status, 0);
  const lines = bk.stdout.split('\n');
  assert.equal(lines[0], 'v\t3\tdb_version # this must be the first line!!!');
  assert.equal(lines[1], 'v\t20\tnum_spam');
  assert.equal(lines[2], 'v\t0\tnum_nonspam');
  assert.ok(lines.some((l) => /^t\t\d+\t\d+\t\d+\t[0-9a-f]{10}$/.test(l)));
  assert.ok(lines.some((l) => /^s\ts\t[0-9a-f]{40}@sa_generated$/.test(l)));
  const file = join(dir, 'backup.txt');
  writeFileSync(file, bk.stdout);
  const db2 = join(dir, 'b');
  assert.equal(run(['--dbpath', db2, '--restore', file]).status, 0);
  assert.deepEqual(magic(db2), magic(db));
  const bad = join(dir, 'bad.txt');
  writeFileSync(bad, 't\t1\t0\t5\tabcdef0123\n');
  const r = run(['--dbpath', db2, '--restore', bad]);
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /version must be the first line/);
  assert.deepEqual(magic(db2), magic(db));
});

test('a real sa-learn --backup restores with the same magic counts', { skip: haveSaLearn ? false : 'sa-learn is not installed' }, (t) => {
  const dir = tempDir(t);
  const files = corpusFiles('spam-2').slice(0, 15);
  const box = join(dir, 'm.mbox');
  const text = files.map((f) => {
    const s = readFileSync(f, 'latin1');
    return (s.startsWith('From ') ? s : 'From x  Mon Jul  1 12:00:00 2002\n' + s) + '\n';
  });
  writeFileSync(box, text.join(''), 'latin1');
  const sa = spawnSync('sa-learn', ['-L', '--dbpath', join(dir, 'sa', 'bayes'), '--mbox', '--spam', box], { encoding: 'utf8' });
  assert.equal(sa.status, 0, sa.stderr);
  const bk = spawnSync('sa-learn', ['-L', '--dbpath', join(dir, 'sa', 'bayes'), '--backup'], { encoding: 'latin1', maxBuffer: 1 << 26 });
  writeFileSync(join(dir, 'bk.txt'), bk.stdout, 'latin1');
  assert.equal(run(['--dbpath', join(dir, 'h'), '--restore', join(dir, 'bk.txt')]).status, 0);
  const saMagic = spawnSync('sa-learn', ['-L', '--dbpath', join(dir, 'sa', 'bayes'), '--dump', 'magic'], { encoding: 'utf8' }).stdout;
  const mine = magic(join(dir, 'h'));
  let checked = 0;
  for (const line of saMagic.split('\n')) {
    const x = /^\S+\s+\d+\s+(\d+)\s+\d+\s+non-token data: (bayes db version|nspam|nham|ntokens|oldest atime|newest atime)$/.exec(line);
    if (x) {
      assert.equal(mine.get(x[2]!), Number(x[1]), x[2]);
      checked++;
    }
  }
  assert.equal(checked, 6);
  // hamlet learning the same mailbox gives the same message count and nearly the same tokens.
  run(['--dbpath', join(dir, 'own'), '--mbox', '--spam', box]);
  const own = magic(join(dir, 'own'));
  assert.equal(own.get('nspam'), mine.get('nspam'));
  assert.ok(Math.abs(own.get('ntokens')! - mine.get('ntokens')!) <= mine.get('ntokens')! * 0.02, `${own.get('ntokens')} vs ${mine.get('ntokens')}`);
});

function runAsync(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((res) => {
    const p = spawn('node', [CLI, ...args]);
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d) => (stdout += d));
    p.stderr.on('data', (d) => (stderr += d));
    p.on('exit', (code) => res({ code, stdout, stderr }));
  });
}

/** A process that classifies a message over and over (writing token atimes) until the learners finish. */
function scanner(db: string, stopFile: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const bayes = join(ROOT, 'dist', 'src', 'bayes', 'index.js');
  const parse = join(ROOT, 'dist', 'src', 'message', 'parse.js');
  const script = `
    const fs = require('fs');
    const b = require(${JSON.stringify(bayes)});
    const { parseMessage } = require(${JSON.stringify(parse)});
    const settings = b.bayesSettings({ bayes_min_spam_num: '1', bayes_min_ham_num: '1' });
    const msg = parseMessage(Buffer.from('Subject: spam 1\\n\\nspamword alpha1beta words for spam\\n'));
    let n = 0, verdicts = 0;
    while (!fs.existsSync(${JSON.stringify(stopFile)})) {
      if (!fs.existsSync(${JSON.stringify(db + '.sqlite')})) continue;
      const store = b.openBayesStore(settings, { path: ${JSON.stringify(db)} });
      if (b.classify(store, msg, settings)) verdicts++;
      store.close();
      n++;
    }
    console.log(n + ' ' + verdicts);`;
  return new Promise((res) => {
    const p = spawn('node', ['-e', script]);
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d) => (stdout += d));
    p.stderr.on('data', (d) => (stderr += d));
    p.on('exit', (code) => res({ code, stdout, stderr }));
  });
}

test('two processes learning while another scans: no lost counts, no errors', async (t) => {
  const dir = tempDir(t);
  const db = join(dir, 'bayes');
  writeFileSync(join(dir, 's.mbox'), mbox('spam', 600));
  writeFileSync(join(dir, 'h.mbox'), mbox('ham', 600));
  const stop = join(dir, 'stop');
  const scanning = scanner(db, stop);
  const [a, b] = await Promise.all([
    runAsync(['--dbpath', db, '--threads', '0', '--mbox', '--spam', join(dir, 's.mbox')]),
    runAsync(['--dbpath', db, '--threads', '0', '--mbox', '--ham', join(dir, 'h.mbox')]),
  ]);
  writeFileSync(stop, '');
  const c = await scanning;
  assert.equal(a.code, 0, a.stderr);
  assert.equal(b.code, 0, b.stderr);
  assert.equal(c.code, 0, c.stderr);
  assert.match(c.stdout, /^\d+ \d+\n$/);
  const m = magic(db);
  assert.equal(m.get('nspam'), 600);
  assert.equal(m.get('nham'), 600);
  const sql = new Database(db + '.sqlite', { readonly: true });
  t.after(() => sql.close());
  const counts = sql.prepare('SELECT MAX(spam) AS s, MAX(ham) AS h FROM bayes_token').get() as { s: number; h: number };
  assert.equal(counts.s, 600); // "spamword" is in every spam
  assert.equal(counts.h, 600);
  assert.equal((sql.prepare('SELECT COUNT(*) AS n FROM bayes_seen').get() as { n: number }).n, 1200);
});

test('kill -9 in the middle of a large learn leaves a consistent database that learning can resume', async (t) => {
  const dir = tempDir(t);
  const db = join(dir, 'bayes');
  const box = join(dir, 'big.mbox');
  const total = BATCH_MESSAGES + 1000;
  writeFileSync(box, mbox('ham', total));
  const child = spawn('node', [CLI, '--dbpath', db, '--threads', '0', '--mbox', '--ham', box], { stdio: 'ignore' });
  const exited = new Promise((res) => child.on('exit', res));
  // Kill once the first batch is committed.
  for (;;) {
    await new Promise((res) => setTimeout(res, 20));
    if (child.exitCode !== null) break;
    try {
      const sql = new Database(db + '.sqlite', { readonly: true, fileMustExist: true });
      const row = sql.prepare("SELECT value FROM bayes_vars WHERE name = 'nham'").get() as { value: number } | undefined;
      sql.close();
      if ((row?.value ?? 0) >= BATCH_MESSAGES) {
        child.kill('SIGKILL');
        break;
      }
    } catch {
      /* not created yet, or busy */
    }
  }
  await exited;
  assert.ok(existsSync(db + '.sqlite'));
  const sql = new Database(db + '.sqlite');
  assert.equal(sql.pragma('integrity_check', { simple: true }), 'ok');
  const nham = (sql.prepare("SELECT value FROM bayes_vars WHERE name = 'nham'").get() as { value: number }).value;
  const seen = (sql.prepare('SELECT COUNT(*) AS n FROM bayes_seen').get() as { n: number }).n;
  const maxHam = (sql.prepare('SELECT MAX(ham) AS h FROM bayes_token').get() as { h: number }).h;
  sql.close();
  assert.equal(seen, nham, 'seen-ids and message count agree');
  assert.equal(maxHam, nham, 'the token in every message has exactly nham');
  assert.ok(nham % BATCH_MESSAGES === 0 || nham === total, `whole batches only: ${nham}`);
  const r = run(['--dbpath', db, '--threads', '0', '--mbox', '--ham', box]);
  assert.equal(r.stdout, `Learned tokens from ${total - nham} message(s) (${total} message(s) examined)\n`);
  assert.equal(magic(db).get('nham'), total);
});

test('--use-ignores skips bayes_ignore_from senders, as sa-learn --use-ignores; without it they are learned', (t) => {
  const dir = tempDir(t);
  const box = join(dir, 'in.mbox');
  writeFileSync(box, mbox('spam', 4));
  const cf = ['--cf', 'bayes_ignore_from spam1@example.com spam2@*'];
  for (const threads of ['0', '1']) {
    const db = join(dir, `bayes${threads}`);
    const r = run(['--dbpath', db, '--threads', threads, '--use-ignores', ...cf, '--mbox', '--spam', box]);
    assert.equal(r.stdout, 'Learned tokens from 2 message(s) (4 message(s) examined)\n', r.stderr);
  }
  const plain = run(['--dbpath', join(dir, 'plain'), ...cf, '--mbox', '--spam', box]);
  assert.equal(plain.stdout, 'Learned tokens from 4 message(s) (4 message(s) examined)\n', plain.stderr);
});

test('a message marked by a checker is learned without its markup, as sa-learn learns it', (t) => {
  const dir = tempDir(t);
  const db = join(dir, 'bayes');
  const sample = join(ROOT, 'data', 'sample-spam.eml');
  const marked = spawnSync('node', [join(ROOT, 'bin', 'hamlet.js'), sample], { encoding: 'latin1' }).stdout;
  assert.match(marked, /^X-Spam-Checker-Version:/m);
  assert.match(marked, /x-spam-type=original/); // wrapped (report_safe 1)
  const first = run(['--dbpath', db, '--spam'], Buffer.from(marked, 'latin1'));
  assert.equal(first.stdout, 'Learned tokens from 1 message(s) (1 message(s) examined)\n', first.stderr);
  // The original has the same seen-id as the unwrapped message: nothing new to learn.
  const again = run(['--dbpath', db, '--spam'], readFileSync(sample));
  assert.equal(again.stdout, 'Learned tokens from 0 message(s) (1 message(s) examined)\n', again.stderr);
  assert.equal(magic(db).get('nspam'), 1);
});
