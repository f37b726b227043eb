/**
 * A loopback TCP relay in front of a spamd-protocol server that times each
 * connection from the client's connect to the server closing its reply
 * (request -> reply wall time, without the client's own start-up), and keeps
 * the reply's first line (`SPAMD/1.1 0 EX_OK`, or an error code).
 */
import { connect, createServer, type Server, type Socket } from 'node:net';

export interface Exchange {
  /** Accept to the server's end of reply, ms. */
  readonly ms: number;
  /** The reply's first line ('' when the server sent nothing). */
  readonly status: string;
  /** True when the server ended the reply (false: the client gave up first, or an error). */
  readonly complete: boolean;
}

export interface TimingProxy {
  readonly port: number;
  /** The exchanges finished since the last call, once no connection is open (waits 2 s at most). */
  drain(): Promise<Exchange[]>;
  close(): Promise<void>;
}

export function startTimingProxy(targetPort: number): Promise<TimingProxy> {
  let done: Exchange[] = [];
  let open = 0;
  const publish = (e: Exchange): void => {
    open--;
    done.push(e);
  };
  const sockets = new Set<Socket>();
  // Half-open: spamc shuts down its sending side after the request and still reads the reply.
  const server: Server = createServer({ allowHalfOpen: true }, (client) => {
    const t0 = performance.now();
    open++;
    const upstream = connect({ host: '127.0.0.1', port: targetPort, allowHalfOpen: true });
    sockets.add(client).add(upstream);
    let head = '';
    let finished = false;
    const finish = (complete: boolean): void => {
      if (finished) return;
      finished = true;
      publish({ ms: performance.now() - t0, status: head.split('\r\n')[0] ?? '', complete });
      client.destroySoon();
      upstream.destroy();
    };
    upstream.on('data', (d: Buffer) => {
      if (head.length < 200) head += d.subarray(0, 200).toString('latin1');
      client.write(d);
    });
    upstream.on('end', () => finish(true));
    upstream.on('error', () => finish(false));
    upstream.on('close', () => finish(head !== ''));
    client.on('data', (d: Buffer) => upstream.write(d));
    client.on('end', () => upstream.end());
    client.on('error', () => finish(false));
    client.on('close', () => finish(false));
    for (const s of [client, upstream]) s.on('close', () => sockets.delete(s));
  });
  return new Promise((resolve, reject) => {
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const a = server.address();
      if (typeof a !== 'object' || !a) return reject(new Error('timing proxy: no port'));
      resolve({
        port: a.port,
        drain: async () => {
          for (let i = 0; i < 200 && open > 0; i++) await new Promise((r) => setTimeout(r, 10));
          const out = done;
          done = [];
          return out;
        },
        close: () => {
          for (const s of sockets) s.destroy();
          return new Promise((r) => server.close(() => r()));
        },
      });
    });
  });
}
