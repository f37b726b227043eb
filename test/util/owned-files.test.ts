/** Files in a user's tree: what is refused, what is made and how; SQLite's companions keep the database's mode. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { chownSync, existsSync, linkSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkOwnedPath, createOwnedFile, ensureOwnedDir, OwnedPathError, readOwnedFile, type UserTree } from '../../src/util/owned-files';
import { createDbFile, treeDbGuard } from '../../src/util/sqlite-file';
import { openSqliteStore } from '../../src/bayes/stores/sqlite';
import { openAwlStore } from '../../src/awl/stores/sqlite';

const self = process.getuid?.() ?? 0;
const isRoot = self === 0;

function fresh(): { root: string; outside: string; tree: UserTree } {
  const base = mkdtempSync(join(tmpdir(), 'hamlet-owned-'));
  const root = join(base, 'home');
  const outside = join(base, 'outside');
  mkdirSync(root);
  mkdirSync(outside);
  return { root, outside, tree: { root, owners: [self] } };
}

const codeOf = (fn: () => unknown): string | undefined => {
  try {
    fn();
    return undefined;
  } catch (e) {
    return e instanceof OwnedPathError ? e.code : `other: ${(e as Error).message}`;
  }
};

describe('paths refused in a tree', () => {
  const cases: { name: string; setup: (root: string, outside: string) => string; code: string }[] = [
    { name: 'a symlinked file', setup: (r, o) => (symlinkSync(join(o, 'x'), join(r, 'f')), join(r, 'f')), code: 'HAMLET_ERR_PATH_SYMLINK' },
    { name: 'a symlinked directory on the way', setup: (r, o) => (symlinkSync(o, join(r, 'd')), join(r, 'd', 'f')), code: 'HAMLET_ERR_PATH_SYMLINK' },
    { name: 'a symlink to a file inside the tree', setup: (r) => (writeFileSync(join(r, 'a'), ''), symlinkSync(join(r, 'a'), join(r, 'f')), join(r, 'f')), code: 'HAMLET_ERR_PATH_SYMLINK' },
    { name: 'a directory where a file should be', setup: (r) => (mkdirSync(join(r, 'f')), join(r, 'f')), code: 'HAMLET_ERR_PATH_TYPE' },
    { name: 'a file where a directory should be', setup: (r) => (writeFileSync(join(r, 'd'), ''), join(r, 'd', 'f')), code: 'HAMLET_ERR_PATH_TYPE' },
    { name: 'a path outside the tree', setup: (_r, o) => join(o, 'f'), code: 'HAMLET_ERR_PATH_OUTSIDE' },
    { name: 'the root itself', setup: (r) => r, code: 'HAMLET_ERR_PATH_OUTSIDE' },
    { name: 'a .. escape', setup: (r) => join(r, '..', 'outside', 'f'), code: 'HAMLET_ERR_PATH_OUTSIDE' },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const { root, outside, tree } = fresh();
      const p = c.setup(root, outside);
      assert.equal(codeOf(() => checkOwnedPath(tree, p)), c.code, 'check');
      assert.equal(codeOf(() => createOwnedFile(tree, p, 0o600)), c.code, 'create');
      assert.equal(codeOf(() => readOwnedFile(tree, p)), c.code, 'read');
      assert.deepEqual(readdirOutside(outside), [], 'nothing made outside');
    });
  }

  test('a file of another owner (a hard link to it, say) is refused', () => {
    const { root, tree } = fresh();
    writeFileSync(join(root, 'mine'), 'x');
    const other: UserTree = { ...tree, owners: [self + 1] };
    assert.equal(codeOf(() => checkOwnedPath(other, join(root, 'mine'))), 'HAMLET_ERR_PATH_OWNER');
    assert.equal(codeOf(() => readOwnedFile(other, join(root, 'mine'))), 'HAMLET_ERR_PATH_OWNER');
  });

  test('a missing file is not an error; a found one is read through its descriptor', () => {
    const { root, tree } = fresh();
    assert.equal(checkOwnedPath(tree, join(root, 'no', 'such')), undefined);
    assert.equal(readOwnedFile(tree, join(root, 'no')), undefined);
    writeFileSync(join(root, 'p'), 'required_score 3\n');
    assert.equal(readOwnedFile(tree, join(root, 'p'))!.text.toString(), 'required_score 3\n');
  });
});

function readdirOutside(dir: string): string[] {
  return existsSync(dir) ? readdirSync(dir) : [];
}

describe('what is made in a tree', () => {
  test('directories 0700 and files exactly the mode asked, whatever the umask', () => {
    const { root, tree } = fresh();
    const old = process.umask(0); // umask 0: the modes must still be tight
    try {
      createOwnedFile(tree, join(root, 'a', 'b', 'f'), 0o600, 'hello');
    } finally {
      process.umask(old);
    }
    assert.equal(statSync(join(root, 'a')).mode & 0o777, 0o700);
    assert.equal(statSync(join(root, 'a', 'b')).mode & 0o777, 0o700);
    assert.equal(statSync(join(root, 'a', 'b', 'f')).mode & 0o777, 0o600);
    assert.equal(readFileSync(join(root, 'a', 'b', 'f'), 'utf8'), 'hello');
    // An existing file is left as it is.
    createOwnedFile(tree, join(root, 'a', 'b', 'f'), 0o600, 'other');
    assert.equal(readFileSync(join(root, 'a', 'b', 'f'), 'utf8'), 'hello');
  });

  test('as root, what is made is given to the user', { skip: isRoot ? false : 'skipped: chown needs root' }, () => {
    const { root } = fresh();
    chownSync(root, 65534, 65534);
    const tree: UserTree = { root, owners: [65534], chownTo: { uid: 65534, gid: 65534 } };
    createOwnedFile(tree, join(root, '.hamlet', 'user_prefs'), 0o600);
    ensureOwnedDir(tree, join(root, '.hamlet', 'sub'));
    for (const p of ['.hamlet', '.hamlet/user_prefs', '.hamlet/sub']) {
      const st = lstatSync(join(root, p));
      assert.deepEqual([p, st.uid, st.gid], [p, 65534, 65534]);
    }
    // Root's own file in the user's tree is not the user's.
    writeFileSync(join(root, '.hamlet', 'planted'), '');
    assert.equal(codeOf(() => checkOwnedPath(tree, join(root, '.hamlet', 'planted'))), 'HAMLET_ERR_PATH_OWNER');
  });
});

describe("SQLite's -wal and -shm get the database file's mode", () => {
  const modes = (path: string): string[] => ['', '-wal', '-shm'].map((x) => `${x || 'db'} ${(statSync(path + x).mode & 0o777).toString(8)}`);

  test('Bayes: bayes_file_mode 0700 gives 0600 to the database, its -wal and its -shm (umask 022)', () => {
    const { root } = fresh();
    const old = process.umask(0o022);
    try {
      const path = join(root, 'bayes.sqlite');
      const store = openSqliteStore(path, { fileMode: '0700' });
      try {
        assert.deepEqual(modes(path), ['db 600', '-wal 600', '-shm 600']);
      } finally {
        store.close();
      }
    } finally {
      process.umask(old);
    }
  });

  test('AWL: the same with auto_welcomelist_file_mode 0700', async () => {
    const { root } = fresh();
    const path = join(root, 'awl.sqlite');
    const store = openAwlStore(path, { fileMode: 0o700 });
    try {
      await store.addScore({ email: 'a@b.c', ip: '1.2' }, 3);
      assert.deepEqual(modes(path), ['db 600', '-wal 600', '-shm 600']);
    } finally {
      store.close();
    }
  });

  test('createDbFile leaves an existing file alone', () => {
    const { root } = fresh();
    const path = join(root, 'x.sqlite');
    writeFileSync(path, '', { mode: 0o640 });
    const before = statSync(path).mode;
    createDbFile(path, 0o600);
    assert.equal(statSync(path).mode, before);
  });

  test('the tree guard: a symlinked companion refuses the database; a database outside the tree passes unchecked', () => {
    const { root, outside, tree } = fresh();
    const path = join(root, 'bayes.sqlite');
    symlinkSync(join(outside, 'wal'), `${path}-wal`);
    assert.throws(() => openSqliteStore(path, { fileMode: '0600', guard: treeDbGuard(tree) }), /bayes\.sqlite-wal is a symbolic link/);
    assert.ok(!existsSync(join(outside, 'wal')));
    rmSync(`${path}-wal`);
    const site = openSqliteStore(join(outside, 'site.sqlite'), { fileMode: '0600', guard: treeDbGuard(tree) });
    site.close();
    const mine = openSqliteStore(path, { fileMode: '0600', guard: treeDbGuard(tree) });
    mine.close();
  });

  test('the tree guard notices a database replaced between the check and the open', () => {
    const { root, tree } = fresh();
    const path = join(root, 'awl.sqlite');
    const guard = treeDbGuard(tree);
    writeFileSync(join(root, 'other'), ''); // made first, so it cannot reuse the first file's inode
    guard.prepare(path, true, 0o600);
    rmSync(path);
    linkSync(join(root, 'other'), path);
    assert.throws(() => guard.verify(path), /was replaced while it was being opened/);
  });

  test('the tree guard refuses a database SQLite resolved to somewhere else', () => {
    const { root, outside, tree } = fresh();
    const path = join(root, 'bayes.sqlite');
    const guard = treeDbGuard(tree);
    guard.prepare(path, true, 0o600);
    guard.verify(path, realpathSync(path));
    assert.throws(() => guard.verify(path, join(realpathSync(outside), 'bayes.sqlite')), /was opened as .*outside\/bayes\.sqlite/);
  });
});
