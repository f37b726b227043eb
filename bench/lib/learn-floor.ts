/**
 * A floor for learning speed, run by bench:learn as its own process per mailbox, as
 * hamlet-learn and sa-learn are: read the mbox, split it into messages, cut each
 * message's raw bytes into words, SHA-1 each distinct word once into SpamAssassin's
 * 40-bit token hash and sum the message's distinct hashes into a batch table.
 *
 * It is far less than learning: no MIME decoding, no HTML rendering, no header or URI
 * tokens, one token per word, nothing written to a database. Whatever a compatible
 * learner does costs at least this, on this machine, in a fresh Node process.
 *
 * Usage: node dist/bench/lib/learn-floor.js MBOX  (prints "messages tokens")
 */
import { readFileSync } from 'node:fs';
import { splitMbox } from '../../src/io/mailbox';
import { tokenHashBytes } from '../../src/bayes/hash';
import { TokenDeltas } from '../../src/bayes/token-deltas';
import { ByteTable, grownFloat64, grownInt32, hashBytes } from '../../src/bayes/word-table';

/** Word bytes: ASCII letters, digits and a few marks SpamAssassin keeps in words. */
const WORD = new Uint8Array(256);
for (const c of "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789$!'_-") WORD[c.charCodeAt(0)] = 1;

function main(path: string): void {
  const words = new ByteTable(1 << 17);
  /** Per word id: its token hash, and the last message it was counted for. */
  let hashOf: Float64Array = new Float64Array(1 << 17);
  let stampOf: Int32Array = new Int32Array(1 << 17);
  const deltas = new TokenDeltas(1 << 16);
  const hashes: number[] = [];
  let messages = 0;
  for (const m of splitMbox(readFileSync(path))) {
    const stamp = ++messages;
    hashes.length = 0;
    for (let i = 0; i < m.length; ) {
      while (i < m.length && WORD[m[i]!] === 0) i++;
      const s = i;
      while (i < m.length && WORD[m[i]!] === 1) i++;
      if (i - s < 3) continue;
      const h = hashBytes(m, s, i);
      let id = words.find(m, s, i, h);
      if (id < 0) {
        id = words.insert(m, s, i, h);
        if (id >= hashOf.length) {
          hashOf = grownFloat64(hashOf, id + 1);
          stampOf = grownInt32(stampOf, id + 1);
        }
        hashOf[id] = tokenHashBytes(m, s, i);
      }
      if (stampOf[id] === stamp) continue;
      stampOf[id] = stamp;
      hashes.push(hashOf[id]!);
    }
    deltas.addAll(hashes, 1, 0, 0);
  }
  console.log(`${messages} ${deltas.size}`);
}

main(process.argv[2]!);
