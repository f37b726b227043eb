/**
 * hamlet-learn's code cache (src/cli/learn-early-start.ts, src/bayes/learn-worker.ts): a learning
 * run of enough messages leaves the bytecode of its main thread and of its workers in the cache
 * directory; the next run compiles from it and learns exactly the same database; a short run
 * or a run without a usable directory writes nothing.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { corpusFiles } from '../helpers/corpus';
import { MIN_MESSAGES_TO_SAVE_CODE } from '../../src/bayes/learn-pool';

const CLI = join(resolve(__dirname, '..', '..', '..'), 'bin', 'hamlet-learn.js');
const FILES = ['learn-main.bin', 'learn-worker.bin'];

function tempDir(t: { after(fn: () => void): void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'hamlet-learn-cc-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** An mbox of the first `n` spam-1 messages (HTML, base64, quoted-printable among them). */
function corpusMbox(dir: string, n: number): string {
  const box = join(dir, `spam-${n}.mbox`);
  const parts = corpusFiles('spam-1')
    .slice(0, n)
    .map((f) => {
      const text = readFileSync(f, 'latin1');
      const body = text.startsWith('From ') ? text : `From test@localhost  Thu Jan  1 00:00:00 2002\n${text}`;
      const nl = body.indexOf('\n');
      return body.slice(0, nl + 1) + body.slice(nl + 1).replace(/^From /gm, '>From ') + '\n\n';
    });
  writeFileSync(box, parts.join(''), 'latin1');
  return box;
}

/** Learns `box` as spam into a fresh database under `dir`; its `--backup`. */
function learnAndBackup(dir: string, name: string, box: string, cacheDir: string): string {
  const db = join(dir, name, 'bayes');
  const env = { ...process.env, HAMLET_CACHE_DIR: cacheDir };
  const r = spawnSync('node', [CLI, '--dbpath', db, '--mbox', '--spam', box], { env, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const b = spawnSync('node', [CLI, '--dbpath', db, '--backup'], { env, encoding: 'latin1', maxBuffer: 1 << 26 });
  assert.equal(b.status, 0, b.stderr);
  return b.stdout;
}

test('a learning run leaves both threads\' bytecode; the next compiles from it and learns the same database', (t) => {
  if (corpusFiles('spam-1').length === 0) return t.skip('no corpus');
  const dir = tempDir(t);
  const cache = join(dir, 'cache');
  mkdirSync(cache, { mode: 0o700 });
  const box = corpusMbox(dir, MIN_MESSAGES_TO_SAVE_CODE + 10);
  const first = learnAndBackup(dir, 'a', box, cache);
  for (const f of FILES) assert.ok(statSync(join(cache, f)).size > 10000, f);
  // A second run may add modules the first loaded after its save; a third finds everything.
  assert.equal(learnAndBackup(dir, 'b', box, cache), first);
  const written = FILES.map((f) => statSync(join(cache, f)).mtimeMs);
  assert.equal(learnAndBackup(dir, 'c', box, cache), first);
  assert.deepEqual(
    FILES.map((f) => statSync(join(cache, f)).mtimeMs),
    written,
    'nothing missed: the files are left as they are',
  );
  // Without a cache directory: the same database.
  assert.equal(learnAndBackup(dir, 'd', box, join(dir, 'absent')), first);
  assert.equal(existsSync(join(dir, 'absent')), false, 'the directory is not made');
});

test('a short run writes no cache: bytecode of a few messages would lack most functions', (t) => {
  if (corpusFiles('spam-1').length === 0) return t.skip('no corpus');
  const dir = tempDir(t);
  const cache = join(dir, 'cache');
  mkdirSync(cache, { mode: 0o700 });
  learnAndBackup(dir, 'a', corpusMbox(dir, 5), cache);
  for (const f of FILES) assert.equal(existsSync(join(cache, f)), false, f);
});
