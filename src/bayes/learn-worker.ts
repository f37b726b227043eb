/**
 * Worker thread for learn-pool.ts. A learn worker is a fresh V8 isolate in a fresh process per
 * mailbox: it compiles the message parser and tokenizer from source every run, each function
 * again when it first runs. With a cache directory (workerData), the modules are compiled from
 * the bytecode an earlier run left (src/util/module-code-cache.ts), installed before they load;
 * the cache is written when the pool ends a run that prepared enough messages to have run most
 * of the code, and only when a module missed.
 */
import type * as Loop from './learn-worker-loop';
import { workerData } from 'node:worker_threads';
import { resolve } from 'node:path';
import { useCodeCache } from '../util/module-code-cache';
import { MIN_MESSAGES_TO_SAVE_CODE, type WorkerOptions } from './learn-pool';

const opts = (workerData ?? {}) as WorkerOptions;
const cache = opts.codeCacheDir === undefined ? undefined : useCodeCache(opts.codeCacheDir, resolve(__dirname, '..', '..', '..'), 'learn-worker.bin');
// Loaded after the cache is in place, so it and all it requires come from the cache.
// eslint-disable-next-line @typescript-eslint/no-require-imports
(require('./learn-worker-loop') as typeof Loop).serve((messages) => {
  if (cache && messages >= MIN_MESSAGES_TO_SAVE_CODE) cache.save();
});
