/**
 * A scan worker's idle notes (pool.ts `IdleNote`): once the current turn of the worker's event
 * loop is over, nothing computes, so every job it still holds is waiting (for DNS) and it can
 * take another. Call `received()` for each job that arrives and `soon()` after each piece of
 * work (a job started, a job answered); one note goes out per turn.
 */
import type { MessagePort } from 'node:worker_threads';
import type { IdleNote } from './pool';

export function idleNotes(port: MessagePort): { received: () => void; soon: () => void } {
  let seen = 0;
  let scheduled = false;
  const note = (): void => {
    scheduled = false;
    port.postMessage({ type: 'idle', seen } satisfies IdleNote);
  };
  return {
    received: () => void seen++,
    soon: () => {
      if (!scheduled) {
        scheduled = true;
        setImmediate(note);
      }
    },
  };
}
