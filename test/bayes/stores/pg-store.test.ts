/**
 * The PostgreSQL Bayes store against a real server: the same operations give the same database
 * as the SQLite store (counts, tokens, seen ids, verdicts), dumps and restores round-trip, expiry
 * and clearing work, and a server that goes away is an error once, not per call.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { backup, classify, expireOldTokens, forget, learn, openBayesStore, restore, type BayesStore } from '../../../src/bayes/index';
import { TokenDeltas } from '../../../src/bayes/token-deltas';
import { postgresMissing, startPostgres, type PostgresServer } from '../../helpers/postgres-server';
import { collect, synthetic, tempDir, testSettings } from '../helpers';
import { learnConcurrently } from './helpers';

const NOW = 1100000000;
const skip = postgresMissing();

function pgSettings(pg: PostgresServer, extra: Record<string, string> = {}) {
  return testSettings({ bayes_store_module: 'Mail::SpamAssassin::BayesStore::PgSQL', bayes_sql_dsn: pg.dsn, bayes_sql_username: pg.user, bayes_min_spam_num: '5', bayes_min_ham_num: '5', ...extra });
}

async function snapshot(store: BayesStore): Promise<string> {
  const v = await store.vars();
  const toks = (await collect(store.allTokens())).sort((a, b) => a[0] - b[0]).map(([h, t]) => `${h}:${t.spam}/${t.ham}@${t.atime}`);
  const seen = (await collect(store.allSeen())).sort().map(([id, f]) => `${id}=${f}`);
  return JSON.stringify({ nspam: v.nspam, nham: v.nham, ntokens: v.ntokens, toks, seen });
}

/** Learn, relearn and forget the same messages into both stores. */
async function exercise(store: BayesStore, settings: ReturnType<typeof testSettings>): Promise<void> {
  for (let i = 0; i < 8; i++) await learn(store, synthetic('spam', i), true, settings, { now: NOW });
  for (let i = 0; i < 8; i++) await learn(store, synthetic('ham', i), false, settings, { now: NOW });
  await learn(store, synthetic('spam', 3), false, settings, { now: NOW }); // relearn as the other class
  await learn(store, synthetic('ham', 2), false, settings, { now: NOW }); // already learned: no-op
  await forget(store, synthetic('ham', 5), settings, { now: NOW });
}

test('PostgreSQL: learning, relearning and forgetting leave the same data as SQLite, and the same verdicts', { skip }, async (t) => {
  const pg = (await startPostgres())!;
  t.after(() => pg.stop());
  const settings = pgSettings(pg);
  const store = openBayesStore(settings, { username: 'alice' });
  const lite = openBayesStore(testSettings({ bayes_min_spam_num: '5', bayes_min_ham_num: '5' }), { path: join(tempDir(t), 'bayes') });
  try {
    await exercise(store, settings);
    await exercise(lite, settings);
    assert.equal(await snapshot(store), await snapshot(lite));
    const v = await store.vars();
    assert.deepEqual([v.nspam, v.nham], [7, 8]);
    for (const probe of [synthetic('spam', 100), synthetic('ham', 100)]) {
      const a = await classify(store, probe, settings, { touch: false });
      const b = await classify(lite, probe, settings, { touch: false });
      assert.ok(a && b);
      assert.equal(a.probability, b.probability);
    }
    // Another user's rows are apart.
    const bob = openBayesStore(settings, { username: 'bob' });
    assert.equal((await bob.vars()).nspam, 0);
    await bob.close();
  } finally {
    await store.close();
    await lite.close();
  }
});

test('PostgreSQL: backup and restore round-trip; clear empties; expiry drops the oldest', { skip }, async (t) => {
  const pg = (await startPostgres())!;
  t.after(() => pg.stop());
  const settings = pgSettings(pg);
  const store = openBayesStore(settings, { username: 'carol' });
  const dir = tempDir(t);
  try {
    await exercise(store, settings);
    const before = await snapshot(store);
    let text = '';
    await backup(store, (c) => void (text += c));
    await store.write((w) => w.clear());
    assert.equal((await store.vars()).nspam, 0);
    assert.equal((await collect(store.allTokens())).length, 0);
    writeFileSync(join(dir, 'b.txt'), text);
    await restore(store, join(dir, 'b.txt'), NOW);
    assert.equal(await snapshot(store), before);

    // Expiry: 3,000 tokens over 40 days, bound 1,000 (floors lowered for a small database).
    await store.write(async (w) => {
      await w.clear();
      const d = new TokenDeltas();
      for (let i = 0; i < 3000; i++) d.add(i + 1, 1, 0, NOW - 86400 - Math.floor((i / 3000) * 40 * 86400));
      w.countsChange(10, 10);
      w.tokensChange(d);
    });
    assert.equal((await store.vars()).ntokens, 3000);
    const r = await expireOldTokens(store, { maxDbSize: 1000, now: NOW, minKeep: 100, minReduction: 10 });
    assert.ok(r.ran);
    const v = await store.vars();
    assert.equal(v.ntokens, (await collect(store.allTokens())).length);
    assert.ok(v.ntokens <= 1000, `kept ${v.ntokens}`);
    assert.equal(v.lastAtimeDelta, r.delta);
  } finally {
    await store.close();
  }
});

test('PostgreSQL: a stopped server fails learning with a clear error (reported once), scans read nothing, and the pool recovers', { skip }, async (t) => {
  const pg = (await startPostgres())!;
  t.after(() => pg.stop());
  const settings = pgSettings(pg);
  const store = openBayesStore(settings, { username: 'dave' });
  try {
    await exercise(store, settings);
    const before = await snapshot(store);
    await pg.pause();
    const e1 = await learn(store, synthetic('spam', 50), true, settings, { now: NOW }).then(() => undefined, (e: unknown) => e as Error & { code?: string; repeated?: boolean });
    assert.equal(e1?.code, 'HAMLET_ERR_BAYES_SERVER');
    assert.match(e1!.message, /PostgreSQL 127\.0\.0\.1:\d+/);
    assert.equal(e1!.repeated, false);
    const e2 = await store.lookup([1, 2, 3]).then(() => undefined, (e: unknown) => e as Error & { repeated?: boolean });
    assert.equal(e2?.repeated, true, 'the second failure while down is marked as already reported');
    await pg.restart();
    assert.equal(await snapshot(store), before, 'nothing of the failed batch was written');
    assert.equal(await learn(store, synthetic('spam', 50), true, settings, { now: NOW }), true);
  } finally {
    await store.close();
  }
});

test('PostgreSQL: two learners and a scanner at once: every message counted once, token counts as a serial run', { skip }, async (t) => {
  const pg = (await startPostgres())!;
  const settings = pgSettings(pg);
  const stores: BayesStore[] = [];
  // One user's rows learned serially, another's by the concurrent learners.
  const open = (username: string) => {
    const s = openBayesStore(settings, { username });
    stores.push(s);
    return s;
  };
  t.after(async () => {
    for (const s of stores) await s.close();
    await pg.stop();
  });
  const r = await learnConcurrently(() => open('serial'), () => open('shared'));
  assert.ok(r.scans > 0);
  assert.match(r.shared, /"nspam":50,"nham":40/);
  assert.equal(r.shared, r.serial);
});
