/**
 * A stand-in scan worker for the pool's last resort (`--timeout-child`): it never answers a job
 * whose message holds STALL (no rule regex can stall a real worker any more, see
 * engine/regex-guard.ts), and answers any other job as spam.
 */
import { parentPort } from 'node:worker_threads';
import type { Job } from '../../src/spamd/worker';

const port = parentPort!;
port.on('message', (job: Job) => {
  if (Buffer.from(job.raw).includes('STALL')) for (;;); // spins until the pool terminates this worker
  port.postMessage({ id: job.id, ok: true, score: 1000, required: 5, isSpam: true, tests: ['GTUBE'], ms: 0, timedOut: false });
});
port.postMessage({ type: 'ready' });
