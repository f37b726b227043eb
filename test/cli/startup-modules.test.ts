/**
 * What a one-message run loads: a `hamlet -t` process pays for every module before it reads any
 * mail, so the heavy ones (recheck, SQLite, Bayes, the lint report, HTML parsing, charsets, globs)
 * must load only when the run uses them.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { HAMLET_BIN } from './fixture';

const ROOT = resolve(__dirname, '..', '..', '..');

/** Run a CLI with a preload that records the modules loaded; returns their paths (relative to the repository) and the exit code. */
function loadedBy(bin: string, argv: readonly string[], input: Buffer | string, home: string): { modules: string[]; status: number | null; stderr: string } {
  const dir = mkdtempSync(join(tmpdir(), 'hamlet-startup-'));
  const list = join(dir, 'modules.json');
  const preload = join(dir, 'record.js');
  writeFileSync(preload, `process.on('exit', () => require('node:fs').writeFileSync(${JSON.stringify(list)}, JSON.stringify(Object.keys(require.cache))));\n`);
  // --no-regexp-tier-up on the command line: the preload runs before the shim would set it.
  const r = spawnSync(process.execPath, ['--no-regexp-tier-up', '--require', preload, bin, ...argv], { input, env: { ...process.env, HOME: home }, encoding: 'latin1' });
  const modules = (JSON.parse(readFileSync(list, 'utf8')) as string[]).map((p) => (p.startsWith(ROOT) ? p.slice(ROOT.length + 1) : p));
  return { modules, status: r.status, stderr: r.stderr };
}

const loads = (modules: readonly string[], part: string): boolean => modules.some((m) => m.includes(part));

/** Loaded only by runs that need them. */
const NOT_FOR_A_PLAIN_SCAN = [
  'node_modules/recheck/',
  'node_modules/better-sqlite3/',
  'node_modules/fast-glob/',
  'node_modules/libmime/',
  'node_modules/iconv-lite/',
  'node_modules/htmlparser2/',
  'dist/src/cli/lint.js',
  'dist/src/config/redos-analyse.js',
  'dist/src/bayes/tokenizer.js',
  'dist/src/bayes/sqlite-store.js',
  'dist/src/awl/sqlite-store.js',
];

test('hamlet -t on a plain-text ham with no databases loads none of the heavy modules', () => {
  const home = mkdtempSync(join(tmpdir(), 'hamlet-home-'));
  // The default rules define the AWL and BAYES_ rules, so by default a scan keeps the AWL and
  // auto-learns into a new Bayes database, as SpamAssassin does; with both off nothing needs SQLite.
  const r = loadedBy(HAMLET_BIN, ['-t', '--cf', 'use_auto_welcomelist 0', '--cf', 'bayes_auto_learn 0'], readFileSync(join(ROOT, 'data', 'sample-ham.eml')), home);
  assert.equal(r.status, 0, r.stderr);
  assert.ok(loads(r.modules, 'dist/src/engine/scanner.js'), 'the scanner ran');
  assert.deepEqual(NOT_FOR_A_PLAIN_SCAN.filter((m) => loads(r.modules, m)), []);
});

test('an HTML part loads the HTML parser; a Bayes database loads Bayes and SQLite', () => {
  const home = mkdtempSync(join(tmpdir(), 'hamlet-home-'));
  const db = join(home, 'bayes');
  const learn = spawnSync(process.execPath, [join(ROOT, 'bin', 'hamlet-learn.js'), '--dbpath', db, '--spam'], { input: readFileSync(join(ROOT, 'data', 'sample-spam.eml')), env: { ...process.env, HOME: home }, encoding: 'latin1' });
  assert.equal(learn.status, 0, learn.stderr);
  const html = 'Subject: hi\nContent-Type: text/html\n\n<html><body><p>Hello <b>there</b></p></body></html>\n';
  const r = loadedBy(HAMLET_BIN, ['-t', '--cf', `bayes_path ${db}`], html, home);
  assert.equal(r.status, 0, r.stderr);
  for (const m of ['node_modules/htmlparser2/', 'dist/src/bayes/tokenizer.js', 'node_modules/better-sqlite3/']) assert.ok(loads(r.modules, m), `${m} loaded`);
  assert.ok(!loads(r.modules, 'node_modules/recheck/'));
});

test('hamlet --lint on checked-in rules does not load the ReDoS analyser', () => {
  const home = mkdtempSync(join(tmpdir(), 'hamlet-home-'));
  mkdirSync(join(home, 'site'));
  const r = loadedBy(HAMLET_BIN, ['--lint', '--siteconfigpath', join(home, 'site')], '', home);
  assert.equal(r.status, 0, r.stderr);
  assert.ok(loads(r.modules, 'dist/src/cli/lint.js'));
  assert.ok(!loads(r.modules, 'node_modules/recheck/'));
});
