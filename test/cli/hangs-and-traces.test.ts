/**
 * The commands end, and end cleanly: an unusable database path fails at once, a reader
 * that closes the pipe ends the command quietly (status 32, as spamassassin's), one value
 * per `--cf`, and no input is not a hang. Each case runs the real command (bin/*.js,
 * after the build) with a timeout it must not reach.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '..', '..', '..');
const HAMLET = join(ROOT, 'bin', 'hamlet.js');
const LEARN = join(ROOT, 'bin', 'hamlet-learn.js');
const TIMEOUT_MS = 60_000;

function tempDir(t: { after(fn: () => void): void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'hamlet-hangs-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Run `node bin args` and check it ended by itself (not killed at the timeout). */
function run(bin: string, args: string[], input = ''): SpawnSyncReturns<string> {
  const r = spawnSync(process.execPath, [bin, ...args], { input, encoding: 'latin1', timeout: TIMEOUT_MS, maxBuffer: 1 << 28 });
  assert.equal(r.error, undefined, `${bin} ${args.join(' ')} did not end within ${TIMEOUT_MS} ms`);
  assert.equal(r.signal, null);
  return r;
}

/** Run `node bin args | head -c 10` in bash; the command's status and stderr. */
function runIntoClosedPipe(bin: string, args: string[]): { status: number; stderr: string } {
  const quoted = [process.execPath, bin, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  const r = spawnSync('bash', ['-c', `${quoted} 2>"$ERR" </dev/null | head -c 10 >/dev/null; echo "\${PIPESTATUS[0]}"`], {
    encoding: 'latin1',
    timeout: TIMEOUT_MS,
    env: { ...process.env, ERR: join(tmpdir(), `hamlet-epipe-${process.pid}.err`) },
  });
  assert.equal(r.error, undefined, 'the pipeline did not end');
  const errFile = join(tmpdir(), `hamlet-epipe-${process.pid}.err`);
  const stderr = existsSync(errFile) ? spawnSync('cat', [errFile], { encoding: 'latin1' }).stdout : '';
  rmSync(errFile, { force: true });
  return { status: Number(r.stdout.trim()), stderr };
}

const mail = (i: number, body = `words of message ${i} alpha${i} beta${i % 7}`): string =>
  `From: sender${i}@example.com\nTo: u@example.org\nSubject: message ${i}\nDate: Mon, 01 Jul 2002 12:00:00 +0000\nMessage-ID: <m${i}@example.com>\n\n${body}\n`;

function mbox(n: number): string {
  let out = '';
  for (let i = 0; i < n; i++) out += `From sender${i}@example.com  Mon Jul  1 12:00:00 2002\n${mail(i)}\n`;
  return out;
}

test('hamlet-learn --dbpath under /proc fails at once with the reason, no trace', { skip: !existsSync('/proc/self') && 'no /proc' }, (t) => {
  const dir = tempDir(t);
  const msg = join(dir, 'm.eml');
  writeFileSync(msg, mail(1));
  const r = run(LEARN, ['--dbpath', '/proc/nope/bayes', '--threads', '1', '--spam', msg]);
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /^ERROR: .*\/proc\/nope.*\n$/);
  assert.doesNotMatch(r.stderr, /\n\s+at /);
});

test('hamlet-learn creates missing directories for --dbpath', (t) => {
  const dir = tempDir(t);
  const msg = join(dir, 'm.eml');
  writeFileSync(msg, mail(1));
  const r = run(LEARN, ['--dbpath', join(dir, 'a', 'b', 'bayes'), '--spam', msg]);
  assert.equal(r.status, 0, r.stderr);
  assert.ok(existsSync(join(dir, 'a', 'b', 'bayes.sqlite')));
});

test('hamlet --mbox into a pipe closed after 10 bytes: status 32, nothing on stderr', (t) => {
  const dir = tempDir(t);
  const box = join(dir, 'big.mbox');
  // Far more output than a pipe holds, so the command is still writing when the reader goes.
  writeFileSync(box, mbox(3000));
  const r = runIntoClosedPipe(HAMLET, ['--mbox', box]);
  assert.equal(r.stderr, '');
  assert.equal(r.status, 32);
});

test('hamlet-learn --dump data into a pipe closed after 10 bytes: status 32, nothing on stderr', (t) => {
  const dir = tempDir(t);
  const box = join(dir, 'learn.mbox');
  writeFileSync(box, mbox(3000));
  const db = join(dir, 'bayes');
  assert.equal(run(LEARN, ['--dbpath', db, '--mbox', '--spam', box]).status, 0);
  const r = runIntoClosedPipe(LEARN, ['--dbpath', db, '--dump', 'data']);
  assert.equal(r.stderr, '');
  assert.equal(r.status, 32);
});

test('hamlet-learn --cf takes one value per use: the files after it are learned, each --cf applies', (t) => {
  const dir = tempDir(t);
  const a = join(dir, 'a.eml');
  const b = join(dir, 'b.eml');
  writeFileSync(a, mail(1));
  writeFileSync(b, mail(2, 'something else entirely'));
  const db = join(dir, 'bayes');
  // The files right after the value: a variadic --cf took them as more lines and read stdin.
  let r = run(LEARN, ['--dbpath', db, '--spam', '--cf', 'x 0', a, b]);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, 'Learned tokens from 2 message(s) (2 message(s) examined)\n');
  r = run(LEARN, ['--dbpath', db, '--cf', 'x 0', '--cf', 'use_bayes 0', '--spam', a]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /use_bayes 0/);
});

test('hamlet-learn with nothing on standard input learns one empty message, as sa-learn does', (t) => {
  const dir = tempDir(t);
  const r = run(LEARN, ['--dbpath', join(dir, 'bayes'), '--spam'], '');
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, 'Learned tokens from 1 message(s) (1 message(s) examined)\n');
});

test('hamlet -e FILE reads the file (an optional value is only a number)', (t) => {
  const dir = tempDir(t);
  const msg = join(dir, 'm.eml');
  writeFileSync(msg, mail(1));
  const r = run(HAMLET, ['-e', msg, '--cf', 'required_score -100']);
  assert.equal(r.status, 5, r.stderr);
  assert.match(r.stdout, /^X-Spam-Flag: YES$/m);
  assert.match(r.stdout, /^Subject: message 1$/m);
});
