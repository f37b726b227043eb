import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { AwlError } from '../../src/awl/errors';
import { openAwlStore } from '../../src/awl/stores/sqlite';
import { tempDir } from './helpers';

describe('SQLite address-list store', () => {
  const t = tempDir();
  after(() => t.done());

  it('creates a missing directory and the file with auto_welcomelist_file_mode (no execute bits)', async () => {
    const path = join(t.dir, 'sub', 'auto-welcomelist.sqlite');
    openAwlStore(path, { fileMode: 0o700 }).close();
    assert.equal(statSync(path).mode & 0o777, 0o600);
    assert.equal(statSync(join(t.dir, 'sub')).mode & 0o700, 0o700);
    const open = join(t.dir, 'open.sqlite');
    openAwlStore(open, { fileMode: 0o777 }).close();
    assert.equal(statSync(open).mode & 0o777, 0o666);
  });

  it('uses WAL and SpamAssassin\'s SQL column names', async () => {
    const path = join(t.dir, 'wal.sqlite');
    const s = openAwlStore(path);
    s.addScore({ email: 'a@b.c', ip: '1.2' }, 3, 1000);
    s.close();
    const db = new Database(path, { readonly: true });
    assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
    assert.deepEqual(db.prepare('SELECT username, email, ip, signedby, msgcount, totscore, last_hit FROM awl').all(), [
      { username: '', email: 'a@b.c', ip: '1.2', signedby: '', msgcount: 1, totscore: 3, last_hit: 1000 },
    ]);
    db.close();
  });

  it('adds, sets, removes, lists and cleans; usernames are separate lists in one file', async () => {
    const path = join(t.dir, 'ops.sqlite');
    const s = openAwlStore(path);
    const k = { email: 'a@b.c', ip: '1.2' };
    assert.equal(await s.get(k), undefined);
    assert.equal((await s.addScore(k, 2.5)).count, 1);
    assert.deepEqual([(await s.addScore(k, -1)).count, (await s.get(k))?.totalScore], [2, 1.5]);
    await s.put({ email: 'a@b.c', ip: 'none' }, 1, -100);
    await s.addScore({ email: 'z@b.c', ip: '9.9' }, 1);
    assert.deepEqual((await s.entries()).map((e) => `${e.email}|ip=${e.ip}`), ['a@b.c|ip=1.2', 'a@b.c|ip=none', 'z@b.c|ip=9.9']);
    assert.equal(await s.clean(2), 2);
    assert.deepEqual((await s.entries()).map((e) => e.ip), ['1.2']);
    assert.equal(await s.remove(k), true);
    assert.equal(await s.remove(k), false);
    const bob = openAwlStore(path, { username: 'bob' });
    await bob.addScore(k, 7);
    assert.equal(await s.get(k), undefined);
    assert.equal((await bob.get(k))?.totalScore, 7);
    assert.equal(await s.removeAddress('a@b.c'), 0);
    await bob.close();
    await s.close();
  });

  it('refuses a file that is not SQLite (e.g. SpamAssassin\'s own DB_File) and writes through a read-only handle', async () => {
    const path = join(t.dir, 'auto-welcomelist');
    writeFileSync(path, Buffer.from('\0\x06\x15\x61 Berkeley DB hash file'));
    assert.throws(() => openAwlStore(path), (e: unknown) => e instanceof AwlError && e.code === 'HAMLET_ERR_AWL_NOT_A_DB');
    assert.throws(() => openAwlStore(join(t.dir, 'missing.sqlite'), { readonly: true }), (e: unknown) => e instanceof AwlError && e.code === 'HAMLET_ERR_AWL_OPEN');
    assert.equal(existsSync(join(t.dir, 'missing.sqlite')), false);
    const rw = join(t.dir, 'ro.sqlite');
    await openAwlStore(rw).close();
    const ro = openAwlStore(rw, { readonly: true });
    assert.equal(await ro.get({ email: 'a@b.c', ip: '1.2' }), undefined);
    await assert.rejects(() => ro.addScore({ email: 'a@b.c', ip: '1.2' }, 1), (e: unknown) => e instanceof AwlError && e.code === 'HAMLET_ERR_AWL_READONLY');
    await ro.close();
  });
});
