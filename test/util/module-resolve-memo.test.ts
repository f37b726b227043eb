/**
 * The relative-require memo: answers come from it while the directory they point into is
 * unchanged, and from Node's own resolution when an entry was added or the directory is new;
 * other requires are never memoized, and malformed stored entries are ignored.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { memoizeRelativeResolution, type Resolution } from '../../src/util/module-resolve-memo';

/** A stand-in for Node's Module: resolves `./name` to `name.js` or `name` in the parent's directory, counting calls. */
function fakeModule(): { calls: string[]; _resolveFilename(request: string, parent: NodeModule | undefined): string } {
  const calls: string[] = [];
  return {
    calls,
    _resolveFilename(request: string, parent: NodeModule | undefined): string {
      calls.push(request);
      const base = join(parent!.path, request);
      return request.endsWith('.js') ? base : `${base}.js`;
    },
  };
}

function setUp(t: { after(fn: () => void): void }): { root: string; parent: NodeModule } {
  const root = mkdtempSync(join(tmpdir(), 'hamlet-resolve-memo-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  mkdirSync(join(root, 'lib'));
  writeFileSync(join(root, 'lib', 'a.js'), '');
  writeFileSync(join(root, 'lib', 'b.js'), '');
  return { root, parent: { path: join(root, 'lib'), filename: join(root, 'lib', 'a.js') } as NodeModule };
}

/** One "process": a fresh fake module memoized with `known`; resolves `requests` from `parent`. */
function run(root: string, parent: NodeModule, known: readonly unknown[], requests: readonly string[], racyMs = 0): { files: string[]; calls: string[]; hits: number; entries: Resolution[]; changed: boolean } {
  const mod = fakeModule();
  let hits = 0;
  const memo = memoizeRelativeResolution(mod, join(root, ''), known, () => hits++, racyMs);
  const files = requests.map((r) => mod._resolveFilename(r, parent));
  return { files, calls: mod.calls, hits, entries: memo.entries(), changed: memo.changed() };
}

test('a second run answers from the memo while the directory is unchanged', (t) => {
  const { root, parent } = setUp(t);
  const first = run(root, parent, [], ['./b', '../lib/a']);
  assert.deepEqual(first.files, [join(root, 'lib', 'b.js'), join(root, 'lib', 'a.js')]);
  assert.deepEqual([first.calls.length, first.hits, first.changed, first.entries.length], [2, 0, true, 2]);
  const second = run(root, parent, first.entries, ['./b', '../lib/a']);
  assert.deepEqual(second.files, first.files);
  assert.deepEqual([second.calls.length, second.hits, second.changed], [0, 2, false]);
});

test('an entry added to the directory sends its requests back to Node', (t) => {
  const { root, parent } = setUp(t);
  const first = run(root, parent, [], ['./b']);
  writeFileSync(join(root, 'lib', 'c.js'), '');
  const second = run(root, parent, first.entries, ['./b']);
  assert.deepEqual([second.calls, second.hits, second.changed], [['./b'], 0, true]);
  assert.notEqual(second.entries[0]![3], first.entries[0]![3], 'the new stat is kept');
});

test('a directory changed within the racy window is not memoized', (t) => {
  const { root, parent } = setUp(t);
  const r = run(root, parent, [], ['./b'], 60_000);
  assert.deepEqual([r.calls.length, r.changed, r.entries], [1, false, []]);
});

test('package names, parents outside the prefix and malformed entries go to Node', (t) => {
  const { root, parent } = setUp(t);
  const outside = { path: tmpdir(), filename: join(tmpdir(), 'x.js') } as NodeModule;
  const mod = fakeModule();
  const junk = [['only', 'three', 'fields'], 'text', [1, 2, 3, 4], null];
  memoizeRelativeResolution(mod, join(root, 'lib') + '/', junk, () => assert.fail('no hit expected'), 0);
  mod._resolveFilename('commander', parent);
  mod._resolveFilename('./y', outside);
  assert.deepEqual(mod.calls, ['commander', './y']);
});
