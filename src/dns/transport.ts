/**
 * One request/response exchange with one server, over UDP or TCP, bounded by a timeout and
 * an abort signal. Replies that fail `accept` (wrong id or question: late answers to an
 * earlier try, or spoofing) are ignored and the wait goes on.
 */
import { nodeCrypto } from '../util/node-crypto';
import { createSocket, type RemoteInfo, type Socket as UdpSocket } from 'node:dgram';
import * as net from 'node:net';
import type { DnsServer } from './servers';

/** A reply's bytes, or why there is none. */
export type ExchangeResult = { readonly bytes: Buffer } | { readonly failed: 'timeout' | 'aborted' | 'error' };

type Finish = (r: ExchangeResult) => void;

/**
 * One UDP socket per address family, shared by every query of a resolver: a socket per query
 * cost about 0.3 ms of CPU each. Replies are matched to their query by id (picked at random
 * among the ids not in flight), the sender's port and, through `accept`, the question.
 */
export class UdpChannel {
  private socket: UdpSocket | undefined;
  private readonly waiting = new Map<number, (msg: Buffer, rinfo: RemoteInfo) => void>();

  constructor(private readonly family: 4 | 6) {}

  /** A random query id not in flight on this socket. */
  freeId(): number {
    for (;;) {
      const id = nodeCrypto().randomInt(0, 0x10000);
      if (!this.waiting.has(id)) return id;
    }
  }

  /** Send `query` (whose id is `id`, from freeId) to `server` and wait for the reply. */
  exchange(server: DnsServer, id: number, query: Buffer, timeoutMs: number, accept: (b: Buffer) => boolean, signal?: AbortSignal): Promise<ExchangeResult> {
    return bounded(timeoutMs, signal, (finish) => {
      const socket = this.open();
      this.waiting.set(id, (msg, rinfo) => {
        if (rinfo.port === server.port && accept(msg)) finish({ bytes: msg });
      });
      socket.send(query, server.port, server.address, (err) => {
        if (err) finish({ failed: 'error' });
      });
      return () => this.waiting.delete(id);
    });
  }

  /** Close the socket (a later exchange opens a new one). */
  close(): void {
    this.socket?.close();
    this.socket = undefined;
  }

  private open(): UdpSocket {
    if (this.socket) return this.socket;
    const socket = createSocket(this.family === 6 ? 'udp6' : 'udp4');
    socket.on('message', (msg, rinfo) => {
      if (msg.length >= 2) this.waiting.get(msg.readUInt16BE(0))?.(msg, rinfo);
    });
    // A broken socket is dropped; queries waiting on it time out and are retried on a new one.
    socket.on('error', () => {
      if (this.socket === socket) this.socket = undefined;
      socket.close();
    });
    // Bound now: the bind completes on the next tick, so the queries a scan starts leave when the
    // pipeline yields once after starting them, not after its synchronous local rules.
    socket.bind();
    // An idle resolver must not keep the process alive (timers of queries in flight do).
    socket.unref();
    this.socket = socket;
    return socket;
  }
}

/** Send `query` over TCP (two-byte length prefix, RFC 1035 4.2.2). */
export function tcpExchange(server: DnsServer, query: Buffer, timeoutMs: number, accept: (b: Buffer) => boolean, signal?: AbortSignal): Promise<ExchangeResult> {
  return bounded(timeoutMs, signal, (finish) => {
    const socket = net.connect({ host: server.address, port: server.port, family: server.family });
    let buffered = Buffer.alloc(0);
    socket.on('error', () => finish({ failed: 'error' }));
    socket.on('close', () => finish({ failed: 'error' }));
    socket.on('connect', () => {
      const prefix = Buffer.alloc(2);
      prefix.writeUInt16BE(query.length);
      socket.write(Buffer.concat([prefix, query]));
    });
    socket.on('data', (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      while (buffered.length >= 2) {
        const len = buffered.readUInt16BE(0);
        if (buffered.length < 2 + len) return;
        const msg = buffered.subarray(2, 2 + len);
        buffered = buffered.subarray(2 + len);
        if (accept(msg)) return finish({ bytes: msg });
      }
    });
    return () => socket.destroy();
  });
}

/**
 * Run `start` until it calls `finish`, the timeout passes or `signal` aborts; whichever comes
 * first settles the promise and runs the cleanup `start` returned (once).
 */
function bounded(timeoutMs: number, signal: AbortSignal | undefined, start: (finish: Finish) => () => void): Promise<ExchangeResult> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve({ failed: 'aborted' });
    let done = false;
    let cleanup: (() => void) | undefined = undefined;
    const onAbort = () => finish({ failed: 'aborted' });
    // The time-out waits one turn of the event loop before it counts: after a long synchronous
    // stretch (a scan's local rules), timers run before pending I/O is read, and an answer that
    // arrived in time would otherwise be thrown away.
    const timer = setTimeout(() => setImmediate(() => finish({ failed: 'timeout' })), timeoutMs);
    function finish(r: ExchangeResult): void {
      if (done) return;
      done = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      cleanup?.();
      resolve(r);
    }
    signal?.addEventListener('abort', onAbort, { once: true });
    cleanup = start(finish);
    // start may have finished synchronously, before its cleanup was known.
    if (done) cleanup();
  });
}
