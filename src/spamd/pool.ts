/**
 * A pool of scan workers (worker_threads), each holding the compiled rule set.
 *
 * - A bounded queue: past `maxQueue` waiting jobs a new job is refused at once
 *   (`75`), so overload is not absorbed into unbounded memory.
 * - A worker holds up to `maxScansPerWorker` jobs at once (K): a scan that waits for
 *   DNS leaves the worker's event loop to the others' CPU parts, so waits overlap.
 *   A worker takes another job only while every job it holds is waiting (it says so
 *   with an `idle` note), so scans that never wait (`-L`) go one at a time to whichever
 *   worker is free, as with K=1. The next job goes to such a worker holding the fewest.
 * - A job running past `jobTimeoutMs` is answered with spamd's timeout error
 *   (`79`); its worker, which may be stuck, takes no more jobs and is replaced. The
 *   jobs it still holds keep their own time-outs: each is answered when it finishes
 *   or, if the worker is stuck, with `79` in turn; once it holds none it is terminated.
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
import { leaveRegexPhase, regexPhaseState, REGEX_PHASE_SLOTS } from '../regex-flags';
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
  /** Jobs one worker holds at once (K); 1: one at a time. Default {@link DEFAULT_SCANS_PER_WORKER}. */
  readonly maxScansPerWorker?: number;
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
  /** The job's time-out, from when it was sent to a worker. */
  timer?: NodeJS.Timeout;
}

interface Slot {
  readonly worker: Worker;
  readonly generation: number;
  ready: boolean;
  /** Jobs sent and not yet answered, by id. */
  readonly running: Map<number, Pending>;
  /** Jobs sent in all (for --max-conn-per-child, and to match idle notes). */
  jobs: number;
  /** A job it holds may be computing: set when a job is sent, cleared by an idle note sent after it. */
  computing: boolean;
  /** Takes no more jobs; terminated once it holds none. */
  retiring: boolean;
}

/**
 * Jobs a worker holds at once unless told otherwise: enough for a scan's DNS wait (tens of ms
 * to seconds) to be covered by other scans' CPU parts, few enough that a worker's messages in
 * flight stay a small part of its memory (each is bounded by --max-size).
 */
export const DEFAULT_SCANS_PER_WORKER = 8;

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

/**
 * Rule patterns longer than this (characters of source) are compiled without V8's regex
 * optimisations at a worker's start, for one-byte and two-byte text (engine/scanner.ts
 * `warmUp`'s `plainOver`). Their optimised machine code was most of a worker's memory: hamletd
 * with 2 workers, stock rules, Bayes on, 300 scans, the two builds taking turns (load 10-11):
 * 394-398 MB RSS with every pattern optimised, 268-270 MB with the 262 patterns over 300
 * characters plain (290 MB over 1,000; 338 MB over 100, whose two-byte forms cost more than
 * they save), for more CPU per scan: the plain code of those patterns runs slower (14% in that
 * run; after a long warm-up 16.7 against 10.3 ms per scan). `hamletd --plain-regex-over` sets
 * it (0: every pattern optimised). The switch is process-wide: workers warming up together take
 * turns through the pool's phase state; a worker already serving while another warms up may
 * compile a regex it meets for the first time plain, which changes its speed, never its matches.
 */
export const PLAIN_REGEX_OVER = 300;

/**
 * Made-up messages each worker checks before it says it is ready (warm-scans.ts), so the first
 * real scans run optimised JavaScript. Measured on one thread, stock rules, the TEST mail
 * interleaved (load 7): 200 cost 2.9 s of CPU at start and took the first 600 real scans from
 * 19.0 to 15.9 ms each and the next 600 from 15.4 to 13.7; by 1,200 both are at about 13.
 * `hamletd --warm-scans` sets it (0: none).
 */
export const WARM_SCANS = 200;

/** What a worker reports once it can take jobs (worker.ts). */
export interface ReadyNote {
  readonly type: 'ready';
  /** Loading the rule set (from the rule-set cache, or read and compiled), and compiling its regexes, in ms. */
  readonly compileMs?: number;
  readonly warmMs?: number;
  /** Checking the made-up warm-up messages, in ms. */
  readonly scansMs?: number;
  /** The worker's V8 heap once loaded, MB. */
  readonly heapMb?: number;
}

/**
 * What a worker reports when its event loop has nothing to compute: every job it holds is
 * waiting (for DNS). `seen` is how many jobs it had received then, so a note that crossed a
 * newer job on the way is ignored.
 */
export interface IdleNote {
  readonly type: 'idle';
  readonly seen: number;
}

/** One line on a generation that finished loading: wall time, and the slowest worker's steps. */
function loadedLine(what: string, ms: number, notes: readonly ReadyNote[]): string {
  const cost = (n: ReadyNote): number => (n.compileMs ?? 0) + (n.warmMs ?? 0) + (n.scansMs ?? 0);
  const slowest = notes.reduce<ReadyNote | undefined>((a, n) => (a === undefined || cost(n) > cost(a) ? n : a), undefined);
  const steps =
    slowest?.compileMs !== undefined
      ? ` (rules loaded ${(slowest.compileMs / 1000).toFixed(1)} s, regexes compiled ${((slowest.warmMs ?? 0) / 1000).toFixed(1)} s${slowest.scansMs ? `, warm-up scans ${(slowest.scansMs / 1000).toFixed(1)} s` : ''}, heap ${slowest.heapMb?.toFixed(0)} MB per worker)`
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
  /** Shared by every worker's warm-up (regex-flags.ts `inRegexPhase`); each live worker holds a slot. */
  private readonly regexPhases = regexPhaseState();
  private readonly phaseSlots = new Set<number>();
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

  /** Workers holding at least one job. */
  get busy(): number {
    return this.slots.filter((s) => s.running.size > 0).length;
  }

  /** Jobs sent to workers and not yet answered. */
  get inFlight(): number {
    return this.slots.reduce((n, s) => n + s.running.size, 0);
  }

  /** Each worker's state now (for the metrics): loading its rules, idle, busy, or retiring. */
  workerStates(): Record<'loading' | 'idle' | 'busy' | 'retiring', number> {
    const n = { loading: 0, idle: 0, busy: 0, retiring: 0 };
    for (const s of this.slots) n[s.retiring ? 'retiring' : !s.ready ? 'loading' : s.running.size > 0 ? 'busy' : 'idle']++;
    return n;
  }

  /** Jobs one worker holds at once. */
  get scansPerWorker(): number {
    return Math.max(1, this.opts.maxScansPerWorker ?? DEFAULT_SCANS_PER_WORKER);
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
    while ((this.queue.some((p) => !p.cancelled) || this.inFlight > 0) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 20));
    }
    for (const p of this.queue.splice(0)) if (!p.cancelled) p.reject(shuttingDown());
    const slots = this.slots;
    this.slots = [];
    for (const s of slots) failAll(s, shuttingDown);
    await Promise.all(slots.map((s) => s.worker.terminate()));
  }

  private spawn(gen: number, config: WorkerConfig): Promise<ReadyNote> {
    // A slot in the regex phase state; past REGEX_PHASE_SLOTS live workers, one warms up on its own.
    let phaseSlot = 1;
    while (this.phaseSlots.has(phaseSlot)) phaseSlot++;
    const phased = phaseSlot <= REGEX_PHASE_SLOTS;
    if (phased) this.phaseSlots.add(phaseSlot);
    const workerData: WorkerConfig = { ...config, regexPhases: phased ? { state: this.regexPhases, slot: phaseSlot } : undefined };
    const worker = new Worker(this.opts.script ?? join(__dirname, 'worker.js'), { workerData, resourceLimits: WORKER_HEAP });
    const slot: Slot = { worker, generation: gen, ready: false, running: new Map(), jobs: 0, computing: false, retiring: false };
    this.slots.push(slot);
    return new Promise<ReadyNote>((resolve, reject) => {
      worker.on('message', (m: Answer | ReadyNote | IdleNote | { type: 'failed'; error: string }) => {
        if ('type' in m) {
          if (m.type === 'idle') {
            if (m.seen >= slot.jobs) slot.computing = false;
            this.dispatch();
          } else if (m.type === 'ready') {
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
        if (phased) {
          // A worker stopped while compiling must not leave the switch off for the others.
          leaveRegexPhase(this.regexPhases, phaseSlot);
          this.phaseSlots.delete(phaseSlot);
        }
        if (!slot.ready) reject(new Error(`scan worker exited with code ${code} while loading`));
        this.remove(slot);
        failAll(slot, () => new SpamdError('HAMLET_ERR_SPAMD_INTERNAL', EX.SOFTWARE, 'Internal software error: scan worker stopped'));
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
    const job = slot.running.get(a.id);
    if (job) {
      slot.running.delete(a.id);
      clearTimeout(job.timer);
      if (a.ok) job.resolve(a);
      else job.reject(new SpamdError('HAMLET_ERR_SPAMD_INTERNAL', EX.SOFTWARE, `Internal software error: ${a.error}`));
    }
    if (slot.retiring) this.retire(slot);
    this.dispatch();
  }

  /** Take no more jobs on `slot`; stop its worker once it holds none. */
  private retire(slot: Slot): void {
    slot.retiring = true;
    if (slot.running.size === 0) {
      this.remove(slot);
      void slot.worker.terminate();
    }
  }

  private remove(slot: Slot): void {
    const i = this.slots.indexOf(slot);
    if (i >= 0) this.slots.splice(i, 1);
  }

  /** The ready, live worker holding the fewest jobs, among those free (none held, or all waiting) with room. */
  private leastLoaded(): Slot | undefined {
    let best: Slot | undefined;
    for (const s of this.slots) {
      if (!s.ready || s.retiring || s.generation !== this.generation) continue;
      if (s.running.size > 0 && (s.computing || s.running.size >= this.scansPerWorker)) continue;
      if (!best || s.running.size < best.running.size) best = s;
    }
    return best;
  }

  private dispatch(): void {
    for (let slot = this.leastLoaded(); slot; slot = this.leastLoaded()) {
      let next = this.queue.shift();
      while (next && next.cancelled) next = this.queue.shift();
      if (!next) return;
      this.send(slot, next);
    }
  }

  private send(slot: Slot, p: Pending): void {
    slot.running.set(p.job.id, p);
    slot.jobs++;
    slot.computing = true;
    if (this.opts.jobTimeoutMs > 0) p.timer = setTimeout(() => this.expire(slot, p), this.opts.jobTimeoutMs);
    // The worker counts the job's time from now, as the pool does, not from when it gets to it.
    const job: Job = { ...p.job, sentAt: Date.now() };
    slot.worker.postMessage(job, ownsBuffer(job.raw) ? [job.raw.buffer as ArrayBuffer] : []);
    if (this.opts.maxJobsPerWorker > 0 && slot.jobs >= this.opts.maxJobsPerWorker) {
      // --max-conn-per-child: the replacement loads while this worker finishes what it holds.
      this.replace();
      this.retire(slot);
    }
  }

  private expire(slot: Slot, job: Pending): void {
    if (slot.running.get(job.job.id) !== job) return;
    slot.running.delete(job.job.id);
    this.timeouts++;
    const secs = this.opts.jobTimeoutMs / 1000;
    const others = slot.running.size;
    const rest = others > 0 ? ` once its ${others} other scan${others === 1 ? ' is' : 's are'} answered or time out` : '';
    this.opts.log('warn', `scan of job ${job.job.id} ran over ${secs} s; its worker is replaced${rest}`);
    job.reject(timeout('HAMLET_ERR_SPAMD_CHILD_TIMEOUT', `(child processing timeout at ${secs} seconds)`));
    if (!slot.retiring && slot.generation === this.generation && !this.closing) this.replace();
    this.retire(slot);
    this.dispatch();
  }
}

/** Answer every job `slot` holds with `error()` (its worker stopped, or the pool is closing). */
function failAll(slot: Slot, error: () => SpamdError): void {
  for (const p of slot.running.values()) {
    clearTimeout(p.timer);
    p.reject(error());
  }
  slot.running.clear();
}
