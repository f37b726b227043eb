/** hamlet-learn's early workers: the guess from the raw arguments, kept in step with the real options. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { learnProgram, main } from '../../src/cli/hamlet-learn';
import { learnsFromSources, startEarly, takeEarlyPool, VALUE_OPTIONS } from '../../src/cli/learn-early-start';
import { defaultThreads } from '../../src/bayes/learn-pool';

test('the guess: a learning mode with a source last; not stdin, not --threads, not an option value', () => {
  for (const argv of [['--spam', 'box'], ['--mbox', '--ham', '/tmp/a', '/tmp/b'], ['--forget', '-q', 'dir'], ['--dbpath', 'db', '--spam', 'x.mbox']]) {
    assert.equal(learnsFromSources(argv), true, argv.join(' '));
  }
  for (const argv of [
    ['--spam'],
    ['--dump', 'magic'],
    ['--backup', 'x'],
    ['--spam', '--dbpath', 'db'],
    ['--spam', '-C', 'rules'],
    ['--spam', '-D', 'bayes'],
    ['--spam', '--single'],
    ['--spam', '-'],
    ['--spam', '--threads', '0', 'box'],
    ['--spam', '--threads=2', 'box'],
    ['--spam', '--', 'box'],
    ['--spam', '--dbpath=db'],
  ]) {
    assert.equal(learnsFromSources(argv), false, argv.join(' '));
  }
});

test('VALUE_OPTIONS names exactly the options of hamlet-learn that take a value', () => {
  const taking = new Set<string>();
  for (const o of learnProgram().options) {
    if (!o.required && !o.optional) continue;
    if (o.short) taking.add(o.short);
    if (o.long) taking.add(o.long);
  }
  assert.deepEqual([...VALUE_OPTIONS].sort(), [...taking].sort());
});

test('main() takes the early workers and learns with them', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'hamlet-early-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const box = join(dir, 'spam.mbox');
  writeFileSync(box, 'From a@example.com  Mon Jul  1 12:00:00 2002\nFrom: a@example.com\nSubject: early\n\nearly workers parse this\n');
  const argv = ['-q', '--dbpath', join(dir, 'bayes'), '--mbox', '--spam', box];
  startEarly(argv);
  const pool = takeEarlyPool();
  assert.equal(pool?.threads, defaultThreads());
  await pool?.close();
  startEarly(argv);
  assert.equal(await main(argv), 0);
  assert.equal(takeEarlyPool(), undefined);
});
