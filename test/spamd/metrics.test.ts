/**
 * hamletd's Prometheus endpoint: scraped over HTTP and read with a Prometheus text-format
 * parser (parse-prometheus-text-format), after scans, a TELL and an error; and the
 * --metrics-listen address rules (a port alone is loopback).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import parse from 'parse-prometheus-text-format';
import { isLoopback, makeMetrics, parseMetricsListen } from '../../src/spamd/metrics';
import type { ScanAnswer } from '../../src/spamd/worker';
import { BIN, raw, request, smallRules, startHamletd, waitFor, type Running } from './helpers';

const GTUBE = 'Subject: test\n\nXJS*C4JDBQADN1.NSBN3*2IDNEN*GTUBE-STANDARD-ANTI-UBE-TEST-EMAIL*C.34X\n';
const HAM = 'Subject: lunch\nMessage-ID: <l@example.org>\n\nSee you at noon.\n';

type Families = ReturnType<typeof parse>;

/** The value of `name` whose labels include `labels` (a histogram's `count` for histograms). */
function value(fams: Families, name: string, labels: Record<string, string> = {}): number | undefined {
  const fam = fams.find((f) => f.name === name);
  const m = fam?.metrics.find((s) => Object.entries(labels).every(([k, v]) => s.labels?.[k] === v));
  if (!m) return undefined;
  return Number(fam!.type === 'HISTOGRAM' ? m.count : m.value);
}

test('--metrics-listen addresses: a port alone is 127.0.0.1; a host given is used', () => {
  assert.deepEqual(parseMetricsListen('9783'), { host: '127.0.0.1', port: 9783, explicitHost: false });
  assert.deepEqual(parseMetricsListen(':9783'), { host: '127.0.0.1', port: 9783, explicitHost: false });
  assert.deepEqual(parseMetricsListen('[::1]:9783'), { host: '::1', port: 9783, explicitHost: true });
  assert.deepEqual(parseMetricsListen('0.0.0.0:9783'), { host: '0.0.0.0', port: 9783, explicitHost: true });
  assert.equal(parseMetricsListen('host:99999'), undefined);
  assert.equal(parseMetricsListen('nonsense'), undefined);
  assert.ok(isLoopback('127.0.0.1') && isLoopback('::1') && !isLoopback('0.0.0.0') && !isLoopback('10.0.0.1'));
});

test('an unreadable --metrics-listen is a usage error (64)', () => {
  const r = spawnSync(process.execPath, [BIN, '--metrics-listen', 'no-port-here'], { encoding: 'utf8', timeout: 30_000 });
  assert.equal(r.status, 64);
  assert.match(r.stderr, /^hamletd: --metrics-listen: cannot read "no-port-here"/m);
});

test('the observer counts scans by result, learns, lookups; the gauges read the pool when scraped', async () => {
  const pool = { queued: 3, inFlight: 2, workerStates: () => ({ loading: 0, idle: 1, busy: 1, retiring: 0 }) };
  const { registry, observer } = makeMetrics(pool);
  const answer = { id: 1, ok: true, score: 9, required: 5, isSpam: true, tests: [], ms: 1, timedOut: false } satisfies ScanAnswer;
  observer.scanned({ ...answer, autolearn: 'spam autolearn_force=no', lookups: { NOERROR: 3, NXDOMAIN: 2 } }, 0.04);
  observer.scanned({ ...answer, isSpam: false, autolearn: 'no autolearn_force=no', lookups: { TIMEOUT: 1, NOERROR: 1 } }, 2);
  observer.failed();
  observer.told({ messageClass: 'spam', setLocal: true, setRemote: false, removeLocal: false, removeRemote: false }, ['local'], []);
  observer.told({ messageClass: undefined, setLocal: false, setRemote: false, removeLocal: true, removeRemote: false }, [], ['local']);
  const fams = parse(await registry.metrics());
  assert.equal(value(fams, 'hamletd_scans_total', { result: 'spam' }), 1);
  assert.equal(value(fams, 'hamletd_scans_total', { result: 'ham' }), 1);
  assert.equal(value(fams, 'hamletd_scans_total', { result: 'error' }), 1);
  assert.equal(value(fams, 'hamletd_scan_duration_seconds'), 2);
  const hist = fams.find((f) => f.name === 'hamletd_scan_duration_seconds')!.metrics[0]!;
  assert.equal(Number(hist.buckets!['0.05']), 1);
  assert.equal(Number(hist.buckets!['2.5']), 2);
  assert.equal(value(fams, 'hamletd_learns_total', { source: 'autolearn', class: 'spam' }), 1);
  assert.equal(value(fams, 'hamletd_learns_total', { source: 'autolearn', class: 'ham' }), 0);
  assert.equal(value(fams, 'hamletd_learns_total', { source: 'tell', class: 'spam' }), 1);
  assert.equal(value(fams, 'hamletd_learns_total', { source: 'tell', class: 'forget' }), 1);
  assert.equal(value(fams, 'hamletd_dns_lookups_total', { outcome: 'NOERROR' }), 4);
  assert.equal(value(fams, 'hamletd_dns_lookups_total', { outcome: 'TIMEOUT' }), 1);
  assert.equal(value(fams, 'hamletd_queue_depth'), 3);
  assert.equal(value(fams, 'hamletd_scans_in_flight'), 2);
  assert.equal(value(fams, 'hamletd_workers', { state: 'busy' }), 1);
  assert.equal(value(fams, 'hamletd_workers', { state: 'idle' }), 1);
});

let d: Running;
let url = '';

before(async () => {
  const db = mkdtempSync(join(tmpdir(), 'hamletd-metrics-'));
  d = await startHamletd(['-C', smallRules("body BAYES_ANY eval:check_bayes('0.00', '1.00')\nbayes_auto_learn 0"), '-x', '-l', '-m', '1', '--cf', `bayes_path ${join(db, 'bayes')}`, '--metrics-listen', '0', '--max-size', '200']);
  const m = /metrics on (http:\/\/127\.0\.0\.1:\d+\/metrics)/.exec(d.log());
  assert.ok(m, d.log());
  url = m[1]!;
});

after(async () => {
  await d.stop();
});

async function scrape(): Promise<Families> {
  const r = await fetch(url);
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
  return parse(await r.text());
}

test('a live hamletd: the counters move with its scans, TELLs and errors', async () => {
  const first = await scrape();
  assert.equal(value(first, 'hamletd_scans_total', { result: 'spam' }), 0);
  assert.equal(value(first, 'hamletd_workers', { state: 'idle' }), 1);
  assert.equal(value(first, 'hamletd_queue_depth'), 0);
  assert.match((await raw(d.port, request('CHECK', GTUBE))).toString(), /Spam: True/);
  assert.match((await raw(d.port, request('SYMBOLS', HAM))).toString(), /Spam: False/);
  assert.match((await raw(d.port, request('CHECK', HAM))).toString(), /Spam: False/);
  assert.match((await raw(d.port, request('TELL', GTUBE, { 'Message-class': 'spam', Set: 'local' }))).toString(), /DidSet: local/);
  // Past --max-size: refused before any scan, so it is not a scan error.
  assert.match((await raw(d.port, request('CHECK', 'x'.repeat(300)))).toString(), /SPAMD\/1\.\d 65/);
  assert.ok(await waitFor(() => /Tell: Setting local/.test(d.log()), 5000));
  const fams = await scrape();
  assert.equal(value(fams, 'hamletd_scans_total', { result: 'spam' }), 1);
  assert.equal(value(fams, 'hamletd_scans_total', { result: 'ham' }), 2);
  assert.equal(value(fams, 'hamletd_scans_total', { result: 'error' }), 0);
  assert.equal(value(fams, 'hamletd_scan_duration_seconds'), 3);
  assert.equal(value(fams, 'hamletd_learns_total', { source: 'tell', class: 'spam' }), 1);
  assert.equal(value(fams, 'hamletd_workers', { state: 'idle' }), 1);
  const other = await fetch(url.replace(/\/metrics$/, '/'));
  assert.equal(other.status, 404);
});
