/** Worker thread for learn-pool.ts: parse, tokenize and hash a chunk of messages per request. */
import { parentPort } from 'node:worker_threads';
import { learnableMessage } from './learnable-message';
import type { BayesIgnoreLists } from './ignore';
import { prepareMessage, type PreparedMessage } from './learner';
import { tokenizerConfigFrom, type WorkerInit, type WorkerReply, type WorkerRequest } from './learn-pool';
import type { TokenizerConfig } from './tokenizer';

let settings: { tconf: TokenizerConfig; now: number; ignore?: BayesIgnoreLists } | undefined;

parentPort!.on('message', (msg: WorkerRequest | WorkerInit) => {
  if ('init' in msg) {
    settings = { tconf: tokenizerConfigFrom(msg.init.conf), now: msg.init.now, ignore: msg.init.ignore };
    return;
  }
  if (!settings) throw new Error('learn worker: request before its configuration');
  const { tconf, now, ignore } = settings;
  const req = msg;
  const prepared: PreparedMessage[] = [];
  let start = 0;
  for (const end of req.ends) {
    prepared.push(prepareMessage(learnableMessage(Buffer.from(req.data.buffer, req.data.byteOffset + start, end - start)), tconf, now, ignore));
    start = end;
  }
  const ends: number[] = [];
  let total = 0;
  for (const p of prepared) ends.push((total += p.hashes.length));
  const hashes = new Float64Array(total);
  let off = 0;
  for (const p of prepared) {
    hashes.set(p.hashes, off);
    off += p.hashes.length;
  }
  const reply: WorkerReply = { seq: req.seq, ids: prepared.map((p) => [...p.ids]), atimes: prepared.map((p) => p.atime), ignored: prepared.map((p) => p.ignored === true), ends, hashes };
  parentPort!.postMessage(reply, [hashes.buffer]);
});
