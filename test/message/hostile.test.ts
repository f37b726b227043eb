/** Hostile inputs: each gets a result (flags tell what was wrong), never a crash or a hang. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseMessage } from '../../src/message/parse';
import type { Message } from '../../src/message/types';

/** Touch every derived view, as the engine would. */
function exercise(m: Message): void {
  for (const h of m.headers) void h.value;
  void m.bodyText.length;
  void m.rawBodyText.length;
  void m.uris.length;
  void m.relays.all.length;
  for (const p of m.leaves) void p.text();
}

function timed(fn: () => void): number {
  const t = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - t) / 1e6;
}

test('no header/body separator', () => {
  const m = parseMessage(Buffer.from('Subject: only headers\nFrom: x@y.z'));
  exercise(m);
  assert.equal(m.flags.missingHeadBodySeparator, true);
  assert.equal(m.bodyText[0], 'only headers\n');
});

test('NUL bytes in headers and body', () => {
  const m = parseMessage(Buffer.from('Subject: a\x00b\nX-Z: \x00\x00\n\nbody \x00 text\x00\n', 'latin1'));
  exercise(m);
  assert.equal(m.headers[0]!.value, 'a\x00b');
  assert.match(m.bodyText.join(''), /body \x00 text/);
});

test('a 1 MB header line is cut to the value bound', () => {
  const m = parseMessage(Buffer.from('X-Big: ' + 'x'.repeat(1 << 20) + '\nSubject: after\n\nbody\n'));
  exercise(m);
  assert.equal(m.flags.truncatedHeader, true);
  assert.equal(m.headers.find((h) => h.key === 'subject')!.value, 'after');
});

test('10,000 Received headers parse in bounded time', () => {
  let s = '';
  for (let i = 0; i < 10000; i++) s += `Received: from h${i}.example.net (h${i}.example.net [192.0.2.${i % 250}]) by mx.example.org with ESMTP id A${i}\n`;
  const m = parseMessage(Buffer.from(s + 'Subject: many\n\nbody\n'));
  const ms = timed(() => exercise(m));
  assert.equal(m.headers.filter((h) => h.key === 'received').length, 10000);
  assert.ok(ms < 5000, `took ${ms} ms`);
});

test('1,000-deep multipart nesting stops at the depth bound', () => {
  const depth = 1000;
  let s = 'Subject: deep\nContent-Type: multipart/mixed; boundary="b0"\n\n';
  for (let i = 1; i < depth; i++) s += `--b${i - 1}\nContent-Type: multipart/mixed; boundary="b${i}"\n\n`;
  s += `--b${depth - 1}\nContent-Type: text/plain\n\ndeepest text\n`;
  for (let i = depth - 1; i >= 0; i--) s += `--b${i}--\n`;
  const m = parseMessage(Buffer.from(s));
  const ms = timed(() => exercise(m));
  assert.equal(m.flags.mimeDepthExceeded, true);
  assert.ok(m.leaves.every((p) => p.depth <= 20));
  assert.ok(ms < 5000, `took ${ms} ms`);
});

test('a missing closing boundary keeps the last part and is flagged', () => {
  const m = parseMessage(Buffer.from('Content-Type: multipart/mixed; boundary=zz\n\n--zz\nContent-Type: text/plain\n\nfirst\n--zz\nContent-Type: text/plain\n\nsecond, never closed\n'));
  exercise(m);
  assert.equal(m.flags.missingMimeBoundary, true);
  assert.equal(m.leaves.length, 2);
  assert.match(m.bodyText.join(''), /second, never closed/);
});

test('an invalid base64 body decodes what it can', () => {
  const m = parseMessage(Buffer.from('Content-Type: text/plain\nContent-Transfer-Encoding: base64\n\n!!!aGVsbG8gd29y%%%bGQ=\n***\n'));
  exercise(m);
  assert.match(m.leaves[0]!.text(), /^hello world/);
});

test('binary junk', () => {
  const junk = Buffer.alloc(200000);
  let x = 12345;
  for (let i = 0; i < junk.length; i++) {
    x = (x * 1103515245 + 12345) & 0x7fffffff;
    junk[i] = x >> 16;
  }
  const m = parseMessage(junk);
  exercise(m);
  assert.ok(m.leaves.length >= 1);
});

test('an unknown charset in a body part', () => {
  const m = parseMessage(Buffer.from('Content-Type: text/plain; charset=x-klingon\n\nQapla\xe9\n', 'latin1'));
  exercise(m);
  assert.match(m.bodyText.join(''), /Qaplaé/);
});

test('a 50 MB attachment is parsed within the scan bound and memory stays bounded', () => {
  const line = Buffer.alloc(76, 'Q').toString() + '\n';
  const chunk = line.repeat(Math.ceil((50 * 1024 * 1024) / line.length));
  const head = 'Subject: big\nContent-Type: multipart/mixed; boundary=B\n\n--B\nContent-Type: text/plain\n\nsee attached\n--B\nContent-Type: application/octet-stream\nContent-Transfer-Encoding: base64\n\n';
  const raw = Buffer.concat([Buffer.from(head), Buffer.from(chunk), Buffer.from('--B--\n')]);
  global.gc?.();
  const before = process.memoryUsage().rss;
  const m = parseMessage(raw);
  const ms = timed(() => exercise(m));
  const att = m.leaves[1]!;
  assert.ok(att.decoded().length <= 600 * 1024, `decoded ${att.decoded().length}`);
  assert.ok(att.decodedSize > 35 * 1024 * 1024, `size ${att.decodedSize}`);
  assert.equal(m.flags.truncatedBody, true);
  assert.match(m.bodyText.join(''), /see attached/);
  const grown = (process.memoryUsage().rss - before) / 1024 / 1024;
  assert.ok(grown < 150, `rss grew ${grown.toFixed(0)} MB`);
  assert.ok(ms < 5000, `took ${ms} ms`);
});

test('a 5 MB text part is cut for body rules', () => {
  const raw = Buffer.from('Subject: long\n\n' + 'word '.repeat(1_000_000));
  const m = parseMessage(raw);
  exercise(m);
  const total = m.bodyText.reduce((n, l) => n + l.length, 0);
  assert.ok(total < 60000, `body text ${total}`);
  assert.ok(m.bodyText.every((l) => l.length <= 2048));
});

test('an empty input', () => {
  const m = parseMessage(Buffer.alloc(0));
  exercise(m);
  assert.equal(m.headers.length, 0);
  assert.deepEqual(m.bodyText, ['\n']);
});
