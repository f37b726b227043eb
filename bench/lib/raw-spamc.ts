/**
 * A client that costs almost nothing: `clients` concurrent CHECK requests over
 * raw sockets from this Node process (one connection per message, as spamc
 * does). It measures what a server can do when the clients are not the
 * bottleneck; bench:spamd prints it as context next to the real-spamc figures.
 */
import { connect } from 'node:net';
import { readFileSync } from 'node:fs';

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

/** CHECK every file with `clients` requests in flight. */
export async function rawCheck(port: number, files: readonly string[], clients: number): Promise<RawRun> {
  const msgs = files.map((f) => readFileSync(f));
  const latencies: number[] = [];
  let errors = 0;
  let next = 0;
  const t0 = performance.now();
  const lane = async (): Promise<void> => {
    while (next < msgs.length) {
      const m = msgs[next++]!;
      const t = performance.now();
      if (!(await check(port, m))) errors++;
      latencies.push(performance.now() - t);
    }
  };
  await Promise.all(Array.from({ length: clients }, lane));
  return { seconds: (performance.now() - t0) / 1000, latencies, errors };
}
