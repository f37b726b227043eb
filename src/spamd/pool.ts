/**
 * A pool of scan workers (worker_threads), each holding the compiled rule set.
 *
 * - A bounded queue: past `maxQueue` waiting jobs a new job is refused at once
 *   (`75`), so overload is not absorbed into unbounded memory.
 * - A job running past `jobTimeoutMs` is answered with spamd's timeout error
 *   (`79`); its worker, which may be stuck in one regex, is terminated and replaced.
 * - `reload()` starts a new generation of workers with freshly read configuration;
 *   only once all of them are ready do new jobs go to them, and the old workers
 *   finish what they hold first (SIGHUP loses no request). Reloads are coalesced:
 *   one generation loads at a time (each holds a whole rule set in memory), and a
 *   reload asked for meanwhile runs once that one is done, so the configuration
 *   read last always wins and memory stays at two generations at most.
 * - `maxJobsPerWorker` recycles a worker after that many jobs (--max-conn-per-child).
 * - A worker takes no job before it says it is ready (rules compiled); jobs that
 *   arrive meanwhile wait in the queue. Each load is logged with how long it took.
 * - Workers run under the heap bounds of `WORKER_HEAP`.
 */
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { EX, SpamdError, timeout } from './codes';
import type { Answer, Job, ScanAnswer, ScanJob, TellJob, WorkerConfig } from './worker';

export interface PoolOptions {
  readonly size: number;
  readonly config: () => WorkerConfig;
  readonly maxQueue: number;
  /** 0: no limit. */
  readonly jobTimeoutMs: number;
  /** 0: never recycle. */
  readonly maxJobsPerWorker: number;
  readonly log: (level: 'info' | 'warn' | 'error', text: string) => void;
  /** Worker script (tests may point elsewhere). */
  readonly script?: string;
}

type JobInput = Omit<ScanJob, 'id'> | Omit<TellJob, 'id'>;

interface Pending {
  readonly job: Job;
  readonly resolve: (a: ScanAnswer) => void;
  readonly reject: (e: SpamdError) => void;
  cancelled: boolean;
}

interface Slot {
  readonly worker: Worker;
  readonly generation: number;
  ready: boolean;
  current: Pending | undefined;
  timer: NodeJS.Timeout | undefined;
  jobs: number;
  retiring: boolean;
}

let nextId = 1;

/**
 * V8 heap bounds of a scan worker (Worker `resourceLimits`), measured on the stock rules with
 * Bayes on; neither changed the CPU per scan measurably.
 * - Young generation 6 MB (2 MB semi-spaces): by default V8 grows each worker's semi-spaces to
 *   16 MB, 32 MB resident per worker that a scan's short-lived garbage does not need.
 * - Old generation 512 MB: V8 also derives how far the heap may grow past its live data before
 *   the next full collection from this bound: up to 4x under the default (about 4 GB here), so
 *   a worker's RSS kept rising for thousands of scans; about 1.4x under 512 MB. A worker's live
 *   data is about 130 MB (60-90 MB of it regexes compiled to machine code), far from the bound.
 */
export const WORKER_HEAP = { maxYoungGenerationSizeMb: 6, maxOldGenerationSizeMb: 512 } as const;

/** What a worker reports once it can take jobs (worker.ts). */
export interface ReadyNote {
  readonly type: 'ready';
  /** Loading the rule set (from the rule-set cache, or read and compiled), and compiling its regexes, in ms. */
  readonly compileMs?: number;
  readonly warmMs?: number;
  /** The worker's V8 heap once loaded, MB. */
  readonly heapMb?: number;
}

/** One line on a generation that finished loading: wall time, and the slowest worker's steps. */
function loadedLine(what: string, ms: number, notes: readonly ReadyNote[]): string {
  const cost = (n: ReadyNote): number => (n.compileMs ?? 0) + (n.warmMs ?? 0);
  const slowest = notes.reduce<ReadyNote | undefined>((a, n) => (a === undefined || cost(n) > cost(a) ? n : a), undefined);
  const steps =
    slowest?.compileMs !== undefined
      ? ` (rules loaded ${(slowest.compileMs / 1000).toFixed(1)} s, regexes compiled ${((slowest.warmMs ?? 0) / 1000).toFixed(1)} s, heap ${slowest.heapMb?.toFixed(0)} MB per worker)`
      : '';
  return `${what}${notes.length} scan worker${notes.length === 1 ? '' : 's'} ready in ${(ms / 1000).toFixed(1)} s${steps}`;
}

const shuttingDown = (): SpamdError => new SpamdError('HAMLET_ERR_SPAMD_SHUTDOWN', EX.TEMPFAIL, 'Service Unavailable: server shutting down');

/**
 * True when the bytes are the whole of their ArrayBuffer (the server copies each
 * message into one), so the message can move to the worker instead of being
 * copied; a slice of a shared buffer (Node's Buffer pool) must be copied.
 */
function ownsBuffer(b: Uint8Array): boolean {
  return b.byteOffset === 0 && b.byteLength === b.buffer.byteLength && b.buffer instanceof ArrayBuffer;
}

export class WorkerPool {
  private slots: Slot[] = [];
  private readonly queue: Pending[] = [];
  /** The generation new jobs go to; a reload's workers get the next one and take over once all are ready. */
  private generation = 0;
  private lastGeneration = 0;
  private closing = false;
  private config: WorkerConfig;
  /** The load under way, and the one asked for while it runs (all such asks share it). */
  private loading: Promise<void> | undefined;
  private queuedReload: { promise: Promise<void>; resolve: () => void; reject: (e: Error) => void } | undefined;
  /** Workers terminated because a job ran out of time. */
  timeouts = 0;
  /** Generations loading now (0 or 1), and the most ever seen loading at once (tests read these). */
  readonly loads = { now: 0, peak: 0, started: 0, done: 0, failed: 0 };

  constructor(private readonly opts: PoolOptions) {
    this.config = opts.config();
  }

  /** Start the workers; resolves when all are ready, rejects when one fails to load. */
  async start(): Promise<void> {
    const gen = ++this.lastGeneration;
    this.generation = gen;
    const t0 = performance.now();
    this.opts.log('info', `loading the rules into ${this.opts.size} scan workers; scans wait until they are ready`);
    const notes = await Promise.all(Array.from({ length: this.opts.size }, () => this.spawn(gen, this.config)));
    this.opts.log('info', loadedLine('', performance.now() - t0, notes));
  }

  /** Workers per generation. */
  get size(): number {
    return this.opts.size;
  }

  get queued(): number {
    return this.queue.length;
  }

  get busy(): number {
    return this.slots.filter((s) => s.current).length;
  }

  /** Run a job; `cancel()` drops it if it is still queued (its client went away). */
  run(input: JobInput): { promise: Promise<ScanAnswer>; cancel: () => void } {
    let pending!: Pending;
    const promise = new Promise<ScanAnswer>((resolve, reject) => {
      pending = { job: { ...input, id: nextId++ } as Job, resolve, reject, cancelled: false };
    });
    if (this.closing) {
      pending.reject(shuttingDown());
    } else if (this.queue.length >= this.opts.maxQueue) {
      pending.reject(new SpamdError('HAMLET_ERR_SPAMD_BUSY', EX.TEMPFAIL, 'Service Unavailable: server busy, try again later'));
    } else {
      this.queue.push(pending);
      this.dispatch();
    }
    return {
      promise,
      cancel: () => {
        pending.cancelled = true;
      },
    };
  }

  /**
   * Read the configuration again and swap in new workers once they are all ready.
   * While a load runs, further calls share one follow-up load that starts when it
   * ends (success or not); each resolves once a configuration read after it is live.
   */
  reload(): Promise<void> {
    if (this.closing) return Promise.reject(new Error('server shutting down'));
    if (!this.loading) return this.startLoad();
    if (!this.queuedReload) {
      let resolve!: () => void;
      let reject!: (e: Error) => void;
      const promise = new Promise<void>((res, rej) => ((resolve = res), (reject = rej)));
      promise.catch(() => {}); // callers that ignore the outcome must not crash the process
      this.queuedReload = { promise, resolve, reject };
      this.opts.log('info', `reload asked for while generation ${this.lastGeneration} loads: it follows once that one is done`);
    }
    return this.queuedReload.promise;
  }

  private startLoad(): Promise<void> {
    const run = this.loadGeneration();
    this.loading = run;
    const next = (): void => {
      this.loading = undefined;
      const queued = this.queuedReload;
      this.queuedReload = undefined;
      if (!queued) return;
      if (this.closing) queued.reject(new Error('server shutting down'));
      else this.startLoad().then(queued.resolve, queued.reject);
    };
    run.then(next, next);
    return run;
  }

  private async loadGeneration(): Promise<void> {
    const config = this.opts.config();
    const gen = ++this.lastGeneration;
    this.loads.started++;
    this.loads.now++;
    this.loads.peak = Math.max(this.loads.peak, this.loads.now);
    this.opts.log('info', `loading generation ${gen} (${this.opts.size} workers)`);
    const t0 = performance.now();
    let notes: ReadyNote[];
    try {
      // The running generation keeps taking jobs while the new one loads.
      notes = await Promise.all(Array.from({ length: this.opts.size }, () => this.spawn(gen, config)));
    } catch (e) {
      // Keep serving with the old workers; drop the new ones.
      for (const s of this.slots.filter((x) => x.generation === gen)) this.retire(s);
      this.loads.failed++;
      if (!this.closing) this.opts.log('error', `reload failed, keeping generation ${this.generation}: ${(e as Error).message}`);
      throw e;
    } finally {
      this.loads.now--;
    }
    this.generation = gen;
    this.config = config;
    for (const s of this.slots.filter((x) => x.generation !== gen)) this.retire(s);
    this.loads.done++;
    this.opts.log('info', loadedLine(`generation ${gen}: `, performance.now() - t0, notes));
    this.opts.log('info', `configuration reloaded: generation ${gen} is live`);
    this.dispatch();
  }

  /**
   * Finish queued and running jobs, then stop all workers. Past `graceMs`, jobs
   * still queued or running are answered `75` (server shutting down) and their
   * workers terminated, so a stuck scan cannot hold the shutdown.
   */
  async close(graceMs = Infinity): Promise<void> {
    this.closing = true;
    const deadline = Date.now() + graceMs;
    while ((this.queue.some((p) => !p.cancelled) || this.slots.some((s) => s.current)) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 20));
    }
    for (const p of this.queue.splice(0)) if (!p.cancelled) p.reject(shuttingDown());
    const slots = this.slots;
    this.slots = [];
    for (const s of slots) {
      if (s.timer) clearTimeout(s.timer);
      s.current?.reject(shuttingDown());
      s.current = undefined;
    }
    await Promise.all(slots.map((s) => s.worker.terminate()));
  }

  private spawn(gen: number, config: WorkerConfig): Promise<ReadyNote> {
    const worker = new Worker(this.opts.script ?? join(__dirname, 'worker.js'), { workerData: config, resourceLimits: WORKER_HEAP });
    const slot: Slot = { worker, generation: gen, ready: false, current: undefined, timer: undefined, jobs: 0, retiring: false };
    this.slots.push(slot);
    return new Promise<ReadyNote>((resolve, reject) => {
      worker.on('message', (m: Answer | ReadyNote | { type: 'failed'; error: string }) => {
        if ('type' in m) {
          if (m.type === 'ready') {
            slot.ready = true;
            resolve(m);
            this.dispatch();
          } else {
            this.remove(slot);
            void worker.terminate();
            reject(new Error(`scan worker could not load the configuration: ${m.error}`));
          }
          return;
        }
        this.settle(slot, m);
      });
      worker.on('error', (e) => {
        this.opts.log('error', `scan worker failed: ${e.message}`);
        if (!slot.ready) reject(e);
      });
      worker.on('exit', (code) => {
        if (!slot.ready) reject(new Error(`scan worker exited with code ${code} while loading`));
        const job = slot.current;
        this.remove(slot);
        if (job) {
          slot.current = undefined;
          if (slot.timer) clearTimeout(slot.timer);
          job.reject(new SpamdError('HAMLET_ERR_SPAMD_INTERNAL', EX.SOFTWARE, 'Internal software error: scan worker stopped'));
        }
        // Replace a worker of the live generation that stopped by itself or was terminated for a time-out.
        if (slot.ready && !slot.retiring && !this.closing && slot.generation === this.generation) {
          this.replace();
        }
      });
    });
  }

  /** Start a worker in place of one that stopped or was recycled; it takes jobs once ready. */
  private replace(): void {
    const t0 = performance.now();
    this.spawn(this.generation, this.config).then(
      (note) => this.opts.log('info', loadedLine('replacement: ', performance.now() - t0, [note])),
      (e: Error) => this.opts.log('error', e.message),
    );
  }

  private settle(slot: Slot, a: Answer): void {
    const job = slot.current;
    if (slot.timer) clearTimeout(slot.timer);
    slot.current = undefined;
    slot.timer = undefined;
    if (job && job.job.id === a.id) {
      if (a.ok) job.resolve(a);
      else job.reject(new SpamdError('HAMLET_ERR_SPAMD_INTERNAL', EX.SOFTWARE, `Internal software error: ${a.error}`));
    }
    if (slot.retiring || (this.opts.maxJobsPerWorker > 0 && slot.jobs >= this.opts.maxJobsPerWorker && slot.generation === this.generation)) {
      if (!slot.retiring) {
        // Start the replacement first; the old worker stops once it is idle (now).
        this.replace();
      }
      this.retire(slot);
    }
    this.dispatch();
  }

  private retire(slot: Slot): void {
    slot.retiring = true;
    if (!slot.current) {
      this.remove(slot);
      void slot.worker.terminate();
    }
  }

  private remove(slot: Slot): void {
    const i = this.slots.indexOf(slot);
    if (i >= 0) this.slots.splice(i, 1);
  }

  private dispatch(): void {
    for (const slot of this.slots) {
      if (!slot.ready || slot.current || slot.retiring || slot.generation !== this.generation) continue;
      let next = this.queue.shift();
      while (next && next.cancelled) next = this.queue.shift();
      if (!next) return;
      slot.current = next;
      slot.jobs++;
      if (this.opts.jobTimeoutMs > 0) slot.timer = setTimeout(() => this.expire(slot, next), this.opts.jobTimeoutMs);
      slot.worker.postMessage(next.job, ownsBuffer(next.job.raw) ? [next.job.raw.buffer as ArrayBuffer] : []);
    }
  }

  private expire(slot: Slot, job: Pending): void {
    if (slot.current !== job) return;
    this.timeouts++;
    slot.current = undefined;
    const secs = this.opts.jobTimeoutMs / 1000;
    this.opts.log('warn', `scan of job ${job.job.id} ran over ${secs} s; its worker is replaced`);
    job.reject(timeout('HAMLET_ERR_SPAMD_CHILD_TIMEOUT', `(child processing timeout at ${secs} seconds)`));
    this.remove(slot);
    slot.retiring = true;
    void slot.worker.terminate();
    this.replace();
  }
}
