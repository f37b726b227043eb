/** hamletd's workers and the compiled rule-set cache: where it is written, and that it is read back. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { raw, request, smallRules, startHamletd, unprivileged } from './helpers';

const SPAM = 'Subject: Test spam mail (GTUBE)\r\nFrom: a@example.net\r\n\r\nXJS*C4JDBQADN1.NSBN3*2IDNEN*GTUBE-STANDARD-ANTI-UBE-TEST-EMAIL*C.34X\r\n';
const symbols = async (port: number): Promise<string> => (await raw(port, request('SYMBOLS', SPAM))).toString('latin1');

function tempDir(t: { after(fn: () => void): void }, prefix: string): string {
  const d = mkdtempSync(join(tmpdir(), prefix));
  t.after(() => rmSync(d, { recursive: true, force: true }));
  return d;
}

const bins = (dir: string): string[] => (existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.bin')) : []);

test('--rule-cache DIR: the first start writes the cache, the next reads it without rewriting', async (t) => {
  const rules = smallRules();
  t.after(() => rmSync(rules, { recursive: true, force: true }));
  const dir = join(tempDir(t, 'hamletd-cache-'), 'c');
  const first = await startHamletd(['-C', rules, '-m', '2', '--rule-cache', dir]);
  try {
    assert.match(await symbols(first.port), /GTUBE/);
  } finally {
    await first.stop();
  }
  const files = bins(dir);
  assert.equal(files.length, 1, 'two workers racing leave one file');
  const written = statSync(join(dir, files[0]!)).mtimeMs;
  const second = await startHamletd(['-C', rules, '-m', '1', '--rule-cache', dir]);
  try {
    assert.match(await symbols(second.port), /GTUBE/);
  } finally {
    await second.stop();
  }
  assert.equal(statSync(join(dir, files[0]!)).mtimeMs, written);
});

test('--no-rule-cache: nothing is written', async (t) => {
  const rules = smallRules();
  t.after(() => rmSync(rules, { recursive: true, force: true }));
  const dir = tempDir(t, 'hamletd-nocache-');
  const d = await startHamletd(['-C', rules, '-m', '1', '--no-rule-cache'], { env: { ...process.env, HAMLET_CACHE_DIR: dir } });
  try {
    assert.match(await symbols(d.port), /GTUBE/);
  } finally {
    await d.stop();
  }
  assert.deepEqual(readdirSync(dir), []);
});

test("root with -u: the default cache is the user's own, never root's $HOME", { skip: process.getuid?.() !== 0 && 'needs root' }, async (t) => {
  const rules = smallRules();
  t.after(() => rmSync(rules, { recursive: true, force: true }));
  const home = tempDir(t, 'hamletd-roothome-');
  // Writable by the workers' user: only the choice of directory keeps the cache out of it.
  chmodSync(home, 0o1777);
  // nobody's home (/nonexistent) cannot hold a cache: the workers run without one.
  const d = await startHamletd(['-C', rules, '-m', '1', ...unprivileged(rules, [])], { env: { ...process.env, HOME: home, XDG_CACHE_HOME: join(home, 'xdg'), HAMLET_CACHE_DIR: '' } });
  try {
    assert.match(await symbols(d.port), /GTUBE/);
  } finally {
    await d.stop();
  }
  assert.deepEqual(readdirSync(home), []);
});
