import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { modernCorpusAvailable, modernMessages, modernPart } from '../helpers/modern-corpus';

const skip = modernCorpusAvailable() ? false : 'modern-2019.tar.xz not present in ../shared/corpora';

test('the modern corpus split is fixed by path and covers both labels in both parts', { skip }, () => {
  const all = modernMessages();
  assert.equal(all.length, 4000);
  for (const label of ['ham', 'spam'] as const) {
    for (const part of ['dev', 'measure'] as const) {
      const n = all.filter((m) => m.label === label && m.part === part).length;
      // About a third is dev: the hash makes it near 85/256 of each label.
      assert.ok(part === 'dev' ? n > 550 && n < 800 : n > 1200 && n < 1450, `${label}/${part}: ${n}`);
    }
  }
  assert.equal(modernPart(all[0]!.rel), all[0]!.part);
  assert.deepEqual(modernMessages({ part: 'dev', label: 'spam' }).every((m) => m.part === 'dev' && m.label === 'spam'), true);
});

test('the view is stripped of the list path', { skip }, () => {
  const spam = modernMessages({ label: 'spam' }).slice(0, 50);
  for (const m of spam) {
    assert.ok(existsSync(m.file));
    const head = readFileSync(m.file, 'latin1').split(/\r?\n\r?\n/)[0]!;
    assert.doesNotMatch(head, /^List-Id:/im, m.rel);
    assert.doesNotMatch(head, /^X-Spam-/im, m.rel);
  }
});
