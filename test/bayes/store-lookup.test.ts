/** The classification read (`lookup`) and the deferred atime stamps of the SQLite store. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { bayesTokens, classify, learn, openBayesStore } from '../../src/bayes/index';
import type { SqliteBayesStore } from '../../src/bayes/stores/sqlite';
import { TOUCH_FLUSH_TOKENS } from '../../src/bayes/touch-buffer';
import { collect, synthetic, tempDir, testSettings } from './helpers';

const NOW = 1100000000;
/** Two receive times: the synthetic messages' Date, and a later one the scans carry. */
const LEARNED_AT = Date.parse('Mon, 01 Jul 2002 12:00:00 +0000') / 1000;
const SCANNED_DATE = 'Tue, 01 Oct 2002 12:00:00 +0000';
const SCANNED_AT = Date.parse(SCANNED_DATE) / 1000;

async function trained(t: { after(fn: () => void): void }, n = 6) {
  const dir = tempDir(t);
  const settings = testSettings({ bayes_min_spam_num: String(n), bayes_min_ham_num: String(n) });
  const path = join(dir, 'bayes');
  const store = openBayesStore(settings, { path });
  for (let i = 0; i < n; i++) {
    await learn(store, synthetic('spam', i), true, settings, { now: NOW });
    await learn(store, synthetic('ham', i), false, settings, { now: NOW });
  }
  return { settings, path, store };
}

test('lookup gives the message counts and the known tokens, as getTokens and messageCounts do', async (t) => {
  const { settings, store } = await trained(t);
  t.after(() => store.close());
  const hashes = [...bayesTokens(synthetic('spam', 100), settings), 12345, 2 ** 40 - 1];
  const l = await store.lookup(hashes);
  assert.deepEqual({ nspam: l.nspam, nham: l.nham }, await store.messageCounts());
  assert.deepEqual({ nspam: l.nspam, nham: l.nham }, { nspam: 6, nham: 6 });
  const byGet = (store as SqliteBayesStore).db.getTokens(hashes);
  assert.ok(byGet.size > 5, 'the probe shares tokens with the trained spam');
  assert.equal(l.hashes.length, byGet.size);
  for (let i = 0; i < l.hashes.length; i++) {
    const c = byGet.get(l.hashes[i]!);
    assert.deepEqual([l.spam[i], l.ham[i]], [c?.spam, c?.ham], `token ${l.hashes[i]}`);
  }
  const empty = await store.lookup([]);
  assert.deepEqual(empty, { nspam: 6, nham: 6, hashes: [], spam: [], ham: [] });
});

test('lookup on an empty database gives zero counts and no tokens', async (t) => {
  const dir = tempDir(t);
  const store = openBayesStore(testSettings(), { path: join(dir, 'bayes') });
  t.after(() => store.close());
  assert.deepEqual(await store.lookup([1, 2, 3]), { nspam: 0, nham: 0, hashes: [], spam: [], ham: [] });
});

test("classifying stamps the verdict's tokens with the message time: held back, written on close", async (t) => {
  const { settings, path, store } = await trained(t);
  const probe = synthetic('spam', 100, SCANNED_DATE);
  const v = (await classify(store, probe, settings, { now: NOW * 2 }))!;
  assert.ok(v.used.length > 0);
  const used = new Set(v.used.map((u) => u.hash));
  const atimes = async (s: typeof store) => new Map((await collect(s.allTokens())).filter(([h]) => used.has(h)).map(([h, c]) => [h, c.atime]));
  // Still pending: the table holds the learned atimes.
  assert.ok([...(await atimes(store)).values()].every((a) => a === LEARNED_AT));
  await store.close();
  const again = openBayesStore(settings, { path, readonly: true });
  t.after(() => again.close());
  const after = await atimes(again);
  assert.equal(after.size, used.size);
  assert.ok([...after.values()].every((a) => a === SCANNED_AT), 'every used token carries the scan time');
  assert.equal((await again.vars()).newestAtime, SCANNED_AT);
});

test('pending stamps are written with the next learned batch, and when enough have gathered', async (t) => {
  const { settings, store } = await trained(t);
  t.after(() => store.close());
  const v = (await classify(store, synthetic('spam', 100, SCANNED_DATE), settings, { now: NOW * 2 }))!;
  const probe = v.used[0]!.hash;
  const atimeOf = (h: number) => (store as SqliteBayesStore).db.getTokens([h]).get(h)?.atime;
  assert.equal(atimeOf(probe), LEARNED_AT);
  await learn(store, synthetic('ham', 50), false, settings, { now: NOW });
  assert.equal(atimeOf(probe), SCANNED_AT, 'written by the learn transaction');
  // Enough distinct stamps make a write of their own.
  const many = Array.from({ length: TOUCH_FLUSH_TOKENS }, (_, i) => i + 1);
  store.touchLater([probe], SCANNED_AT + 10);
  assert.equal(atimeOf(probe), SCANNED_AT);
  store.touchLater(many, SCANNED_AT + 10);
  assert.equal(atimeOf(probe), SCANNED_AT + 10);
});

test('a read-only store classifies without stamping', async (t) => {
  const { settings, path, store } = await trained(t);
  await store.close();
  const ro = openBayesStore(settings, { path, readonly: true });
  t.after(() => ro.close());
  const v = await classify(ro, synthetic('spam', 100, SCANNED_DATE), settings, { now: NOW * 2 });
  assert.ok(v && v.probability > 0.9);
  ro.touchLater([v.used[0]!.hash], SCANNED_AT);
  assert.ok((await collect(ro.allTokens())).every(([, c]) => c.atime === LEARNED_AT));
});
