/** Message sources: mbox splitting and un-escaping, Maildir folders, globs. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readMessages, splitMbox } from '../../src/io/mailbox';

const MBOX = [
  'From alice@example.com Mon Jan  1 00:00:00 2024',
  'Subject: one',
  '',
  'hello',
  '>From the start of a line (mboxo escape)',
  '>>From two levels (mboxrd escape)',
  'From here without a blank line before is body text 2024',
  '',
  'From bob@example.com Tue Jan  2 00:00:00 2024',
  'Subject: two',
  '',
  'second body',
  '',
].join('\n');

test('an mbox splits at From lines after a blank line, and escapes are undone', () => {
  const msgs = [...splitMbox(Buffer.from(MBOX))].map((b) => b.toString());
  assert.equal(msgs.length, 2);
  assert.match(msgs[0]!, /^From alice@example\.com /);
  assert.match(msgs[0]!, /\nFrom the start of a line/);
  assert.match(msgs[0]!, /\n>From two levels/);
  assert.match(msgs[0]!, /\nFrom here without a blank line/);
  assert.ok(msgs[0]!.endsWith('2024\n'), 'separator blank line is not part of the message');
  assert.match(msgs[1]!, /^From bob@example\.com [^]*second body\n$/);
});

/** The splitting rule walked line by line, as a reference for splitMbox's search. */
function splitByLines(buf: Buffer): string[] {
  const out: string[] = [];
  const from = /^From \S*.*\d{4}/;
  let start = -1;
  let prevBlank = true;
  for (let pos = 0; pos < buf.length; ) {
    let nl = buf.indexOf(0x0a, pos);
    if (nl < 0) nl = buf.length - 1;
    const isFrom = buf[pos] === 0x46 && from.test(buf.toString('latin1', pos, Math.min(nl + 1, pos + 200)));
    if (isFrom && prevBlank) {
      if (start >= 0) out.push(buf.toString('latin1', start, pos));
      start = pos;
    } else if (start < 0) start = pos;
    prevBlank = nl + 1 - pos === 1 || (nl + 1 - pos === 2 && buf[pos] === 0x0d);
    pos = nl + 1;
  }
  if (start >= 0) out.push(buf.toString('latin1', start));
  return out.map((m) => (m.includes('\n>') ? m.replace(/^>(>*From )/gm, '$1') : m)).map((m) => (m.endsWith('\n\n') ? m.slice(0, -1) : m));
}

test('splitting finds the messages a line-by-line walk finds (CRLF, blank starts, From lines in bodies, no final newline)', () => {
  const pieces = ['From a@b Mon Jan  1 00:00:00 2024', 'From nobody', 'From x 2024', '', '\r', 'body', '>From q 2024', '>>From r', 'From', 'x: y'];
  let seed = 7;
  const rnd = (n: number): number => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 8) % n;
  for (let i = 0; i < 3000; i++) {
    const lines = Array.from({ length: rnd(12) }, () => pieces[rnd(pieces.length)]!);
    const text = lines.join(rnd(3) === 0 ? '\r\n' : '\n') + (rnd(2) ? '\n' : '');
    const buf = Buffer.from(text, 'latin1');
    assert.deepEqual([...splitMbox(buf)].map((b) => b.toString('latin1')), splitByLines(buf), JSON.stringify(text));
  }
});

test('a file without a From line is one message', () => {
  const msgs = [...splitMbox(Buffer.from('Subject: x\n\nbody\n'))];
  assert.equal(msgs.length, 1);
  assert.equal(msgs[0]!.toString(), 'Subject: x\n\nbody\n');
});

test('files, Maildir folders, mboxes and globs read as one stream', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hamlet-mailbox-'));
  try {
    const md = join(dir, 'Maildir');
    for (const sub of ['cur', 'new', 'tmp']) mkdirSync(join(md, sub), { recursive: true });
    writeFileSync(join(md, 'cur', '1.host:2,S'), 'Subject: cur\n\nc\n');
    writeFileSync(join(md, 'new', '2.host'), 'Subject: new\n\nn\n');
    writeFileSync(join(md, 'tmp', '3.host'), 'Subject: tmp\n\nnot delivered yet\n');
    writeFileSync(join(dir, 'box.mbox'), MBOX);
    writeFileSync(join(dir, 'a.eml'), 'Subject: a\n\na\n');
    writeFileSync(join(dir, 'b.eml'), 'Subject: b\n\nb\n');

    const fromMaildir = [...readMessages([md])].map((m) => m.raw.toString().split('\n')[0]);
    assert.deepEqual(fromMaildir, ['Subject: cur', 'Subject: new']);

    const fromMbox = [...readMessages([join(dir, 'box.mbox')])];
    assert.deepEqual(fromMbox.map((m) => m.id.split('#')[1]), ['1', '2']);

    const fromGlob = [...readMessages([join(dir, '*.eml')])].map((m) => m.raw.toString().split('\n')[0]);
    assert.deepEqual(fromGlob, ['Subject: a', 'Subject: b']);

    assert.throws(() => [...readMessages([join(dir, 'nothing-*.x')])], /no such file/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
