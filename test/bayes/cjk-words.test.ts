/** CJK word tokens: ICU segmentation of Japanese and Chinese runs, in the tokenizer's byte form. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CJK_WORD_PREFIX, cjkWords, cjkWordTokens } from '../../src/bayes/cjk-words';
import { tokenize } from '../../src/bayes/tokenizer';
import { parseMessage } from '../../src/message/parse';
import { testSettings } from './helpers';

const conf = testSettings().tokenizer;

const bytes = (s: string): string => Buffer.from(s, 'utf8').toString('latin1');

test('Japanese: words of two characters or more, particles dropped', () => {
  const w = cjkWords('無料でお金を稼ぐ方法をご紹介します');
  for (const word of ['無料', 'お金', '稼ぐ', '方法', '紹介']) assert.ok(w.includes(word), `missing ${word} in ${w.join('|')}`);
  assert.ok(!w.includes('を') && !w.includes('で'));
});

test('Chinese: dictionary words', () => {
  const w = cjkWords('我们提供免费的投资机会');
  for (const word of ['免费', '投资', '机会']) assert.ok(w.includes(word), `missing ${word} in ${w.join('|')}`);
});

test('Latin text and mixed lines: only the CJK runs give words', () => {
  assert.deepEqual(cjkWords('Click here for free money'), []);
  assert.deepEqual(cjkWords('Sale 無料 now'), ['無料']);
  assert.deepEqual(cjkWords('Sale 無 now'), []); // a lone character is no word token
  assert.ok(cjkWords('Sale: 無料配送 now').includes('無料'));
});

test('binary-string form: prefixed tokens as UTF-8 bytes; lines without CJK bytes cost nothing', () => {
  const toks = cjkWordTokens(bytes('今すぐ無料でお金を稼ぐ'));
  assert.ok(toks.includes(CJK_WORD_PREFIX + bytes('無料')));
  assert.ok(toks.every((t) => t.startsWith(CJK_WORD_PREFIX) && /^[\x00-\xff]*$/.test(t)));
  assert.deepEqual(cjkWordTokens(bytes('caf\u00e9 cr\u00e8me')), []);
  assert.deepEqual(cjkWordTokens('plain ascii line'), []);
});

test('a huge line of kanji is bounded', () => {
  const toks = cjkWordTokens(bytes('無料配送'.repeat(50_000)));
  assert.ok(toks.length <= 500 && toks.length > 0);
});

test('the tokenizer adds the words beside the u8: pieces, unless bayes_cjk_words is 0', () => {
  const msg = parseMessage(Buffer.from('Subject: hi\nContent-Type: text/plain; charset=utf-8\n\n今すぐ無料でお金を稼ぐ方法\n', 'utf8'));
  const on = tokenize(msg, conf);
  assert.ok(on.has(CJK_WORD_PREFIX + bytes('無料')));
  assert.ok([...on].some((t) => t.startsWith('u8:')), 'SpamAssassin-compatible pieces are kept');
  const off = tokenize(msg, { ...conf, cjkWords: false });
  assert.ok(![...off].some((t) => t.startsWith(CJK_WORD_PREFIX)));
  assert.equal(on.size - off.size, [...on].filter((t) => t.startsWith(CJK_WORD_PREFIX)).length);
});
