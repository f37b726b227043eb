/**
 * Run asynchronous jobs one after another: a connection that holds one transaction at a time
 * (SQLite; a pooled client inside its transaction) must not start the next before the last ends.
 */
export class SerialQueue {
  private last: Promise<unknown> = Promise.resolve();

  /** Start `fn` when every job queued before it has settled; its result or failure is the caller's. */
  run<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.last.then(fn);
    this.last = run.catch(() => undefined);
    return run;
  }

  /** Settles when the jobs queued so far have. */
  idle(): Promise<void> {
    return this.last.then(() => undefined);
  }
}
