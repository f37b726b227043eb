/** The SQLite store's lookup cache: answers as an uncached read would, and forgets on any change to the file. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { bayesTokens, learn, openBayesStore, type BayesStore } from '../../../src/bayes/index';
import { LookupCache } from '../../../src/bayes/stores/lookup-cache';
import type { SqliteBayesStore } from '../../../src/bayes/stores/sqlite';
import type { TokenLookup } from '../../../src/bayes/store';
import { synthetic, tempDir, testSettings } from '../helpers';

const NOW = 1100000000;

/** A fake database: token -> [spam, ham], recording what each read asked for. */
function fakeDb(tokens: Map<number, [number, number]>, nspam = 10, nham = 20) {
  const asked: number[][] = [];
  const read = (missing: readonly number[]): TokenLookup => {
    asked.push([...missing]);
    const out: TokenLookup = { nspam, nham, hashes: [], spam: [], ham: [] };
    for (const h of missing) {
      const c = tokens.get(h);
      if (c) {
        out.hashes.push(h);
        out.spam.push(c[0]);
        out.ham.push(c[1]);
      }
    }
    return out;
  };
  return { asked, read };
}

/** A lookup as hash -> [spam, ham], whatever its order. */
const asMap = (l: TokenLookup) => new Map(l.hashes.map((h, i) => [h, [l.spam[i], l.ham[i]]]));

test('a repeated lookup is answered from the cache, absent tokens included; a new data_version reads again', () => {
  const db = fakeDb(new Map([[1, [3, 0]], [2, [0, 2 ** 20]], [2 ** 40 - 1, [2 ** 20, 7]]]));
  const cache = new LookupCache();
  const first = cache.lookup([1, 2, 99, 2 ** 40 - 1], 5, db.read);
  assert.deepEqual(db.asked, [[1, 2, 99, 2 ** 40 - 1]]);
  const again = cache.lookup([2 ** 40 - 1, 99, 2, 1], 5, db.read);
  assert.equal(db.asked.length, 1, 'nothing read: every token known or known absent');
  assert.deepEqual(asMap(again), asMap(first));
  assert.deepEqual(asMap(again), new Map([[1, [3, 0]], [2, [0, 2 ** 20]], [2 ** 40 - 1, [2 ** 20, 7]]]));
  assert.deepEqual([again.nspam, again.nham], [10, 20]);
  cache.lookup([1, 3], 5, db.read);
  assert.deepEqual(db.asked[1], [3], 'only the new token is read');
  cache.lookup([1, 3], 6, db.read);
  assert.deepEqual(db.asked[2], [1, 3], 'another connection committed: everything is read again');
});

test('the message counts are read when nothing is cached yet, even for no tokens', () => {
  const db = fakeDb(new Map(), 4, 5);
  const cache = new LookupCache();
  assert.deepEqual(cache.lookup([], 1, db.read), { nspam: 4, nham: 5, hashes: [], spam: [], ham: [] });
  assert.equal(db.asked.length, 1);
  cache.lookup([], 1, db.read);
  assert.equal(db.asked.length, 1);
});

test('the cache empties itself past its bound', () => {
  const db = fakeDb(new Map());
  const cache = new LookupCache(10);
  cache.lookup(Array.from({ length: 11 }, (_, i) => i), 1, db.read);
  assert.equal(cache.size, 11);
  cache.lookup([0], 1, db.read);
  assert.deepEqual(db.asked[1], [0], 'over the bound: emptied before the next lookup');
  assert.equal(cache.size, 1);
});

/** The store's lookup against its uncached token read. */
function assertFresh(store: BayesStore, l: TokenLookup, hashes: readonly number[]) {
  const direct = (store as SqliteBayesStore).db.getTokens(hashes);
  assert.deepEqual(asMap(l), new Map([...direct].map(([h, c]) => [h, [c.spam, c.ham]])));
}

test("a store's cached lookups follow learning by another connection and by its own", async (t) => {
  const dir = tempDir(t);
  const settings = testSettings();
  const path = join(dir, 'bayes');
  const scanner = openBayesStore(settings, { path });
  const learner = openBayesStore(settings, { path });
  t.after(async () => {
    await scanner.close();
    await learner.close();
  });
  for (let i = 0; i < 3; i++) await learn(learner, synthetic('spam', i), true, settings, { now: NOW });
  const hashes = bayesTokens(synthetic('spam', 100), settings);
  const before = await scanner.lookup(hashes);
  assert.equal(before.nspam, 3);
  assert.ok(before.hashes.length > 5);
  assertFresh(scanner, await scanner.lookup(hashes), hashes);

  await learn(learner, synthetic('spam', 100), true, settings, { now: NOW });
  const afterOther = await scanner.lookup(hashes);
  assert.equal(afterOther.nspam, 4, 'another connection learned: the counts are read again');
  assert.equal(afterOther.hashes.length, hashes.length, "every token of the learned message is now known");
  assertFresh(scanner, afterOther, hashes);

  await learn(scanner, synthetic('ham', 100), false, settings, { now: NOW });
  const afterOwn = await scanner.lookup(hashes);
  assert.equal(afterOwn.nham, 1, 'this connection learned: its cache was emptied');
  assertFresh(scanner, afterOwn, hashes);
});

test('the table grows past its first size and keeps every entry', () => {
  const tokens = new Map(Array.from({ length: 20_000 }, (_, i): [number, [number, number]] => [i * 7919 * 65536 + 1, [i % 5, i % 3]]));
  const db = fakeDb(tokens);
  const cache = new LookupCache(50_000);
  const hashes = [...tokens.keys(), ...Array.from({ length: 5_000 }, (_, i) => 2 ** 39 + i)];
  cache.lookup(hashes, 1, db.read);
  assert.equal(cache.size, 25_000);
  const again = cache.lookup(hashes, 1, db.read);
  assert.equal(db.asked.length, 1, 'all answered from the grown table');
  assert.deepEqual(asMap(again), tokens);
});

test('one lookup past the full table answers right; the next starts empty', () => {
  const db = fakeDb(new Map([[5, [1, 1]], [19, [2, 0]]]));
  const cache = new LookupCache(8); // 16 slots, 12 entries at most
  const hashes = Array.from({ length: 20 }, (_, i) => i);
  assert.deepEqual(asMap(cache.lookup(hashes, 1, db.read)), new Map([[5, [1, 1]], [19, [2, 0]]]));
  assert.equal(cache.size, 12);
  assert.deepEqual(asMap(cache.lookup([5, 19], 1, db.read)), new Map([[5, [1, 1]], [19, [2, 0]]]));
  assert.deepEqual(db.asked[1], [5, 19], 'over the bound: emptied, read again');
});
