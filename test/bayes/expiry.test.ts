/** Expiry: a database over the bound is brought back under it, oldest tokens first. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { expireOldTokens, expiryDue } from '../../src/bayes/expiry';
import { openSqliteStore } from '../../src/bayes/stores/sqlite';
import { TokenDeltas } from '../../src/bayes/token-deltas';
import { collect, tempDir } from './helpers';

const DAY = 86400;
const NOW = 1100000000;

/** n tokens spread over `days` days (newest at NOW - 1 day). */
function fill(path: string, n: number, days: number) {
  const store = openSqliteStore(path);
  const deltas = new TokenDeltas();
  for (let i = 0; i < n; i++) deltas.add(i + 1, 1, 0, NOW - DAY - Math.floor((i / n) * days * DAY));
  store.db.write((w) => {
    w.countsChange(10, 10);
    w.tokensChange(deltas);
  });
  return store;
}

test('expiry brings a database over bayes_expiry_max_db_size back under it, dropping the least recently used', async (t) => {
  const dir = tempDir(t);
  const store = fill(join(dir, 'b.sqlite'), 20000, 200);
  t.after(() => store.close());
  const opts = { maxDbSize: 12000, now: NOW, minKeep: 1000 };
  assert.equal(expiryDue(await store.vars(), opts), true);
  const r = await expireOldTokens(store, opts);
  assert.equal(r.ran, true);
  const v = await store.vars();
  assert.ok(v.ntokens < 12000, `ntokens ${v.ntokens}`);
  assert.ok(v.ntokens >= 12000 * 0.75 - 1, `kept ${v.ntokens}`);
  assert.equal(v.lastExpireReduce, r.deleted);
  assert.equal(v.lastAtimeDelta, r.delta);
  assert.equal(v.lastExpire, NOW);
  // Survivors are the most recently used: none older than any removed token.
  const oldestKept = Math.min(...(await collect(store.allTokens())).map(([, c]) => c.atime));
  assert.ok(oldestKept >= NOW - DAY - 200 * DAY * (1 - v.ntokens / 20000) - DAY);
  // Not due again within 12 hours.
  assert.equal(expiryDue(await store.vars(), opts), false);
});

test('a database under the bound is not expired unless forced, and SpamAssassin floors apply', async (t) => {
  const dir = tempDir(t);
  const store = fill(join(dir, 'b.sqlite'), 5000, 100);
  t.after(() => store.close());
  assert.equal(expiryDue(await store.vars(), { maxDbSize: 150000, now: NOW }), false);
  // Forced, but with SpamAssassin's 100,000-token floor nothing can go.
  const r = await expireOldTokens(store, { maxDbSize: 150000, now: NOW, force: true });
  assert.equal(r.ran, false);
  assert.equal((await store.vars()).ntokens, 5000);
});
