/**
 * Parse and tokenize messages on worker threads for bulk learning; the caller
 * applies the prepared messages to the store in input order on its own thread
 * (SQLite writes stay in one connection, one transaction per batch).
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { join } from 'node:path';
import type { PreparedMessage } from './learner';
import type { TokenizerConfig } from './tokenizer';

/** The tokenizer configuration in a form that crosses a thread boundary. */
export interface PortableTokenizerConfig {
  maxTokenLength: number;
  ignoreHeaders: string[];
  stopwords: Array<{ source: string; flags: string }>;
}

export function portableConfig(c: TokenizerConfig): PortableTokenizerConfig {
  return {
    maxTokenLength: c.maxTokenLength,
    ignoreHeaders: [...c.ignoreHeaders],
    stopwords: c.stopwords.map((r) => ({ source: r.source, flags: r.flags })),
  };
}

export function tokenizerConfigFrom(p: PortableTokenizerConfig): TokenizerConfig {
  return {
    maxTokenLength: p.maxTokenLength,
    ignoreHeaders: new Set(p.ignoreHeaders),
    stopwords: p.stopwords.map((s) => new RegExp(s.source, s.flags)),
  };
}

export interface WorkerRequest {
  seq: number;
  raw: Uint8Array;
}
export interface WorkerReply {
  seq: number;
  ids: string[];
  hashes: Float64Array;
  atime: number;
}

/** Workers worth starting: one core stays with the thread that reads input and writes SQLite. */
export function defaultThreads(): number {
  return Math.max(1, Math.min(3, availableParallelism() - 1));
}

/**
 * Prepare `raws` on `threads` workers, yielding results in input order.
 * At most `window` messages are in flight per worker.
 */
export async function* prepareInWorkers(
  raws: Iterable<Buffer>,
  conf: TokenizerConfig,
  now: number,
  threads: number,
  window = 32,
): AsyncGenerator<PreparedMessage> {
  const workers = Array.from(
    { length: threads },
    () => new Worker(join(__dirname, 'learn-worker.js'), { workerData: { conf: portableConfig(conf), now } }),
  );
  const done = new Map<number, PreparedMessage>();
  let failure: unknown;
  let wake: (() => void) | undefined;
  for (const w of workers) {
    w.on('message', (r: WorkerReply) => {
      done.set(r.seq, { ids: r.ids, hashes: Array.from(r.hashes), atime: r.atime });
      wake?.();
    });
    w.on('error', (e) => {
      failure = e;
      wake?.();
    });
  }
  const it = raws[Symbol.iterator]();
  let sent = 0;
  let next = 0;
  let exhausted = false;
  try {
    for (;;) {
      while (!exhausted && sent - next < window * threads) {
        const r = it.next();
        if (r.done) {
          exhausted = true;
          break;
        }
        const raw = r.value;
        // Copy into a buffer the worker can own (mbox slices share one big buffer).
        const copy = new Uint8Array(raw.length);
        copy.set(raw);
        workers[sent % threads]!.postMessage({ seq: sent, raw: copy } satisfies WorkerRequest, [copy.buffer]);
        sent++;
      }
      if (failure) throw failure;
      if (exhausted && next === sent) return;
      const ready = done.get(next);
      if (ready) {
        done.delete(next);
        next++;
        yield ready;
        continue;
      }
      await new Promise<void>((resolve) => (wake = resolve));
      wake = undefined;
    }
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}
