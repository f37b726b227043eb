/** bayes_stopword_*: the tokenizer's stop words, compiled on first read (a scan without Bayes never pays for them). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bayesSettings } from '../../src/bayes/settings';

const matches = (opts: Record<string, string>, token: string): boolean =>
  bayesSettings(opts).tokenizer.stopwords.some((re) => re.test(token));

test('the built-in English stop words match whole tokens, any case', () => {
  assert.equal(matches({}, 'because'), true);
  assert.equal(matches({}, 'BECAUSE'), true);
  assert.equal(matches({}, 'becausex'), false);
});

test('bayes_stopword_languages: disable turns them off, a configured language is used', () => {
  assert.deepEqual(bayesSettings({ bayes_stopword_languages: 'disable' }).tokenizer.stopwords, []);
  const opts = { bayes_stopword_languages: 'en fr', bayes_stopword_fr: '(?:avec|sans)' };
  assert.equal(bayesSettings(opts).tokenizer.stopwords.length, 2);
  assert.equal(matches(opts, 'avec'), true);
  assert.equal(matches(opts, 'with'), true);
});

test('the patterns are compiled once per settings object', () => {
  const t = bayesSettings({}).tokenizer;
  assert.equal(t.stopwords, t.stopwords);
});
