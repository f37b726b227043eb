/**
 * An answer that arrives while the process is busy (a scan's local rules run synchronously for
 * longer than a try's time-out) is still read: the time-out does not win just because timers
 * run before pending I/O. The server runs in a worker thread, so it answers while the test's
 * thread is blocked.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Worker } from 'node:worker_threads';
import { Resolver } from '../../src/dns/resolver';
import { LookupSet } from '../../src/dns/lookup-set';

/** A DNS server in a worker: answers every A query with 127.0.0.2 (ttl 60), at once. */
const SERVER = `
const dgram = require('node:dgram');
const packet = require('dns-packet');
const { parentPort } = require('node:worker_threads');
const s = dgram.createSocket('udp4');
s.on('message', (msg, r) => {
  const q = packet.decode(msg);
  const answers = q.questions.map((x) => ({ name: x.name, type: 'A', ttl: 60, data: '127.0.0.2' }));
  s.send(packet.encode({ id: q.id, type: 'response', flags: packet.RECURSION_DESIRED | packet.RECURSION_AVAILABLE, questions: q.questions, answers }), r.port, r.address);
});
s.bind(0, '127.0.0.1', () => parentPort.postMessage(s.address().port));
parentPort.on('message', () => s.close(() => process.exit(0)));
`;

function busy(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    // the synchronous scan
  }
}

test('a query answered while the thread was blocked past its time-out is read, not timed out', async () => {
  const w = new Worker(SERVER, { eval: true });
  try {
    const port = await new Promise<number>((resolve) => w.once('message', resolve));
    const r = new Resolver({ servers: [`127.0.0.1:${port}`], tryTimeoutMs: 200, attempts: 1, cacheSize: 0 });
    try {
      const set = new LookupSet(r, { timeout: { t: 0.3, tMin: 0.3 } });
      const l = set.start('blocked.test', 'A');
      await new Promise((resolve) => setImmediate(resolve)); // the pipeline's one turn after starting lookups
      busy(800); // longer than the try's time-out and the set's rbl_timeout
      await set.harvest();
      assert.equal(l.result()?.status, 'NOERROR');
    } finally {
      r.close();
    }
  } finally {
    w.postMessage('stop');
    await new Promise((resolve) => w.once('exit', resolve));
  }
});
