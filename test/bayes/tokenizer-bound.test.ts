/**
 * The tokenizer's word and token caches live across messages in a server: however many words
 * it meets, their memory stays at its first size (a long hamletd run must not grow with them).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tokenHashes } from '../../src/bayes/tokenizer';
import { parseMessage } from '../../src/message/parse';
import { testSettings } from './helpers';

/** A message of `n` words never seen before (letters only, 6-12 long, so each is one token). */
function freshWords(seed: number, n: number): Buffer {
  const words: string[] = [];
  let x = seed * 7919 + 1;
  for (let i = 0; i < n; i++) {
    let w = '';
    const len = 6 + (i % 7);
    for (let k = 0; k < len; k++) {
      x = (Math.imul(x, 1103515245) + 12345) >>> 0;
      w += String.fromCharCode(97 + ((x >>> 16) % 26));
    }
    words.push(w);
  }
  return Buffer.from(`From: a@example.com\nSubject: s\n\n${words.join(' ')}\n`, 'latin1');
}

test('500,000 distinct words leave the token caches at their first size', () => {
  const conf = testSettings().tokenizer;
  tokenHashes(parseMessage(freshWords(0, 10)), conf);
  const before = process.memoryUsage().arrayBuffers;
  for (let m = 1; m <= 250; m++) tokenHashes(parseMessage(freshWords(m, 2000)), conf);
  const grown = (process.memoryUsage().arrayBuffers - before) / 2 ** 20;
  // Each word gives a word entry and a token entry: 1,000,000 entries, ten times the bound.
  // Unbounded, or bounded above the tables' first size, they grow by tens of MiB.
  assert.ok(grown < 4, `the caches' typed arrays grew ${grown.toFixed(1)} MiB`);
});
