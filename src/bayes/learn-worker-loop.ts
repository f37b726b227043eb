/** The body of a learn worker (learn-worker.ts starts it): parse, tokenize and hash a chunk of messages per request. */
import { parentPort } from 'node:worker_threads';
import { learnableMessage } from './learnable-message';
import type { BayesIgnoreLists } from './ignore';
import { prepareMessage, type PreparedMessage } from './learner';
import { tokenizerConfigFrom, type WorkerFinish, type WorkerInit, type WorkerReply, type WorkerRequest } from './learn-pool';
import type { TokenizerConfig } from './tokenizer';

let settings: { tconf: TokenizerConfig; now: number; ignore?: BayesIgnoreLists } | undefined;
/** Messages prepared so far. */
let prepared = 0;

/** Runs the loop; `finish` is called on the pool's last word with the number of messages prepared, and the thread ends after it. */
export function serve(finish: (messages: number) => void): void {
  parentPort!.on('message', (msg: WorkerRequest | WorkerInit | WorkerFinish) => {
    if ('finish' in msg) {
      finish(prepared);
      parentPort!.close();
      return;
    }
    if ('init' in msg) {
      settings = { tconf: tokenizerConfigFrom(msg.init.conf), now: msg.init.now, ignore: msg.init.ignore };
      return;
    }
    if (!settings) throw new Error('learn worker: request before its configuration');
    parentPort!.postMessage(...prepareChunk(msg, settings));
    prepared += msg.ends.length;
  });
}

function prepareChunk(req: WorkerRequest, s: NonNullable<typeof settings>): [WorkerReply, ArrayBuffer[]] {
  const { tconf, now, ignore } = s;
  const out: PreparedMessage[] = [];
  let start = 0;
  for (const end of req.ends) {
    out.push(prepareMessage(learnableMessage(Buffer.from(req.data.buffer, req.data.byteOffset + start, end - start)), tconf, now, ignore));
    start = end;
  }
  const ends: number[] = [];
  let total = 0;
  for (const p of out) ends.push((total += p.hashes.length));
  const hashes = new Float64Array(total);
  let off = 0;
  for (const p of out) {
    hashes.set(p.hashes, off);
    off += p.hashes.length;
  }
  const reply: WorkerReply = { seq: req.seq, ids: out.map((p) => [...p.ids]), atimes: out.map((p) => p.atime), ignored: out.map((p) => p.ignored === true), ends, hashes };
  return [reply, [hashes.buffer]];
}
