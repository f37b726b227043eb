/**
 * hamletd's stop on SIGTERM/SIGINT, bounded so a service manager never has to
 * kill it: stop listening; let requests being read or scanned finish for the
 * grace period; then answer what is left `75` (the MTA retries later), terminate
 * the workers (a worker stuck in one regex is stopped mid-match) and close every
 * connection.
 */
import type { Logger } from './log';
import type { WorkerPool } from './pool';
import type { SpamdServer } from './server';

/** How long the `75` lines of stopped scans get to reach their clients. */
const FLUSH_MS = 200;

export async function shutdown(server: SpamdServer, pool: WorkerPool, graceMs: number, log: Logger): Promise<void> {
  const deadline = Date.now() + graceMs;
  server.stopListening();
  if (!(await server.drain(deadline))) {
    log('warn', `${server.active} requests still open after the ${graceMs / 1000} s grace period; stopping them`);
  }
  await pool.close(Math.max(0, deadline - Date.now()));
  await server.drain(Date.now() + FLUSH_MS);
  server.destroyAll();
}
