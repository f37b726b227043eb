/**
 * One Redis shared by several learners and scanners, and a Redis that goes away: concurrent
 * learning loses no message or token count against a serial run, and a server stopped mid-run
 * makes look-ups and learning fail at once with coded errors, writes nothing half, is reported
 * once, and is used again when it is back. Skipped, visibly, without redis-server.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyBatch, PendingBatch, type PreparedMessage } from '../../../src/bayes/learn-batch';
import { parseRedisDsn } from '../../../src/bayes/stores/redis-dsn';
import { RedisBayesStore } from '../../../src/bayes/stores/redis';
import type { BayesStore } from '../../../src/bayes/store';
import { redisMissing, startRedis } from '../../helpers/redis-server';
import { prep, snapshot, TTL } from './helpers';

const skip = redisMissing();


/** Learn `msgs` as `mode` in batches of `size`, one transaction each. */
async function learnAll(s: BayesStore, msgs: PreparedMessage[], mode: 'spam' | 'ham', size: number): Promise<void> {
  for (let i = 0; i < msgs.length; i += size) {
    const b = new PendingBatch(mode);
    for (const m of msgs.slice(i, i + size)) b.add(m);
    await applyBatch(s, b, mode);
  }
}

test('two learners and a scanner at once: every message counted once, token counts as a serial run', { skip }, async (t) => {
  const server = await startRedis();
  const stores: RedisBayesStore[] = [];
  const open = (db: number) => {
    const s = new RedisBayesStore(parseRedisDsn(server.dsn(db)), { ttl: TTL });
    stores.push(s);
    return s;
  };
  t.after(async () => {
    for (const s of stores) await s.close();
    await server.close();
  });
  const spam = Array.from({ length: 40 }, (_, i) => prep('spam', i));
  const ham = Array.from({ length: 40 }, (_, i) => prep('ham', i));
  // Both learners also take the same 10 spam: only one of them may count each.
  const both = Array.from({ length: 10 }, (_, i) => prep('spam', 100 + i));

  const serial = open(0);
  await learnAll(serial, [...spam, ...both], 'spam', 7);
  await learnAll(serial, ham, 'ham', 7);

  const a = open(1);
  const b = open(1);
  const scanner = open(1);
  let scans = 0;
  let learning = true;
  const scanning = (async () => {
    while (learning) {
      const found = await scanner.lookup(Array.from(spam[0]!.hashes));
      assert.ok(found.nspam >= 0);
      scans++;
    }
  })();
  await Promise.all([learnAll(a, [...spam, ...both], 'spam', 3), learnAll(b, both, 'spam', 5).then(() => learnAll(b, ham, 'ham', 4))]);
  learning = false;
  await scanning;
  assert.ok(scans > 0);
  const shared = await snapshot(a);
  assert.match(shared, /"nspam":50,"nham":40/);
  assert.equal(shared, await snapshot(serial));
});

test('the server stopped mid-run: coded errors at once, nothing half-written, reported once, reconnected', { skip }, async (t) => {
  const server = await startRedis({ persist: true });
  const reports: string[] = [];
  const s = new RedisBayesStore(parseRedisDsn(server.dsn(0)), { ttl: TTL, report: (l) => reports.push(l) });
  t.after(async () => {
    await s.close();
    await server.close();
  });
  await learnAll(s, [prep('spam', 1), prep('spam', 2)], 'spam', 2);
  const before = await snapshot(s);

  // The server goes away while a transaction is open: its commit fails, so nothing of it lands.
  await assert.rejects(
    s.write(async (w) => {
      await w.seenGet(['m@x']);
      w.countsChange(1, 0);
      w.seenPut('m@x', 's');
      await server.stop();
    }),
    { code: 'HAMLET_ERR_BAYES_SERVER' },
  );
  const t0 = performance.now();
  await assert.rejects(s.lookup(Array.from(prep('spam', 1).hashes)), { code: 'HAMLET_ERR_BAYES_SERVER' });
  await assert.rejects(applyBatch(s, [prep('spam', 3)], 'spam'), (e: Error & { code?: string }) => e.code === 'HAMLET_ERR_BAYES_SERVER' && /redis 127\.0\.0\.1:\d+\/0/.test(e.message));
  assert.ok(performance.now() - t0 < 1000, 'no waiting while the server is away');
  assert.equal(reports.filter((l) => /unreachable/.test(l)).length, 1, reports.join('\n'));

  await server.start();
  const deadline = Date.now() + 15000;
  for (;;) {
    try {
      await s.messageCounts();
      break;
    } catch (e) {
      if (Date.now() > deadline) throw e;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  assert.equal(await snapshot(s), before);
  assert.ok(reports.some((l) => /is back/.test(l)), reports.join('\n'));
  assert.deepEqual(await applyBatch(s, [prep('spam', 3)], 'spam'), ['learned']);
  assert.match(await snapshot(s), /"nspam":3/);
});
