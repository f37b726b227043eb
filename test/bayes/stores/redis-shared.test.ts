/**
 * One Redis shared by several learners and scanners, and a Redis that goes away: concurrent
 * learning loses no message or token count against a serial run, and a server stopped mid-run
 * makes look-ups and learning fail at once with coded errors, writes nothing half, is reported
 * once, and is used again when it is back. Skipped, visibly, without redis-server.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyBatch } from '../../../src/bayes/learn-batch';
import { parseRedisDsn } from '../../../src/bayes/stores/redis-dsn';
import { RedisBayesStore } from '../../../src/bayes/stores/redis';
import { redisMissing, startRedis } from '../../helpers/redis-server';
import { learnAll, learnConcurrently, prep, snapshot, TTL } from './helpers';

const skip = redisMissing();

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
  const r = await learnConcurrently(() => open(0), () => open(1));
  assert.ok(r.scans > 0);
  assert.match(r.shared, /"nspam":50,"nham":40/);
  assert.equal(r.shared, r.serial);
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
