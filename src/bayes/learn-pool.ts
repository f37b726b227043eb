/**
 * Parse and tokenize messages on worker threads for bulk learning; the caller
 * applies the prepared messages to the store in input order on its own thread
 * (SQLite writes stay in one connection, one transaction per batch).
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { join } from 'node:path';
import type { PreparedMessage } from './learner';
import type { BayesIgnoreLists } from './ignore';
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

/**
 * A chunk of messages for one worker: fewer, larger messages between threads cost less than one
 * per message. The messages lie end to end in one transferred buffer, `ends[i]` closing message i
 * (one allocation per chunk instead of one per message).
 */
export interface WorkerRequest {
  seq: number;
  data: Uint8Array<ArrayBuffer>;
  ends: number[];
}
/** The chunk prepared: the messages' hashes end to end, `ends[i]` closing message i's. */
export interface WorkerReply {
  seq: number;
  ids: string[][];
  atimes: number[];
  ignored: boolean[];
  ends: number[];
  hashes: Float64Array;
}

/** Messages per request. */
const CHUNK = 16;
/** Bounds on what waits in the workers' queues: enough to keep them busy while a batch is written. */
const MAX_IN_FLIGHT_MESSAGES = 1024;
const MAX_IN_FLIGHT_BYTES = 64 << 20;

/** Workers worth starting: one core stays with the thread that reads input and writes SQLite. */
export function defaultThreads(): number {
  return Math.max(1, Math.min(3, availableParallelism() - 1));
}

/** Yielded by LearnPool.prepare when no result is ready yet: the caller may use the wait (e.g. to write a batch). */
export const IDLE = Symbol('idle');

/** What a worker needs before its first request. */
export interface WorkerInit {
  init: { conf: PortableTokenizerConfig; now: number; ignore?: BayesIgnoreLists };
}
/** The pool's last word to a worker: keep the code cache (when it is due) and end. */
export interface WorkerFinish {
  finish: true;
}
/** A worker's start-up settings (its workerData). */
export interface WorkerOptions {
  /** Compile the worker's modules through V8's code cache in this directory (learn-worker.ts). */
  readonly codeCacheDir?: string;
}

/**
 * A run that prepared fewer messages (per worker) does not write the code cache: bytecode saved
 * after a few would lack most of the functions, and bytecode that V8 accepts is kept as it is.
 */
export const MIN_MESSAGES_TO_SAVE_CODE = 50;

/**
 * Worker threads that parse and tokenize. They are started before the caller has
 * read its configuration, so their start-up (loading the parser, ~0.2 s) overlaps
 * the caller's; the configuration follows in the first message.
 */
export class LearnPool {
  private readonly workers: Worker[];
  /** Per worker: settled when its thread has ended. */
  private readonly ended: Array<Promise<void>>;
  private readonly done = new Map<number, WorkerReply>();
  private failure: unknown;
  private wake: (() => void) | undefined;

  constructor(
    readonly threads: number,
    opts: WorkerOptions = {},
  ) {
    this.workers = Array.from({ length: threads }, () => new Worker(join(__dirname, 'learn-worker.js'), { workerData: opts }));
    this.ended = this.workers.map((w) => new Promise<void>((resolve) => w.once('exit', () => resolve())));
    for (const w of this.workers) {
      w.on('message', (r: WorkerReply) => {
        this.done.set(r.seq, r);
        this.wake?.();
      });
      w.on('error', (e) => {
        this.failure = e;
        this.wake?.();
      });
    }
  }

  /**
   * Prepare `raws`, yielding results in input order, and IDLE (once after each
   * result) when the next one is not ready. Requests go out in chunks; the queues
   * are bounded in messages and bytes, and filled deep enough that the workers keep
   * parsing while the caller writes a batch to the store. One call per pool.
   */
  async *prepare(raws: Iterable<Buffer>, conf: TokenizerConfig, now: number, ignore?: BayesIgnoreLists): AsyncGenerator<PreparedMessage | typeof IDLE> {
    const { workers, threads, done } = this;
    const init: WorkerInit = { init: { conf: portableConfig(conf), now, ignore } };
    for (const w of workers) w.postMessage(init);
    const chunkBytes = new Map<number, number>();
    const it = raws[Symbol.iterator]();
    let sent = 0; // chunks
    let next = 0;
    let messagesOut = 0;
    let bytesOut = 0;
    let exhausted = false;
    let idleSaid = true;
    const send = (): void => {
      while (!exhausted && messagesOut < MAX_IN_FLIGHT_MESSAGES && bytesOut < MAX_IN_FLIGHT_BYTES) {
        const chunk: Buffer[] = [];
        let bytes = 0;
        while (chunk.length < CHUNK) {
          const r = it.next();
          if (r.done) {
            exhausted = true;
            break;
          }
          chunk.push(r.value);
          bytes += r.value.length;
        }
        if (chunk.length === 0) break;
        // Copied into a buffer the worker can own (mbox slices share one big buffer).
        const data = new Uint8Array(bytes);
        const ends: number[] = [];
        let at = 0;
        for (const raw of chunk) {
          data.set(raw, at);
          ends.push((at += raw.length));
        }
        workers[sent % threads]!.postMessage({ seq: sent, data, ends } satisfies WorkerRequest, [data.buffer]);
        chunkBytes.set(sent, bytes);
        messagesOut += chunk.length;
        bytesOut += bytes;
        sent++;
      }
    };
    for (;;) {
      send();
      if (this.failure) throw this.failure;
      if (exhausted && next === sent) return;
      const ready = done.get(next);
      if (!ready) {
        if (!idleSaid) {
          idleSaid = true;
          yield IDLE;
          continue;
        }
        await new Promise<void>((resolve) => (this.wake = resolve));
        this.wake = undefined;
        continue;
      }
      done.delete(next);
      messagesOut -= ready.ids.length;
      bytesOut -= chunkBytes.get(next)!;
      chunkBytes.delete(next);
      next++;
      let start = 0;
      for (let i = 0; i < ready.ids.length; i++) {
        const end = ready.ends[i]!;
        const p: PreparedMessage = { ids: ready.ids[i]!, hashes: ready.hashes.subarray(start, end), atime: ready.atimes[i]! };
        yield ready.ignored[i] ? { ...p, ignored: true } : p;
        start = end;
      }
      idleSaid = false;
    }
  }

  private closing: Promise<void> | undefined;

  /**
   * Ends the workers once every result is in (the normal end of a run): each ends after its last
   * request, writing its code cache first when that is due. Once; close() after it waits for the same end.
   */
  finish(): Promise<void> {
    if (this.failure) return this.close();
    return (this.closing ??= Promise.all(
      this.workers.map((w, i) => {
        w.postMessage({ finish: true } satisfies WorkerFinish);
        return this.ended[i];
      }),
    ).then(() => undefined));
  }

  /** Ends the workers now, whatever they are doing (once; later calls wait for the same end). */
  close(): Promise<void> {
    return (this.closing ??= Promise.all(this.workers.map((w) => w.terminate())).then(() => undefined));
  }
}
