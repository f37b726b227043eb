/**
 * The tokenizer's header caches (header plans, address digests) live across messages: an entry
 * must not keep the message it came from alive (a header name is a slice of the header block).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { tokenHashes } from '../../src/bayes/tokenizer';
import { parseMessage } from '../../src/message/parse';
import { testSettings } from './helpers';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

test('100 messages with 512 KiB of header fields, each with a header name and From never seen before, leave no header block behind', () => {
  const conf = testSettings().tokenizer;
  const filler = `X-Filler: ${'x'.repeat(66)}\n`;
  const fill = filler.repeat(Math.ceil((512 * 1024) / filler.length));
  const heap = (): number => {
    gc();
    return process.memoryUsage().heapUsed;
  };
  const before = heap();
  for (let i = 0; i < 100; i++) {
    const raw = `From: Sender ${i} <s${i}@example.com>\nX-Random-${i}-${Math.random().toString(36).slice(2)}: v\n${fill}Subject: s\n\nbody\n`;
    tokenHashes(parseMessage(Buffer.from(raw, 'latin1')), conf);
  }
  const grown = (heap() - before) / 2 ** 20;
  // Kept alive, the header blocks alone would be 50 MiB; the cache entries themselves are a few KiB.
  assert.ok(grown < 20, `heap grew ${grown.toFixed(1)} MiB`);
});
