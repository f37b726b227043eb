import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseMessage } from '../../src/message/parse';
import { decodeQuotedPrintable } from '../../src/message/transfer-decoding';
import { parseContentType } from '../../src/message/content-type';
import { decodeCharset } from '../../src/message/charset';

const msg = (s: string) => parseMessage(Buffer.from(s, 'latin1'));

const NESTED = [
  'From: a@example.com',
  'Subject: nested',
  'MIME-Version: 1.0',
  'Content-Type: multipart/mixed; boundary="outer"',
  '',
  'preamble',
  '--outer',
  'Content-Type: multipart/alternative; boundary=inner',
  '',
  '--inner',
  'Content-Type: text/plain; charset=iso-8859-1',
  'Content-Transfer-Encoding: quoted-printable',
  '',
  'caf=E9 soft=',
  'break',
  '--inner',
  'Content-Type: text/html; charset=utf-8',
  'Content-Transfer-Encoding: base64',
  '',
  Buffer.from('<p>Hello <b>world</b></p>').toString('base64'),
  '--inner--',
  '--outer',
  'Content-Type: message/rfc822',
  '',
  'From: inner@example.org',
  'Subject: attached',
  '',
  'inner body',
  '--outer',
  'Content-Type: application/octet-stream; name="x.bin"',
  'Content-Transfer-Encoding: base64',
  '',
  'AAECAw==',
  '--outer--',
  'epilogue',
  '',
].join('\n');

test('nested multipart, message/rfc822 and encodings', () => {
  const m = msg(NESTED);
  assert.equal(m.root.type, 'multipart/mixed');
  assert.equal(m.root.children.length, 3);
  assert.deepEqual(m.leaves.map((p) => p.type), ['text/plain', 'text/html', 'text/plain', 'application/octet-stream']);
  assert.equal(m.leaves[0]!.text(), 'café softbreak');
  assert.equal(m.leaves[1]!.text(), '<p>Hello <b>world</b></p>');
  assert.equal(m.leaves[2]!.depth, 2);
  assert.equal(m.leaves[2]!.text(), 'inner body'); // the newline before a boundary belongs to it
  assert.deepEqual([...m.leaves[3]!.decoded()], [0, 1, 2, 3]);
  assert.equal(m.leaves[3]!.filename, 'x.bin');
  assert.equal(m.flags.missingMimeBoundary, false);
});

test('body text: subject first, parts joined, whitespace collapsed', () => {
  const m = msg(NESTED);
  assert.equal(m.bodyText[0], 'nested\n');
  const all = m.bodyText.join('');
  assert.match(all, /café softbreak/);
  assert.match(all, /Hello world/);
  assert.match(all, /inner body/);
  assert.ok(!all.includes('<b>'));
});

test('rawbody: decoded, not rendered, non-text parts skipped', () => {
  const raw = msg(NESTED).rawBodyText.join('');
  assert.match(raw, /<p>Hello <b>world<\/b><\/p>/);
  assert.match(raw, /caf\xe9 softbreak/); // bytes, not charset-decoded
  assert.ok(!raw.includes('\x00\x01'));
});

test('quoted-printable edge cases', () => {
  const dq = (s: string) => decodeQuotedPrintable(Buffer.from(s, 'latin1')).toString('latin1');
  assert.equal(dq('a=3Db'), 'a=b');
  assert.equal(dq('a=\r\nb'), 'ab');
  assert.equal(dq('a= \nb'), 'ab');
  assert.equal(dq('a=ZZb'), 'a=ZZb');
  assert.equal(dq('end='), 'end');
});

test('content-type parameters, quoted, RFC 2231 and continuations', () => {
  assert.deepEqual(parseContentType('Text/HTML; Charset="UTF-8"; x=y'), { type: 'text/html', params: { charset: 'UTF-8', x: 'y' } });
  assert.equal(parseContentType("attachment; filename*=utf-8''caf%C3%A9.txt").params['filename'], 'café.txt');
  assert.equal(parseContentType('application/x; name*0="long"; name*1="name.pdf"').params['name'], 'longname.pdf');
  assert.equal(parseContentType('multipart/mixed; boundary="abc').params['boundary'], 'abc');
  assert.equal(parseContentType('garbage').type, 'garbage');
});

test('unknown charset falls back without throwing', () => {
  assert.equal(decodeCharset(Buffer.from('plain'), 'x-no-such'), 'plain');
  assert.equal(decodeCharset(Buffer.from('caf\xc3\xa9', 'latin1'), 'x-no-such'), 'café');
  assert.equal(decodeCharset(Buffer.from('caf\xe9', 'latin1'), 'x-no-such'), 'café');
  const m = msg('Content-Type: text/plain; charset="x-martian"\n\nna\xefve\n');
  assert.equal(m.leaves[0]!.text(), 'naïve\n');
});

test('multipart without boundary parameter is a flagged leaf', () => {
  const m = msg('Content-Type: multipart/mixed\n\nsome text\n');
  assert.equal(m.flags.missingMimeBoundary, true);
  assert.equal(m.leaves.length, 1);
});
