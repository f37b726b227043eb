/**
 * The modules' code cache: a second process compiles its modules from the bytecode the first
 * left; an edited module (even of the same length), a damaged file or one that others may write
 * is compiled from source; modules behave the same either way (exports, require, __dirname).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { crc32 } from 'node:zlib';

const CODE_CACHE = resolve(__dirname, '..', '..', 'src', 'util', 'module-code-cache.js');

/** A process that loads `root/a.js` through the cache in `dir`; what it printed. */
function run(root: string, dir: string, opts: { skipSave?: boolean } = {}): { value: unknown; hits: number; misses: number; unread?: string } {
  const script = `
    const { useCodeCache } = require(${JSON.stringify(CODE_CACHE)});
    const c = useCodeCache(${JSON.stringify(dir)}, ${JSON.stringify(root)});
    const value = require(${JSON.stringify(join(root, 'a.js'))}).value();
    ${opts.skipSave ? 'c.skipSave();' : ''}
    const failed = c.save();
    if (failed) throw new Error(failed);
    console.log(JSON.stringify({ value, ...c.stats }));`;
  const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout) as ReturnType<typeof run>;
}

function setUp(t: { after(fn: () => void): void }): { root: string; dir: string; file: string } {
  const top = mkdtempSync(join(tmpdir(), 'hamlet-code-cache-'));
  t.after(() => rmSync(top, { recursive: true, force: true }));
  const root = join(top, 'pkg');
  mkdirSync(root);
  writeFileSync(join(root, 'a.js'), "const b = require('./b');\nexports.value = () => ({ n: b.twice(21), file: __filename, dir: __dirname, resolved: require.resolve('./b') });\n");
  writeFileSync(join(root, 'b.js'), 'module.exports = { twice: (x) => x * 2 };\n');
  const dir = join(top, 'cache');
  mkdirSync(dir, { mode: 0o700 });
  return { root, dir, file: join(dir, 'modules.bin') };
}

test('the second process compiles from the cache; modules behave the same', (t) => {
  const { root, dir, file } = setUp(t);
  const first = run(root, dir);
  assert.deepEqual(first.value, { n: 42, file: join(root, 'a.js'), dir: root, resolved: join(root, 'b.js') });
  assert.deepEqual([first.hits, first.misses, first.unread], [0, 2, 'missing']);
  assert.ok(existsSync(file));
  assert.equal(statSync(dir).mode & 0o777, 0o700);
  assert.equal(statSync(file).mode & 0o777, 0o600);
  const written = statSync(file).mtimeMs;
  const second = run(root, dir);
  // resolved: 0, the package's directory is too new for its stat to vouch for its entries (module-resolve-memo.ts).
  assert.deepEqual(second, { value: first.value, hits: 2, misses: 0, resolved: 0 });
  assert.equal(statSync(file).mtimeMs, written, 'nothing missed: the file is left as it is');
});

test('a missing directory is not made (the rule cache makes it): nothing is written', (t) => {
  const { root, dir, file } = setUp(t);
  rmSync(dir, { recursive: true });
  const r = run(root, dir);
  assert.deepEqual([r.hits, r.misses], [0, 2]);
  assert.ok(!existsSync(dir) && !existsSync(file));
});

test('a module edited to a source of the same length is compiled from source', (t) => {
  const { root, dir } = setUp(t);
  run(root, dir);
  writeFileSync(join(root, 'b.js'), 'module.exports = { twice: (x) => x * 3 };\n');
  const r = run(root, dir);
  assert.equal((r.value as { n: number }).n, 63);
  assert.deepEqual([r.hits, r.misses], [1, 1]);
  assert.deepEqual([run(root, dir).hits, run(root, dir).misses], [2, 0]);
});

test('damaged bytecode is not given to V8', (t) => {
  const { root, dir, file } = setUp(t);
  run(root, dir);
  const bytes = readFileSync(file);
  // Flip bytes near the end: inside the last module's bytecode.
  for (let i = bytes.length - 40; i < bytes.length - 8; i++) bytes[i] = bytes[i]! ^ 0x5a;
  writeFileSync(file, bytes);
  const r = run(root, dir);
  assert.equal((r.value as { n: number }).n, 42);
  assert.equal(r.misses, 1);
  assert.notEqual(crc32(readFileSync(file)), crc32(bytes), 'rewritten');
  assert.equal(run(root, dir).hits, 2);
});

test('a cache file others may write is not read; skipSave writes nothing', (t) => {
  const { root, dir, file } = setUp(t);
  run(root, dir, { skipSave: true });
  assert.ok(!existsSync(file));
  run(root, dir);
  chmodSync(file, 0o666);
  const r = run(root, dir, { skipSave: true });
  assert.match(r.unread ?? '', /writable by others/);
  assert.deepEqual([r.hits, r.misses], [0, 2]);
});

test('child_process and dgram are loaded when a module first reads them, and then work', (t) => {
  const { root, dir } = setUp(t);
  writeFileSync(
    join(root, 'a.js'),
    "const cp = require('node:child_process');\nconst dgram = require('node:dgram');\n" +
      "exports.value = () => { const before = process.moduleLoadList.includes('NativeModule child_process');\n" +
      "  const out = cp.execFileSync(process.execPath, ['-e', 'process.stdout.write(\"ok\")'], { encoding: 'utf8' });\n" +
      "  const s = dgram.createSocket('udp4'); s.close();\n" +
      "  return { before, out, after: process.moduleLoadList.includes('NativeModule child_process'), has: 'spawn' in cp }; };\n",
  );
  // `node -e` has not loaded child_process itself: the module reading it is what loads it.
  assert.deepEqual(run(root, dir).value, { before: false, out: 'ok', after: true, has: true });
});
