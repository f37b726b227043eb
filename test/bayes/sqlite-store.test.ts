/** The SQLite store through the learner: the 200/200 gate, seen-ids, relearning, forgetting, bad files. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { applyBatch, BayesError, canClassify, classify, forget, learn, openBayesStore, prepareMessage, bayesSettings } from '../../src/bayes/index';
import { openSqliteStore } from '../../src/bayes/stores/sqlite';
import { receiveTime } from '../../src/bayes/message-info';
import { parseMessage } from '../../src/message/parse';
import { TokenDeltas } from '../../src/bayes/token-deltas';
import { collect, synthetic, tempDir, testSettings } from './helpers';

const NOW = 1100000000;

test('Bayes gives no verdict until bayes_min_spam_num spam and bayes_min_ham_num ham are learned', async (t) => {
  const dir = tempDir(t);
  const settings = testSettings({ bayes_min_spam_num: '20', bayes_min_ham_num: '20' });
  const store = openBayesStore(settings, { path: join(dir, 'bayes') });
  t.after(() => store.close());
  const conf = settings.tokenizer;
  const probe = synthetic('spam', 999);
  for (let i = 0; i < 20; i++) await learn(store, synthetic('spam', i), true, settings, { now: NOW });
  for (let i = 0; i < 19; i++) await learn(store, synthetic('ham', i), false, settings, { now: NOW });
  assert.equal(await canClassify(store, settings), false);
  assert.equal(await classify(store, probe, settings), undefined);
  await learn(store, synthetic('ham', 19), false, settings, { now: NOW });
  assert.equal(await canClassify(store, settings), true);
  const v = await classify(store, probe, settings, { now: NOW });
  assert.ok(v && v.probability > 0.99, `spam probe: ${v?.probability}`);
  const h = await classify(store, synthetic('ham', 999), settings, { now: NOW });
  assert.ok(h && h.probability < 0.01, `ham probe: ${h?.probability}`);
  void conf;
});

test('default minimum is 200/200', async () => {
  const s = bayesSettings({});
  assert.equal(s.minSpam, 200);
  assert.equal(s.minHam, 200);
  assert.equal(s.expiryMaxDbSize, 150000);
});

test('learning the same message twice is a no-op; learning it as the other class moves its counts', async (t) => {
  const dir = tempDir(t);
  const settings = testSettings();
  const store = openBayesStore(settings, { path: join(dir, 'bayes') });
  t.after(() => store.close());
  const msg = synthetic('spam', 1);
  assert.equal(await learn(store, msg, true, settings, { now: NOW }), true);
  const after1 = await store.vars();
  const tokens1 = (await collect(store.allTokens()));
  assert.equal(await learn(store, msg, true, settings, { now: NOW }), false);
  assert.deepEqual(await store.vars(), after1);
  assert.deepEqual((await collect(store.allTokens())), tokens1);
  assert.equal(after1.nspam, 1);
  // Relearn as ham: spam counts move to ham.
  assert.equal(await learn(store, msg, false, settings, { now: NOW }), true);
  const v = await store.vars();
  assert.equal(v.nspam, 0);
  assert.equal(v.nham, 1);
  assert.equal(v.ntokens, tokens1.length);
  for await (const [, c] of store.allTokens()) {
    assert.equal(c.spam, 0);
    assert.equal(c.ham, 1);
  }
  // The same id learned again as ham: no-op.
  assert.equal(await learn(store, msg, false, settings, { now: NOW }), false);
  const seen = (await collect(store.allSeen()));
  assert.equal(seen.length, 1);
  assert.match(seen[0]![0], /^[0-9a-f]{40}@sa_generated$/);
});

test('forgetting removes the counts and tokens a message added, and a second forget does nothing', async (t) => {
  const dir = tempDir(t);
  const settings = testSettings();
  const store = openBayesStore(settings, { path: join(dir, 'bayes') });
  t.after(() => store.close());
  await learn(store, synthetic('ham', 1), false, settings, { now: NOW });
  const base = (await collect(store.allTokens())).length;
  await learn(store, synthetic('ham', 2), false, settings, { now: NOW });
  assert.ok((await collect(store.allTokens())).length > base);
  assert.equal(await forget(store, synthetic('ham', 2), settings), true);
  assert.equal((await store.vars()).nham, 1);
  assert.equal((await collect(store.allTokens())).length, base);
  for await (const [, c] of store.allTokens()) assert.equal(c.ham, 1);
  assert.equal(await forget(store, synthetic('ham', 2), settings), false);
  assert.equal(await forget(store, synthetic('spam', 7), settings), false);
});

test('a batch is one transaction: a failure inside leaves the database as it was', async (t) => {
  const dir = tempDir(t);
  const settings = testSettings();
  const store = openBayesStore(settings, { path: join(dir, 'bayes') });
  t.after(() => store.close());
  await learn(store, synthetic('spam', 1), true, settings, { now: NOW });
  const before = await store.vars();
  const bad = prepareMessage(synthetic('spam', 2), settings.tokenizer, NOW);
  const poisoned = { ...bad, ids: [] as string[] }; // seenPut(undefined) throws mid-batch
  await assert.rejects(() => applyBatch(store, [prepareMessage(synthetic('spam', 3), settings.tokenizer, NOW), poisoned], 'spam'));
  assert.deepEqual(await store.vars(), before);
});

test('a file that is not SQLite is refused and left untouched', async (t) => {
  const dir = tempDir(t);
  const path = join(dir, 'bayes.sqlite');
  const junk = Buffer.from('this is not a database\n'.repeat(100));
  writeFileSync(path, junk);
  assert.throws(() => openSqliteStore(path), (e: unknown) => e instanceof BayesError && e.code === 'HAMLET_ERR_BAYES_NOT_A_DB');
  assert.deepEqual(readFileSync(path), junk);
});

test('a corrupt SQLite file gives a clear error', async (t) => {
  const dir = tempDir(t);
  const path = join(dir, 'bayes.sqlite');
  const s = openSqliteStore(path);
  await s.close();
  const bytes = readFileSync(path);
  bytes.fill(0xff, 100, Math.min(bytes.length, 4096)); // header page trashed
  writeFileSync(path, bytes);
  assert.throws(() => openSqliteStore(path), (e: unknown) => e instanceof BayesError);
});

test('a read-only database can be scanned but not written', async (t) => {
  if (process.getuid?.() === 0) {
    // root ignores file modes; open read-only explicitly instead.
  }
  const dir = tempDir(t);
  const settings = testSettings({ bayes_min_spam_num: '1', bayes_min_ham_num: '1' });
  const path = join(dir, 'bayes');
  const rw = openBayesStore(settings, { path });
  await learn(rw, synthetic('spam', 1), true, settings, { now: NOW });
  await learn(rw, synthetic('ham', 1), false, settings, { now: NOW });
  await rw.close();
  chmodSync(path + '.sqlite', 0o444);
  const ro = openBayesStore(settings, { path, readonly: true });
  t.after(() => ro.close());
  assert.ok(await classify(ro, synthetic('spam', 2), settings) !== undefined);
  await assert.rejects(() => learn(ro, synthetic('spam', 3), true, settings), (e: unknown) => e instanceof BayesError && e.code === 'HAMLET_ERR_BAYES_READONLY');
  assert.equal((await ro.vars()).nspam, 1);
});

test('an empty message and a message of only headers learn without error', async (t) => {
  const dir = tempDir(t);
  const settings = testSettings();
  const store = openBayesStore(settings, { path: join(dir, 'bayes') });
  t.after(() => store.close());
  assert.equal(await learn(store, parseMessage(Buffer.alloc(0)), true, settings, { now: NOW }), true);
  assert.equal(await learn(store, parseMessage(Buffer.from('To: someone@example.com\nSubject: hi\n')), true, settings, { now: NOW }), true);
  assert.equal((await store.vars()).nspam, 2);
  assert.ok(existsSync(join(dir, 'bayes.sqlite')));
});

test('token atimes come from the first Received date, else the mbox From line, else Date', async () => {
  const now = 2000000000;
  const rcvd = parseMessage(Buffer.from('Received: from a (a [1.2.3.4]) by b; Tue, 20 Aug 2002 17:27:47 -0500\nDate: Mon, 01 Jul 2002 12:00:00 +0000\n\nx\n'));
  assert.equal(receiveTime(rcvd, now), Date.UTC(2002, 7, 20, 22, 27, 47) / 1000);
  const mbox = parseMessage(Buffer.from('From someone@example.com  Thu Jan  3 10:00:00 2002\nReceived: (qmail 1 invoked by uid 0); no date here\nDate: Mon, 01 Jul 2002 12:00:00 +0000\n\nx\n'));
  // A ctime date's time of day is taken with the date (SpamAssassin reads midnight); no zone means the local one.
  assert.equal(receiveTime(mbox, now), Date.UTC(2002, 0, 3) / 1000 + new Date().getTimezoneOffset() * 60);
  const date = parseMessage(Buffer.from('Date: Mon, 01 Jul 2002 12:00:00 +0000\n\nx\n'));
  assert.equal(receiveTime(date, now), Date.UTC(2002, 6, 1, 12) / 1000);
  const future = parseMessage(Buffer.from('Date: Mon, 01 Jul 2099 12:00:00 +0000\n\nx\n'));
  assert.equal(receiveTime(future, now), now);
});

test('token changes spanning several multi-row upserts land row by row; counts going to zero drop their rows', async (t) => {
  const dir = tempDir(t);
  const store = openSqliteStore(join(dir, 'bayes.sqlite'));
  t.after(() => store.close());
  // 301 tokens: two full 128-row statements and a remainder written one row at a time.
  const n = 301;
  const up = new TokenDeltas();
  for (let i = 0; i < n; i++) up.add(1000 + i * 7919, i % 3, 1 + (i % 2), NOW + i);
  await store.write(async (w) => w.tokensChange(up));
  // Again, some tokens down: the odd ones lose all their counts, every fifth gains spam.
  const down = new TokenDeltas();
  for (let i = 0; i < n; i++) {
    if (i % 2 === 1) down.add(1000 + i * 7919, -(i % 3), -2, NOW);
    else if (i % 5 === 0) down.add(1000 + i * 7919, 4, 0, NOW - 10);
  }
  await store.write(async (w) => w.tokensChange(down));
  const rows = new Map(await collect(store.allTokens()));
  for (let i = 0; i < n; i++) {
    const c = rows.get(1000 + i * 7919);
    if (i % 2 === 1) {
      assert.equal(c, undefined, `token ${i} dropped`);
      continue;
    }
    assert.deepEqual(c, { spam: (i % 3) + (i % 5 === 0 ? 4 : 0), ham: 1, atime: NOW + i }, `token ${i}`);
  }
  assert.equal(rows.size, Math.ceil(n / 2));
  assert.equal((await store.vars()).newestAtime, NOW + n - 1);
});
