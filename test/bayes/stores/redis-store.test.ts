/**
 * The Redis Bayes store against a real redis-server (started here, stopped by PID): SpamAssassin's
 * key layout and TTLs, one-round-trip look-ups, learning and forgetting through the learner,
 * backup / restore / clear, and read-only stores. Skipped, visibly, without redis-server.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import Redis from 'ioredis';
import { applyBatch, PendingBatch, type PreparedMessage } from '../../../src/bayes/learn-batch';
import { openBayesStore } from '../../../src/bayes/open-store';
import { parseRedisDsn } from '../../../src/bayes/stores/redis-dsn';
import { RedisBayesStore } from '../../../src/bayes/stores/redis';
import { tokenKey } from '../../../src/bayes/stores/redis-format';
import type { BayesStore } from '../../../src/bayes/store';
import { redisMissing, startRedis, type RedisServer } from '../../helpers/redis-server';
import { testSettings } from '../helpers';
import { prep, snapshot, TTL } from './helpers';

const skip = redisMissing();

let server: RedisServer | undefined;
let nextDb = 0;
const opened: BayesStore[] = [];

before(async () => {
  if (!skip) server = await startRedis();
});
after(async () => {
  for (const s of opened) await s.close().catch(() => undefined);
  await server?.close();
});

/** A store on a database of its own. */
function store(opts: { db?: number; readonly?: boolean; ttl?: { token: number; seen: number } } = {}): RedisBayesStore {
  const s = new RedisBayesStore(parseRedisDsn(server!.dsn(opts.db ?? nextDb++)), { readonly: opts.readonly, ttl: opts.ttl ?? TTL });
  opened.push(s);
  return s;
}

/** A raw client on the store's database, to look at the keys themselves. */
async function raw(s: RedisBayesStore, t: { after(fn: () => Promise<void>): void }): Promise<Redis> {
  const db = Number(/\/(\d+)$/.exec(s.location)![1]);
  const r = new Redis({ host: '127.0.0.1', port: server!.port, db });
  t.after(async () => void (await r.quit()));
  return r;
}


const batch = (msgs: PreparedMessage[], mode: 'spam' | 'ham'): PendingBatch => {
  const b = new PendingBatch(mode);
  for (const m of msgs) b.add(m);
  return b;
};

test('learning writes SpamAssassin\'s layout: w:<5 bytes> hashes with s/h, s:<msgid> flags, v: counters, with the TTLs', { skip }, async (t) => {
  const s = store();
  const m = prep('spam', 1);
  assert.deepEqual(await applyBatch(s, batch([m], 'spam'), 'spam'), ['learned']);
  const r = await raw(s, t);
  assert.deepEqual(await r.mget('v:NSPAM', 'v:NHAM', 'v:DB_VERSION', 'v:TOKEN_FORMAT'), ['1', '0', '3', '2']);
  assert.equal(await r.get(`s:${m.ids[0]}`), 's');
  const seenTtl = await r.ttl(`s:${m.ids[0]}`);
  assert.ok(seenTtl > TTL.seen - 60 && seenTtl <= TTL.seen, `seen TTL ${seenTtl}`);
  const key = tokenKey(m.hashes[0]!);
  assert.deepEqual(await r.hgetall(key), { s: '1' });
  const tokTtl = await r.ttl(key);
  assert.ok(tokTtl > TTL.token - 60 && tokTtl <= TTL.token, `token TTL ${tokTtl}`);
  assert.equal(await r.ttl('v:NSPAM'), -1);
  assert.equal((await r.keys('w:*')).length, m.hashes.length);
});

test('a look-up answers counts and known tokens in one call', { skip }, async () => {
  const s = store();
  const spam = [prep('spam', 1), prep('spam', 2)];
  const ham = prep('ham', 1);
  await applyBatch(s, batch(spam, 'spam'), 'spam');
  await applyBatch(s, batch([ham], 'ham'), 'ham');
  const unknown = 123456789;
  const found = await s.lookup([...Array.from(ham.hashes), unknown]);
  assert.equal(found.nspam, 2);
  assert.equal(found.nham, 1);
  assert.equal(found.hashes.length, ham.hashes.length);
  assert.ok(!found.hashes.includes(unknown));
  for (let i = 0; i < found.hashes.length; i++) assert.ok(found.ham[i] === 1 && found.spam[i]! <= 2);
  const empty = await s.lookup([]);
  assert.deepEqual([empty.nspam, empty.nham, empty.hashes.length], [2, 1, 0]);
});

test('relearning moves a message; forgetting removes its fields and tokens', { skip }, async (t) => {
  const s = store();
  const m = prep('spam', 3);
  await applyBatch(s, [m], 'spam');
  assert.deepEqual(await applyBatch(s, [m], 'spam'), ['skipped']);
  assert.deepEqual(await applyBatch(s, [m], 'ham'), ['learned']);
  const r = await raw(s, t);
  assert.deepEqual(await r.mget('v:NSPAM', 'v:NHAM'), ['0', '1']);
  assert.deepEqual(await r.hgetall(tokenKey(m.hashes[0]!)), { h: '1' });
  assert.equal(await r.get(`s:${m.ids[0]}`), 'h');
  assert.deepEqual(await applyBatch(s, [m], 'forget'), ['learned']);
  assert.deepEqual(await r.mget('v:NSPAM', 'v:NHAM'), ['0', '0']);
  assert.equal((await r.keys('w:*')).length, 0);
  assert.equal(await r.exists(`s:${m.ids[0]}`), 0);
});

test('summed batches equal message-by-message learning on Redis too', { skip }, async () => {
  const a = store();
  const b = store();
  const msgs = [prep('spam', 1), prep('spam', 2), prep('spam', 1), prep('spam', 4)];
  const plain = await applyBatch(a, msgs, 'spam');
  const summed = await applyBatch(b, batch(msgs, 'spam'), 'spam');
  assert.deepEqual(summed, plain);
  assert.deepEqual(plain, ['learned', 'learned', 'skipped', 'learned']);
  assert.equal(await snapshot(b), await snapshot(a));
});

test('bayes_auto_expire 0: no TTLs', { skip }, async (t) => {
  const s = store({ ttl: { token: 0, seen: 0 } });
  const m = prep('ham', 5);
  await applyBatch(s, [m], 'ham');
  const r = await raw(s, t);
  assert.equal(await r.ttl(tokenKey(m.hashes[0]!)), -1);
  assert.equal(await r.ttl(`s:${m.ids[0]}`), -1);
});

test('backup and restore: the same tokens, counts and seen ids; restored TTLs spread over 0.7-1.7x', { skip }, async (t) => {
  const a = store();
  await applyBatch(a, batch([prep('spam', 1), prep('spam', 2)], 'spam'), 'spam');
  await applyBatch(a, batch([prep('ham', 1)], 'ham'), 'ham');
  const b = store();
  await applyBatch(b, [prep('ham', 9)], 'ham'); // replaced by the restore
  const tokens: [number, { spam: number; ham: number; atime: number }][] = [];
  for await (const e of a.allTokens()) tokens.push(e);
  const seen: [string, 's' | 'h'][] = [];
  for await (const e of a.allSeen()) seen.push(e);
  await b.write((w) => w.replaceAll({ nspam: 2, nham: 1 }, tokens, seen));
  assert.equal(await snapshot(b), await snapshot(a));
  const r = await raw(b, t);
  for (const [h] of tokens.slice(0, 20)) {
    const ttl = await r.ttl(tokenKey(h));
    assert.ok(ttl >= 0.7 * TTL.token - 2 && ttl <= 1.7 * TTL.token, `restored TTL ${ttl}`);
  }
  await b.write((w) => w.clear());
  assert.equal(await snapshot(b), JSON.stringify({ nspam: 0, nham: 0, toks: [], seen: [] }));
});

test('a transaction that throws writes nothing', { skip }, async () => {
  const s = store();
  await applyBatch(s, [prep('spam', 1)], 'spam');
  const before = await snapshot(s);
  await assert.rejects(
    s.write(async (w) => {
      w.countsChange(5, 5);
      w.seenPut('half@written', 's');
      await w.seenGet(['x']);
      throw new Error('boom');
    }),
    /boom/,
  );
  assert.equal(await snapshot(s), before);
});

test('a read-only store refuses writes with a coded error; --dump magic shows SpamAssassin\'s zeros', { skip }, async () => {
  const db = nextDb++;
  await applyBatch(store({ db }), [prep('spam', 1)], 'spam');
  const ro = store({ db, readonly: true });
  await assert.rejects(ro.write(async () => undefined), { code: 'HAMLET_ERR_BAYES_READONLY' });
  const v = await ro.vars();
  assert.deepEqual([v.dbVersion, v.nspam, v.nham, v.ntokens, v.oldestAtime], [3, 1, 0, 0, 0]);
});

test('bayes_store_module ...::Redis with bayes_sql_dsn opens this store through the registry', { skip }, async () => {
  const settings = testSettings({ bayes_store_module: 'Mail::SpamAssassin::BayesStore::Redis', bayes_sql_dsn: server!.dsn(nextDb++), bayes_token_ttl: '2d', bayes_seen_ttl: '1d' });
  const s = openBayesStore(settings, {});
  opened.push(s);
  assert.ok(s instanceof RedisBayesStore);
  assert.match(s.location, /^redis 127\.0\.0\.1:\d+\/\d+$/);
  await applyBatch(s, [prep('spam', 1)], 'spam');
  assert.equal((await s.messageCounts()).nspam, 1);
});

test('a database in another token format is refused with a clear message', { skip }, async (t) => {
  const s = store();
  const r = await raw(s, t);
  await r.set('v:TOKEN_FORMAT', '0');
  await assert.rejects(s.lookup([1]), (e: Error & { code?: string }) => e.code === 'HAMLET_ERR_BAYES_OPEN' && /token format 0/.test(e.message));
});
