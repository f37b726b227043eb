/** bayes_ignore_from / bayes_ignore_to: listed senders and recipients are neither learned nor classified. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { classify, learn, openBayesStore } from '../../src/bayes/index';
import { bayesIgnores } from '../../src/bayes/ignore';
import { synthetic, tempDir, testSettings } from './helpers';

const NOW = 1100000000;

const cases: ReadonlyArray<{ name: string; opts: Record<string, string>; ignored: boolean }> = [
  { name: 'no lists', opts: {}, ignored: false },
  { name: 'exact From address, any case', opts: { bayes_ignore_from: 'SPAM3@spam.example.com' }, ignored: true },
  { name: 'From glob', opts: { bayes_ignore_from: 'nobody@example.net *@spam.example.com' }, ignored: true },
  { name: 'From glob that does not match', opts: { bayes_ignore_from: '*@ham.example.com' }, ignored: false },
  { name: 'To address', opts: { bayes_ignore_to: 'user@example.org' }, ignored: true },
  { name: 'To glob that does not match', opts: { bayes_ignore_to: 'someone@example.org' }, ignored: false },
];

for (const c of cases) {
  test(`bayes ignore lists: ${c.name}`, () => {
    assert.equal(bayesIgnores(synthetic('spam', 3), testSettings(c.opts).ignore), c.ignored);
  });
}

test('an ignored message is not learned and gets no verdict; others still are', async (t) => {
  const dir = tempDir(t);
  const settings = testSettings({ bayes_min_spam_num: '5', bayes_min_ham_num: '5', bayes_ignore_from: 'spam99@*' });
  const store = openBayesStore(settings, { path: join(dir, 'bayes') });
  t.after(() => store.close());
  for (let i = 0; i < 5; i++) {
    assert.equal(await learn(store, synthetic('spam', i), true, settings, { now: NOW }), true);
    assert.equal(await learn(store, synthetic('ham', i), false, settings, { now: NOW }), true);
  }
  assert.equal(await learn(store, synthetic('spam', 99), true, settings, { now: NOW }), false);
  assert.equal((await store.messageCounts()).nspam, 5);
  assert.equal(await classify(store, synthetic('spam', 99), settings, { now: NOW }), undefined);
  assert.ok(((await classify(store, synthetic('spam', 98), settings, { now: NOW }))?.probability ?? 0) > 0.9);
  // With the lists switched off (sa-learn without --use-ignores), it is learned.
  assert.equal(await learn(store, synthetic('spam', 99), true, settings, { now: NOW, useIgnores: false }), true);
});
