/**
 * The rule-set cache's input check: a file whose stat (device, inode, size, mtime, ctime) is the
 * one recorded when it was read is not read again; any change to it, even one that keeps its
 * size and puts its mtime back, is seen; a file read just after it was written is always hashed.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { changedInput, RecordingFs, type InputEntry } from '../../src/config/rule-cache-inputs';
import { RACY_MS } from '../../src/util/stat-stamp';
import { loadRuleSet } from '../../src/config/load';

/** A file time in whole seconds (2023-11-14), which utimes sets exactly. */
const WHEN = 1_700_000_000;

function tempDir(t: { after(fn: () => void): void }): string {
  const d = mkdtempSync(join(tmpdir(), 'hamlet-cache-inputs-'));
  t.after(() => rmSync(d, { recursive: true, force: true }));
  return d;
}

/** Read `files` through a RecordingFs, as a cache build does. */
function record(files: readonly string[]): InputEntry[] {
  const rec = new RecordingFs();
  for (const f of files) rec.read(f);
  return rec.entries();
}

/** What a check says, and which files it had to read. */
function check(entries: readonly InputEntry[]): { changed: string | undefined; hashed: string[] } {
  const hashed: string[] = [];
  const changed = changedInput(entries, undefined, (p) => hashed.push(p));
  return { changed, hashed };
}

test('stats vouch for settled files; edits that keep size and mtime are still seen', async (t) => {
  const dir = tempDir(t);
  const a = join(dir, 'a.cf');
  const b = join(dir, 'b.cf');
  writeFileSync(a, 'score A 1\n');
  writeFileSync(b, 'score B 2\n');
  // Whole seconds: utimes can set them back exactly.
  utimesSync(a, WHEN, WHEN);
  // Old enough for their stats to be recorded.
  await sleep(RACY_MS + 200);
  const entries = record([a, b]);
  assert.ok(entries.every((e) => e.stat !== undefined), 'settled files keep their stat');
  assert.deepEqual(check(entries), { changed: undefined, hashed: [] });

  // Same size, mtime put back: only the ctime (and the content) differ.
  const before = statSync(a, { bigint: true });
  writeFileSync(a, 'score A 9\n');
  utimesSync(a, WHEN, WHEN);
  const after = statSync(a, { bigint: true });
  assert.deepEqual([after.size, after.mtimeNs, after.ino], [before.size, before.mtimeNs, before.ino]);
  assert.notEqual(after.ctimeNs, before.ctimeNs);
  const edited = check(entries);
  assert.match(edited.changed ?? '', /file .*a\.cf changed/);
  assert.deepEqual(edited.hashed, [a]);
});

test('a file replaced by a rename with the same content and times is hashed and found unchanged', async (t) => {
  const dir = tempDir(t);
  const a = join(dir, 'a.cf');
  writeFileSync(a, 'score A 1\n');
  utimesSync(a, WHEN, WHEN);
  await sleep(RACY_MS + 200);
  const entries = record([a]);
  const tmp = join(dir, 'a.tmp');
  writeFileSync(tmp, 'score A 1\n');
  utimesSync(tmp, WHEN, WHEN);
  renameSync(tmp, a);
  assert.deepEqual(check(entries), { changed: undefined, hashed: [a] });
});

test('a file read just after it was written is hashed on every check', (t) => {
  const dir = tempDir(t);
  const a = join(dir, 'a.cf');
  writeFileSync(a, 'score A 1\n');
  const entries = record([a]);
  assert.equal(entries[0]!.stat, undefined);
  assert.deepEqual(check(entries), { changed: undefined, hashed: [a] });
  writeFileSync(a, 'score A 2\n');
  assert.match(check(entries).changed ?? '', /file .*a\.cf changed/);
});

test('through the cache: an edit keeping size and mtime rebuilds the rule set', async (t) => {
  const dir = tempDir(t);
  const rules = join(tempDir(t), 'rules');
  mkdirSync(rules);
  const cf = join(rules, '10_a.cf');
  writeFileSync(cf, 'header SUBJ_A Subject =~ /won/\nscore SUBJ_A 1.5\n');
  utimesSync(cf, WHEN, WHEN);
  await sleep(RACY_MS + 200);
  const said: string[] = [];
  const load = () => loadRuleSet({ configPath: rules, siteConfigPath: join(rules, 'none') }, { dir, debug: (s) => said.push(s) });
  assert.equal(scoreOf(load(), 'SUBJ_A'), 1.5);
  assert.equal(scoreOf(load(), 'SUBJ_A'), 1.5);
  assert.match(said.join('\n'), /loaded /);
  writeFileSync(cf, 'header SUBJ_A Subject =~ /won/\nscore SUBJ_A 2.5\n');
  utimesSync(cf, WHEN, WHEN);
  said.length = 0;
  assert.equal(scoreOf(load(), 'SUBJ_A'), 2.5);
  assert.match(said.join('\n'), /compiling \(file .*10_a\.cf changed\)/);
});

/** The score of a rule in a rule set (score set 0). */
function scoreOf(rs: ReturnType<typeof loadRuleSet>, name: string): number | undefined {
  return rs.compiled.rules.find((r) => r.name === name)?.scores[0];
}
