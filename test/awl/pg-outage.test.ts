/**
 * The PostgreSQL auto-welcomelist going away under the check pipeline: scans keep answering (the
 * AWL rule simply does not apply while the server is down), the outage is reported once, nothing
 * is half-counted, and the pool picks the server up again when it is back.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkWithFeedback } from '../../src/check/index';
import { openFeedbackStores } from '../../src/learn/feedback';
import { postgresMissing, startPostgres } from '../helpers/postgres-server';
import { AWL_RULES, mail, rulesFrom, tempDir } from './helpers';

const skip = postgresMissing();
const SENDER = 'friend@example.com';
const KEY = { email: SENDER, ip: '203.0' };

test('AWL on PostgreSQL: a stopped server leaves scans answering without the AWL, reported once; the pool recovers', { skip, timeout: 120_000 }, async (t) => {
  const pg = (await startPostgres())!;
  const home = tempDir();
  t.after(async () => {
    await pg.stop();
    home.done();
  });
  const rules = rulesFrom(
    AWL_RULES,
    ['auto_welcomelist_factory Mail::SpamAssassin::SQLBasedAddrList', `user_awl_dsn ${pg.dsn}`, `user_awl_sql_username ${pg.user}`, 'use_bayes 0', 'bayes_auto_learn 0', ''].join('\n'),
  );
  const stores = openFeedbackStores(rules, { home: home.dir, username: 'carol' });
  const scan = (subject: string) => checkWithFeedback(mail(SENDER, ['203.0.113.5'], subject, 'b1'), rules, stores);
  try {
    assert.equal(stores.awlOn, true, 'the AWL is configured on');
    // Up: the first message starts the sender's history, the second is pulled toward it.
    const first = await scan('h5');
    assert.deepEqual([first.result.score, first.feedback.problems?.length ?? 0], [6, 0]);
    const second = await scan('h1');
    assert.ok(second.result.tests.includes('AWL'), `the AWL applies while the server is up: ${second.result.tests.join(',')}`);
    assert.deepEqual([second.feedback.awl?.count, second.feedback.awl?.delta], [1, 2]);
    const before = await stores.addressList().get(KEY);
    assert.deepEqual([before?.count, before?.totalScore], [2, 8]);

    await pg.pause();
    // Down: both scans answer with the rules' own score, without the AWL rule; only the first says why.
    const down1 = await scan('h9');
    const down2 = await scan('h9');
    for (const r of [down1, down2]) {
      assert.equal(r.result.score, 10, 'the rules still score');
      assert.ok(!r.result.tests.includes('AWL'), 'no AWL hit while the server is down');
      assert.equal(r.feedback.awl, undefined);
    }
    assert.equal(down1.feedback.problems?.length, 1, 'the outage is reported');
    assert.match(down1.feedback.problems![0]!.message, /auto-welcomelist: PostgreSQL 127\.0\.0\.1:\d+/);
    assert.equal(down2.feedback.problems?.length ?? 0, 0, 'and reported once, not per scan');

    await pg.restart();
    // Back: the history is what it was before the outage (nothing half-counted), and counting goes on.
    const back = await scan('h1');
    assert.ok(back.result.tests.includes('AWL'), 'the pool reconnected: the AWL applies again');
    assert.deepEqual([back.feedback.awl?.count, back.feedback.awl?.mean], [2, 4], 'the history seen after the restart is the one from before the outage');
    const after = await stores.addressList().get(KEY);
    assert.deepEqual([after?.count, after?.totalScore], [3, 10]);
  } finally {
    await stores.close();
  }
});
