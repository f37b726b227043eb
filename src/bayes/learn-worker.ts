/** Worker thread for learn-pool.ts: parse, tokenize and hash one message per request. */
import { parentPort, workerData } from 'node:worker_threads';
import { parseMessage } from '../message/parse';
import { prepareMessage } from './learner';
import { tokenizerConfigFrom, type PortableTokenizerConfig, type WorkerReply, type WorkerRequest } from './learn-pool';

const { conf, now } = workerData as { conf: PortableTokenizerConfig; now: number };
const tconf = tokenizerConfigFrom(conf);

parentPort!.on('message', (req: WorkerRequest) => {
  const raw = Buffer.from(req.raw.buffer, req.raw.byteOffset, req.raw.byteLength);
  const p = prepareMessage(parseMessage(raw), tconf, now);
  const hashes = Float64Array.from(p.hashes);
  const reply: WorkerReply = { seq: req.seq, ids: [...p.ids], hashes, atime: p.atime };
  parentPort!.postMessage(reply, [hashes.buffer]);
});
