/**
 * One lane per key (a worker's store): tasks on one key run one after another, in the
 * order given; tasks on different keys run freely. TELL uses it so that learning,
 * which is transactional, never interleaves on one database while scans overlap.
 */
export class SerialLanes {
  /** The last task queued on each key; a key is dropped once its lane is empty. */
  private readonly tails = new Map<object, Promise<unknown>>();

  /** Run `task` after every task queued on `key` before it has settled. */
  run<T>(key: object, task: () => Promise<T>): Promise<T> {
    const before = this.tails.get(key) ?? Promise.resolve();
    const result = before.then(task, task);
    const tail = result.catch(() => {});
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }

  /** Keys with tasks queued or running (tests read it). */
  get size(): number {
    return this.tails.size;
  }
}
