import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { addToWelcomelist } from '../../src/awl/manage';
import { openAwlStore } from '../../src/awl/stores/sqlite';
import { tempDir } from './helpers';

function run(args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [join(__dirname, 'concurrency-worker.js'), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    p.stdout.on('data', (d: Buffer) => (out += d.toString()));
    p.stderr.on('data', (d: Buffer) => (err += d.toString()));
    p.on('close', (code) => resolve({ code, out, err }));
  });
}

describe('AWL concurrency', () => {
  const t = tempDir();
  after(() => t.done());

  it('two processes updating the same AWL database at once lose no updates (and move a welcomelisted entry once)', async () => {
    const db = join(t.dir, 'awl.sqlite');
    // The shared sender starts welcomelisted (ip=none): whichever process sees it first moves it to
    // the sender's network; the other must see the moved entry, not a second copy of the -100.
    const seed = openAwlStore(db);
    addToWelcomelist(seed, 'shared@example.com');
    seed.close();
    const go = join(t.dir, 'go');
    const n = 400;
    const a = run([db, go, String(n), '2', 'a@example.com']);
    const b = run([db, go, String(n), '3', 'b@example.com']);
    // Both processes loaded and waiting, then go.
    for (let i = 0; i < 400 && !(existsSync(`${go}.a@example.com.ready`) && existsSync(`${go}.b@example.com.ready`)); i++) {
      await new Promise((r) => setTimeout(r, 25));
    }
    writeFileSync(go, '');
    const [ra, rb] = await Promise.all([a, b]);
    assert.equal(ra.code, 0, ra.err);
    assert.equal(rb.code, 0, rb.err);
    const [na, sa, ea] = ra.out.trim().split(' ').map(Number);
    const [nb, sb, eb] = rb.out.trim().split(' ').map(Number);
    assert.deepEqual([na, nb], [n, n]);
    assert.ok(sa! < eb! && sb! < ea!, 'the two processes ran at the same time');
    const s = openAwlStore(db, { readonly: true });
    const shared = await s.get({ email: 'shared@example.com', ip: '203.0' });
    assert.equal(shared?.count, 2 * n + 1);
    assert.equal(shared?.totalScore, 2 * n + 3 * n - 100);
    assert.equal(await s.get({ email: 'shared@example.com', ip: 'none' }), undefined);
    assert.equal((await s.get({ email: 'a@example.com', ip: '198.51' }))?.count, n);
    assert.equal((await s.get({ email: 'b@example.com', ip: '198.51' }))?.count, n);
    await s.close();
  });
});
