/**
 * Slow clients against a spamd-protocol server: `clients` connections that each
 * send a CHECK request one byte every `intervalS` seconds, for `seconds` at most
 * (then they hang up), while ordinary requests (`probe`) are made one after the
 * other. A server that serves requests without waiting on the slow ones answers
 * the probes as fast as when idle.
 */
import { connect, type Socket } from 'node:net';

export interface TrickleResult<T> {
  /** The probes' results, in order. */
  readonly probes: T[];
  /** Slow connections the server closed before the clients gave up. */
  readonly cut: number;
  readonly clients: number;
}

const REQUEST = 'CHECK SPAMC/1.5\r\nUser: nobody\r\nContent-length: 20\r\n\r\nSubject: x\r\n\r\nhello\r\n';

export async function trickle<T>(port: number, opts: { clients: number; seconds: number; intervalS: number; probes: number }, probe: () => Promise<T>): Promise<TrickleResult<T>> {
  let cut = 0;
  let over = false;
  const sockets: Socket[] = [];
  const timers: NodeJS.Timeout[] = [];
  for (let k = 0; k < opts.clients; k++) {
    const s = connect({ host: '127.0.0.1', port });
    let sent = 0;
    s.on('error', () => undefined);
    s.on('close', () => {
      if (!over) cut++;
    });
    s.on('connect', () => {
      const t = setInterval(() => {
        if (sent < REQUEST.length && !s.destroyed) s.write(REQUEST[sent++]!);
      }, opts.intervalS * 1000);
      timers.push(t);
    });
    sockets.push(s);
  }
  // The slow clients hang up at `seconds` whether or not the probes are done (a server that
  // blocks on them is then unblocked, and its probes' latency shows how long it was stuck).
  const hangUp = (): void => {
    over = true;
    for (const t of timers) clearInterval(t);
    for (const s of sockets) s.destroy();
  };
  const end = new Promise<void>((r) => timers.push(setTimeout(() => (hangUp(), r()), opts.seconds * 1000)));
  // Let the slow clients settle in (connected, first bytes sent) before probing.
  await new Promise((r) => setTimeout(r, Math.min(opts.seconds / 4, 3) * 1000));
  const probes: T[] = [];
  for (let i = 0; i < opts.probes; i++) probes.push(await probe());
  await end;
  return { probes, cut, clients: opts.clients };
}
