/**
 * A client that costs almost nothing: `clients` concurrent CHECK requests over
 * raw sockets from this Node process (one connection per message, as spamc
 * does). It measures what a server can do when the clients are not the
 * bottleneck; bench:spamd prints it as context next to the real-spamc figures.
 */
import { connect } from 'node:net';
import { readFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

export interface RawRun {
  readonly seconds: number;
  readonly latencies: number[];
  readonly errors: number;
}

function check(port: number, msg: Buffer): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ host: '127.0.0.1', port }, () => {
      s.setNoDelay(true);
      s.end(Buffer.concat([Buffer.from(`CHECK SPAMC/1.5\r\nContent-length: ${msg.length}\r\n\r\n`, 'latin1'), msg]));
    });
    let out = '';
    s.setEncoding('latin1');
    s.on('data', (d: string) => (out += d));
    s.on('close', () => resolve(/^SPAMD\/1\.1 0 EX_OK\r\nSpam: /.test(out)));
    s.on('error', () => resolve(false));
  });
}

/**
 * CHECK every file with `clients` requests in flight; with `total`, that many requests,
 * cycling through the files (each read once).
 */
export async function rawCheck(port: number, files: readonly string[], clients: number, total = files.length): Promise<RawRun> {
  const msgs = files.map((f) => readFileSync(f));
  const latencies: number[] = [];
  let errors = 0;
  let next = 0;
  const t0 = performance.now();
  const lane = async (): Promise<void> => {
    while (next < total) {
      const m = msgs[next++ % msgs.length]!;
      const t = performance.now();
      if (!(await check(port, m))) errors++;
      latencies.push(performance.now() - t);
    }
  };
  await Promise.all(Array.from({ length: clients }, lane));
  return { seconds: (performance.now() - t0) / 1000, latencies, errors };
}

/** One raw PROCESS exchange: the reply's status line and body, and the time from connect to the server closing. */
export interface RawExchange {
  readonly ms: number;
  readonly status: string;
  readonly reply: Buffer;
  /** The server ended the reply before `timeoutMs`. */
  readonly complete: boolean;
}

/**
 * PROCESS one message, zlib-compressed (`Compress: zlib`, as spamc -z sends it)
 * when asked: for servers that must be reached where the installed spamc was
 * built without zlib.
 */
export function rawProcess(port: number, msg: Buffer, opts: { zlib?: boolean; timeoutMs: number }): Promise<RawExchange> {
  const body = opts.zlib ? deflateSync(msg) : msg;
  const head = `PROCESS SPAMC/1.5\r\nContent-length: ${body.length}\r\n${opts.zlib ? 'Compress: zlib\r\n' : ''}\r\n`;
  return new Promise((resolve) => {
    const t0 = performance.now();
    const chunks: Buffer[] = [];
    let done = false;
    const finish = (complete: boolean): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      s.destroy();
      const reply = Buffer.concat(chunks);
      const status = reply.subarray(0, 200).toString('latin1').split('\r\n')[0] ?? '';
      resolve({ ms: performance.now() - t0, status, reply, complete });
    };
    const s = connect({ host: '127.0.0.1', port, allowHalfOpen: true }, () => s.end(Buffer.concat([Buffer.from(head, 'latin1'), body])));
    const timer = setTimeout(() => finish(false), opts.timeoutMs);
    s.on('data', (d: Buffer) => chunks.push(d));
    s.on('end', () => finish(true));
    s.on('error', () => finish(false));
  });
}
