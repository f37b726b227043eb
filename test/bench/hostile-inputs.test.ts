/**
 * bench:hostile's inputs and its timing relay: the messages are the ones the
 * issue names (shapes and sizes), the same bytes every run, and the relay times
 * an exchange and keeps the reply's status line.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connect, createServer, type Socket } from 'node:net';
import { hostileInputs, QUICK_INPUTS } from '../../bench/lib/hostile-inputs';
import { startTimingProxy } from '../../bench/lib/timing-proxy';

const inputs = hostileInputs();
const byName = new Map(inputs.map((i) => [i.name, i]));
const text = (name: string): string => byName.get(name)!.bytes.toString('latin1');
const head = (name: string): string => text(name).slice(0, text(name).indexOf('\n\n') + 1);

test('the same bytes on every run (seeded)', () => {
  const again = hostileInputs();
  assert.deepEqual(again.map((i) => i.name), inputs.map((i) => i.name));
  for (const [k, i] of again.entries()) assert.ok(i.bytes.equals(inputs[k]!.bytes), i.name);
});

test('the known slow cases have the shapes the issue gives', () => {
  assert.match(head('to-open-bang'), /^To: <!{60}\n/m);
  assert.ok(byName.get('to-open-bang')!.bytes.length < 300);
  assert.ok(text('admin-nested').includes(`\n${'a'.repeat(40)}!\n`));
  const folded = head('folded-1mb');
  assert.equal(folded.match(/^Subject:/gm)?.length, 1);
  assert.ok((folded.match(/\n\t/g)?.length ?? 0) > 40_000);
  assert.ok(byName.get('folded-1mb')!.bytes.length > 1_000_000);
  assert.ok(byName.get('folded-1mb-zlib')!.zlib);
  assert.equal(head('to-20000').match(/^To: /gm)?.length, 20_000);
});

test('the pathological shapes are as large as named', () => {
  assert.equal(head('headers-50000').match(/^X-H\d+: /gm)?.length, 50_000);
  assert.ok(/^X-Long: [^\n]{1048576}/m.test(head('header-line-1mb')));
  assert.equal(text('mime-deep-5000').match(/multipart\/mixed/g)?.length, 5_001);
  assert.equal(text('mime-wide-10000').match(/^--w$/gm)?.length, 10_000);
  assert.ok(byName.get('body-line-10mb')!.bytes.length > 10 << 20);
  assert.equal(text('uris-50000').match(/http:\/\//g)?.length, 50_000);
  assert.equal(text('div-200000').match(/<div>/g)?.length, 200_000);
  assert.ok(byName.get('nul-body')!.bytes.includes(Buffer.alloc(1 << 20)));
  for (const q of QUICK_INPUTS) assert.ok(byName.has(q), q);
});

test('the timing relay times an exchange and keeps the status line', async () => {
  const upstream = createServer({ allowHalfOpen: true }, (s) => {
    s.on('end', () => setTimeout(() => s.end('SPAMD/1.1 0 EX_OK\r\n\r\nreply'), 50));
    s.resume();
  });
  await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', () => r()));
  const addr = upstream.address();
  assert.ok(addr && typeof addr === 'object');
  const proxy = await startTimingProxy(addr.port);
  try {
    const reply = await new Promise<string>((resolve) => {
      const c: Socket = connect({ host: '127.0.0.1', port: proxy.port, allowHalfOpen: true }, () => c.end('PROCESS SPAMC/1.5\r\n\r\n'));
      let out = '';
      c.on('data', (d: Buffer) => (out += d.toString('latin1')));
      c.on('end', () => resolve(out));
    });
    assert.equal(reply, 'SPAMD/1.1 0 EX_OK\r\n\r\nreply');
    const [e, ...rest] = await proxy.drain();
    assert.equal(rest.length, 0);
    assert.equal(e!.status, 'SPAMD/1.1 0 EX_OK');
    assert.ok(e!.complete);
    assert.ok(e!.ms >= 40, `${e!.ms} ms`);
  } finally {
    await proxy.close();
    await new Promise((r) => upstream.close(r));
  }
});
