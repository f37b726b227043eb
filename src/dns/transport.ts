/**
 * One request/response exchange with one server, over UDP or TCP, bounded by a timeout and
 * an abort signal. Replies that fail `accept` (wrong id or question: late answers to an
 * earlier try, or spoofing) are ignored and the wait goes on.
 */
import * as dgram from 'node:dgram';
import * as net from 'node:net';
import type { DnsServer } from './servers';

/** A reply's bytes, or why there is none. */
export type ExchangeResult = { readonly bytes: Buffer } | { readonly failed: 'timeout' | 'aborted' | 'error' };

type Finish = (r: ExchangeResult) => void;

/** Send `query` over UDP from a fresh socket (a fresh random source port per try). */
export function udpExchange(server: DnsServer, query: Buffer, timeoutMs: number, accept: (b: Buffer) => boolean, signal?: AbortSignal): Promise<ExchangeResult> {
  return bounded(timeoutMs, signal, (finish) => {
    const socket = dgram.createSocket(server.family === 6 ? 'udp6' : 'udp4');
    socket.on('error', () => finish({ failed: 'error' }));
    socket.on('message', (msg, rinfo) => {
      // Not a connected socket (scoped IPv6 addresses defeat connect on some hosts): check the sender's port.
      if (rinfo.port === server.port && accept(msg)) finish({ bytes: msg });
    });
    socket.send(query, server.port, server.address, (err) => {
      if (err) finish({ failed: 'error' });
    });
    return () => socket.close();
  });
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
    const timer = setTimeout(() => finish({ failed: 'timeout' }), timeoutMs);
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
