/**
 * The bench's DNS server (test/helpers TestDnsServer) run in a worker thread: a server in the
 * bench's own thread would not read a query, nor start its delay, until a synchronous scan
 * ended, which would hide exactly the overlap bench:network measures.
 */
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Behaviour, TestRecord } from '../../test/helpers/dns-server';

/** A query the server received: [name, type]. */
export type Received = readonly [string, string];

export class DnsThread {
  private nextId = 1;
  private readonly waiting = new Map<number, (v: unknown) => void>();

  private constructor(
    private readonly worker: Worker,
    /** `127.0.0.1:PORT`, as `dns_server` takes it. */
    readonly spec: string,
  ) {
    worker.on('message', (m: { id?: number; result?: unknown }) => {
      const done = m.id === undefined ? undefined : this.waiting.get(m.id);
      if (done) {
        this.waiting.delete(m.id!);
        done(m.result);
      }
    });
  }

  static async start(): Promise<DnsThread> {
    const worker = new Worker(join(__dirname, 'dns-thread-worker.js'));
    const spec = await new Promise<string>((resolve, reject) => {
      worker.once('message', (m: { ready: string }) => resolve(m.ready));
      worker.once('error', reject);
    });
    return new DnsThread(worker, spec);
  }

  private call<T>(req: Record<string, unknown>): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve) => {
      this.waiting.set(id, resolve as (v: unknown) => void);
      this.worker.postMessage({ ...req, id });
    });
  }

  /** Serve records; resolves with the number of answers the server could not encode so far. */
  add(records: readonly TestRecord[]): Promise<number> {
    return this.call({ op: 'add', records });
  }

  /** Misbehave at or under `zone` ('' = every name); `{}` restores normal answers. */
  behave(zone: string, behaviour: Behaviour): Promise<void> {
    return this.call({ op: 'behave', zone, behaviour });
  }

  /** The queries received since the last take. */
  take(): Promise<Received[]> {
    return this.call({ op: 'take' });
  }

  async stop(): Promise<void> {
    await this.call({ op: 'stop' });
    await this.worker.terminate();
  }
}
