/**
 * A stand-in scan worker whose jobs wait as a scan waits for DNS, for the pool's tests of
 * several jobs in flight per worker. A message's body says what its job does:
 * - `WAIT=<ms>`: answers after <ms> ms without blocking the event loop;
 * - `HANG`: never answers, and leaves the event loop free (a wait that never ends);
 * - `STALL`: spins until the pool terminates the worker (a stuck CPU part);
 * - `BUSY=<ms>`: computes for <ms> ms, then answers (a scan that never waits, as under -L);
 * - anything else: answers at once.
 * Each answer's tests are [the message's `Subject`, this worker's thread id, the most jobs it
 * held at once so far]. It sends the real worker's idle notes (idle-notes.ts).
 */
import { parentPort, threadId } from 'node:worker_threads';
import { idleNotes } from '../../src/spamd/idle-notes';
import type { Answer, Job } from '../../src/spamd/worker';

const port = parentPort!;
const idle = idleNotes(port);
let holding = 0;
let most = 0;
port.on('message', (job: Job) => {
  idle.received();
  idle.soon();
  const text = Buffer.from(job.raw).toString('latin1');
  holding++;
  most = Math.max(most, holding);
  if (text.includes('STALL')) for (;;);
  if (text.includes('HANG')) return;
  const subject = /^Subject: (.*)$/m.exec(text)?.[1]?.trim() ?? '';
  const answer = (): void => {
    holding--;
    const a: Answer = { id: job.id, ok: true, score: 1, required: 5, isSpam: false, tests: [subject, String(threadId), String(most)], ms: 0, timedOut: false };
    port.postMessage(a);
    idle.soon();
  };
  const busy = /BUSY=(\d+)/.exec(text);
  if (busy) for (const end = performance.now() + Number(busy[1]); performance.now() < end; );
  const wait = /WAIT=(\d+)/.exec(text);
  if (wait) setTimeout(answer, Number(wait[1]));
  else answer();
});
port.postMessage({ type: 'ready' });
