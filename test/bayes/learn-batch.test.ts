/**
 * A PendingBatch sums token changes before the write lock; the database it leaves
 * must equal message-by-message learning in every case, including the ones where
 * the guess "nothing here was learned before" fails.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { applyBatch, PendingBatch, type PreparedMessage } from '../../src/bayes/learn-batch';
import { prepareMessage } from '../../src/bayes/learner';
import { openSqliteStore } from '../../src/bayes/stores/sqlite';
import type { BayesStore } from '../../src/bayes/store';
import { collect, synthetic, tempDir, testSettings } from './helpers';

const NOW = 1_700_000_000;
const conf = testSettings().tokenizer;
const prep = (kind: 'spam' | 'ham', i: number): PreparedMessage => prepareMessage(synthetic(kind, i), conf, NOW);

/** Everything the store holds, in a comparable form. */
async function snapshot(store: BayesStore): Promise<string> {
  const v = await store.vars();
  const toks = (await collect(store.allTokens())).sort((a, b) => a[0] - b[0]).map(([h, t]) => `${h}:${t.spam}/${t.ham}@${t.atime}`);
  const seen = (await collect(store.allSeen())).sort().map(([id, f]) => `${id}=${f}`);
  return JSON.stringify({ nspam: v.nspam, nham: v.nham, toks, seen });
}

/** Apply the same batches both ways into two fresh stores and compare. */
async function bothWays(t: { after(fn: () => void): void }, batches: Array<[PreparedMessage[], 'spam' | 'ham' | 'forget']>): Promise<[string, string, string[][]]> {
  const dir = tempDir(t);
  const a = openSqliteStore(join(dir, 'a.sqlite'));
  const b = openSqliteStore(join(dir, 'b.sqlite'));
  const results: string[][] = [];
  try {
    for (const [msgs, mode] of batches) {
      const plain = await applyBatch(a, msgs, mode);
      const pending = new PendingBatch(mode);
      for (const m of msgs) pending.add(m);
      const summed = await applyBatch(b, pending, mode);
      assert.deepEqual(summed, plain);
      results.push(summed);
    }
    return [await snapshot(a), await snapshot(b), results];
  } finally {
    await a.close();
    await b.close();
  }
}

test('new messages: summed changes equal message-by-message learning', async (t) => {
  const [a, b] = await bothWays(t, [[[prep('spam', 1), prep('spam', 2), prep('spam', 3)], 'spam']]);
  assert.equal(b, a);
  assert.match(b, /"nspam":3/);
});

test('a message repeated inside one batch is learned once', async (t) => {
  const m = prep('ham', 7);
  const [a, b, results] = await bothWays(t, [[[m, prep('ham', 8), m], 'ham']]);
  assert.equal(b, a);
  assert.deepEqual(results[0], ['learned', 'learned', 'skipped']);
  assert.match(b, /"nham":2/);
});

test('relearning as the other class and as the same class', async (t) => {
  const s1 = prep('spam', 1);
  const s2 = prep('spam', 2);
  const [a, b, results] = await bothWays(t, [
    [[s1, s2], 'spam'],
    [[s1, prep('spam', 3)], 'spam'], // s1 again: skipped
    [[s2, prep('ham', 4)], 'ham'], // s2 moves to ham
  ]);
  assert.equal(b, a);
  assert.deepEqual(results[1], ['skipped', 'learned']);
  assert.match(b, /"nspam":2,"nham":2/);
});

test('ignored messages and forgetting', async (t) => {
  const s1 = prep('spam', 1);
  const [a, b, results] = await bothWays(t, [
    [[s1, { ...prep('spam', 2), ignored: true }], 'spam'],
    [[s1, prep('spam', 9)], 'forget'],
  ]);
  assert.equal(b, a);
  assert.deepEqual(results[0], ['learned', 'skipped']);
  assert.deepEqual(results[1], ['learned', 'not-learned']);
  assert.match(b, /"nspam":0/);
});

/** A store whose writers count their seen-flag reads (a round trip each on a server store). */
function countingSeenReads(store: BayesStore): { store: BayesStore; reads: () => number } {
  let reads = 0;
  const write: BayesStore['write'] = (fn) =>
    store.write((w) => {
      const seenGet = w.seenGet.bind(w);
      w.seenGet = (ids) => {
        reads++;
        return seenGet(ids);
      };
      return fn(w);
    });
  return { store: Object.assign(Object.create(store) as BayesStore, { write }), reads: () => reads };
}

test('a batch with repeats and relearns reads the seen flags once, and equals learning one message at a time', async (t) => {
  const dir = tempDir(t);
  const one = openSqliteStore(join(dir, 'one.sqlite'));
  const batched = openSqliteStore(join(dir, 'batched.sqlite'));
  try {
    const [s1, s2, h3] = [prep('spam', 31), prep('spam', 32), prep('ham', 33)];
    for (const s of [one, batched]) await applyBatch(s, [h3], 'ham');
    // h3 moves from ham to spam; s1 repeats; s2 is new.
    const msgs = [s1, h3, s1, s2, h3];
    const singly: string[] = [];
    for (const m of msgs) singly.push(...(await applyBatch(one, [m], 'spam')));
    const counting = countingSeenReads(batched);
    const pending = new PendingBatch('spam');
    for (const m of msgs) pending.add(m);
    assert.deepEqual(await applyBatch(counting.store, pending, 'spam'), singly);
    assert.deepEqual(singly, ['learned', 'learned', 'skipped', 'learned', 'skipped']);
    // One read for the whole batch, not one per message: the summed guess fails on it (h3 is stored), and the recount reuses it.
    assert.equal(counting.reads(), 1);
    assert.equal(await snapshot(batched), await snapshot(one));
  } finally {
    await one.close();
    await batched.close();
  }
});

test('repeats inside a batch of new messages keep the summed path: the message counts change once, not per message', async (t) => {
  const dir = tempDir(t);
  const one = openSqliteStore(join(dir, 'one.sqlite'));
  const batched = openSqliteStore(join(dir, 'batched.sqlite'));
  try {
    const [h1, h2] = [prep('ham', 41), prep('ham', 42)];
    // h1 twice, and once more as a copy that only shares its Message-ID-less stored id.
    const msgs = [h1, h2, h1, { ...h1, ids: [h1.ids[0]!] }, prep('ham', 43)];
    const singly: string[] = [];
    for (const m of msgs) singly.push(...(await applyBatch(one, [m], 'ham')));
    let countChanges = 0;
    const write: BayesStore['write'] = (fn) =>
      batched.write((w) => {
        const countsChange = w.countsChange.bind(w);
        w.countsChange = (ds, dh) => {
          countChanges++;
          countsChange(ds, dh);
        };
        return fn(w);
      });
    const pending = new PendingBatch('ham');
    for (const m of msgs) pending.add(m);
    assert.deepEqual(await applyBatch(Object.assign(Object.create(batched) as BayesStore, { write }), pending, 'ham'), singly);
    assert.deepEqual(singly, ['learned', 'learned', 'skipped', 'skipped', 'learned']);
    assert.equal(countChanges, 1);
    assert.equal(await snapshot(batched), await snapshot(one));
  } finally {
    await one.close();
    await batched.close();
  }
});
