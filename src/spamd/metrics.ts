/**
 * hamletd's Prometheus endpoint (`--metrics-listen ADDR:PORT`, off by default).
 * Everything is counted in the main thread from what it already has: the answers
 * workers send (verdict, scan time, autolearn, their DNS lookups' outcomes), TELL
 * results, and the pool's queue and worker states, read when scraped. With the
 * endpoint off none of this exists and prom-client is never loaded; with it on a
 * scan costs a few counter increments.
 */
import { createServer, type Server } from 'node:http';
import type * as PromClient from 'prom-client';
import type { TellRequest } from './request';
import type { ScanAnswer } from './worker';

/** What the server tells the metrics about each request. */
export interface ScanObserver {
  scanned(a: ScanAnswer, seconds: number): void;
  /** A scan or TELL that ended in an error reply (time-out, busy, worker failure). */
  failed(): void;
  told(t: TellRequest, didSet: readonly string[], didRemove: readonly string[]): void;
}

/** What the metrics read from the worker pool when scraped. */
export interface PoolState {
  readonly queued: number;
  readonly inFlight: number;
  workerStates(): Readonly<Record<string, number>>;
}

export interface MetricsAddress {
  readonly host: string;
  readonly port: number;
  /** The host was written out (not defaulted to loopback). */
  readonly explicitHost: boolean;
}

/** `ADDR:PORT`, `[v6]:PORT`, `:PORT` or `PORT` (host 127.0.0.1); undefined when unreadable. */
export function parseMetricsListen(value: string): MetricsAddress | undefined {
  const v = value.trim();
  const m = /^(?:(?:\[([0-9a-fA-F:.]+)\]|([^:[\]]*)):)?(\d{1,5})$/.exec(v);
  if (!m || Number(m[3]) > 65535) return undefined;
  const host = m[1] ?? m[2] ?? '';
  return { host: host === '' ? '127.0.0.1' : host, port: Number(m[3]), explicitHost: host !== '' };
}

/** True for 127.0.0.0/8, ::1 and `localhost`. */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host) || /^::ffff:127\./i.test(host);
}

/** Scan-time buckets, seconds: a local scan takes 10-100 ms, a network one up to rbl_timeout. */
const SCAN_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/** The registry and the observer that feeds it. */
export function makeMetrics(pool: PoolState): { registry: PromClient.Registry; observer: ScanObserver } {
  // Loaded here only: a server without --metrics-listen never pays for prom-client.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const prom = require('prom-client') as typeof PromClient;
  const registry = new prom.Registry();
  const scans = new prom.Counter({ name: 'hamletd_scans_total', help: 'Scans answered, by result (spam, ham, error)', labelNames: ['result'], registers: [registry] });
  const scanTime = new prom.Histogram({ name: 'hamletd_scan_duration_seconds', help: 'Time from a request arriving to its answer', buckets: SCAN_BUCKETS, registers: [registry] });
  const learns = new prom.Counter({ name: 'hamletd_learns_total', help: 'Messages learned or forgotten, by source (tell, autolearn) and class (spam, ham, forget)', labelNames: ['source', 'class'], registers: [registry] });
  const lookups = new prom.Counter({ name: 'hamletd_dns_lookups_total', help: "DNS lookups of the scans' network tests, by outcome (NOERROR, NXDOMAIN, TIMEOUT, ...)", labelNames: ['outcome'], registers: [registry] });
  new prom.Gauge({ name: 'hamletd_queue_depth', help: 'Scans waiting for a worker', registers: [registry], collect() { this.set(pool.queued); } });
  new prom.Gauge({ name: 'hamletd_scans_in_flight', help: 'Scans held by workers', registers: [registry], collect() { this.set(pool.inFlight); } });
  new prom.Gauge({
    name: 'hamletd_workers',
    help: 'Scan workers by state (loading, idle, busy, retiring)',
    labelNames: ['state'],
    registers: [registry],
    collect() {
      for (const [state, n] of Object.entries(pool.workerStates())) this.set({ state }, n);
    },
  });
  // Every series exists from the start, so a rate() over a fresh server reads 0, not nothing.
  for (const result of ['spam', 'ham', 'error']) scans.inc({ result }, 0);
  for (const source of ['tell', 'autolearn']) for (const cls of ['spam', 'ham', 'forget']) if (source === 'tell' || cls !== 'forget') learns.inc({ source, class: cls }, 0);
  const observer: ScanObserver = {
    scanned(a, seconds) {
      scans.inc({ result: a.isSpam ? 'spam' : 'ham' });
      scanTime.observe(seconds);
      const learned = /^(spam|ham)\b/.exec(a.autolearn ?? '');
      if (learned) learns.inc({ source: 'autolearn', class: learned[1] });
      if (a.lookups) for (const [outcome, n] of Object.entries(a.lookups)) lookups.inc({ outcome }, n);
    },
    failed() {
      scans.inc({ result: 'error' });
    },
    told(t, didSet, didRemove) {
      if (didSet.length > 0) learns.inc({ source: 'tell', class: t.messageClass === 'spam' ? 'spam' : 'ham' });
      if (didRemove.length > 0) learns.inc({ source: 'tell', class: 'forget' });
    },
  };
  return { registry, observer };
}

/** Serve `registry` on `GET /metrics` (anything else is 404). */
export async function serveMetrics(registry: PromClient.Registry, addr: MetricsAddress): Promise<{ server: Server; address: string }> {
  const server = createServer((req, res) => {
    if (req.method !== 'GET' || (req.url ?? '').split('?')[0] !== '/metrics') {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found: the metrics are at /metrics\n');
      return;
    }
    registry.metrics().then(
      (text) => res.writeHead(200, { 'Content-Type': registry.contentType }).end(text),
      (e: Error) => res.writeHead(500, { 'Content-Type': 'text/plain' }).end(`${e.message}\n`),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: addr.host, port: addr.port }, () => resolve());
  });
  const a = server.address();
  const port = typeof a === 'object' && a ? a.port : addr.port;
  return { server, address: `${addr.host.includes(':') ? `[${addr.host}]` : addr.host}:${port}` };
}
