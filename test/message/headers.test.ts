import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseHeaderBlock, lastHeader } from '../../src/message/headers';
import { decodeHeaderValue } from '../../src/message/encoded-words';
import { parseMessage } from '../../src/message/parse';
import { corpusMessage } from '../helpers/corpus';

const block = (s: string) => parseHeaderBlock(Buffer.from(s, 'latin1'));

test('folded header keeps its raw form and unfolds its value', () => {
  const hb = block('Subject: hello\n\tworld\nX-A: 1\n\nbody\n');
  assert.equal(hb.fields.length, 2);
  assert.equal(hb.fields[0]!.raw, ' hello\n\tworld');
  assert.equal(hb.fields[0]!.value, 'hello world');
  assert.equal(hb.fields[0]!.key, 'subject');
  assert.equal(hb.bodyStart, 'Subject: hello\n\tworld\nX-A: 1\n\n'.length);
  assert.equal(hb.missingSeparator, false);
});

test('CRLF header block', () => {
  const hb = block('From: a@b.c\r\nTo: d@e.f\r\n\r\nhi\r\n');
  assert.deepEqual(hb.fields.map((f) => [f.name, f.value]), [['From', 'a@b.c'], ['To', 'd@e.f']]);
  assert.equal(hb.fields[0]!.raw, ' a@b.c');
  assert.equal(hb.bodyStart, 'From: a@b.c\r\nTo: d@e.f\r\n\r\n'.length);
});

test('obsolete whitespace before the colon is accepted', () => {
  const hb = block('Subject  : x\n\n');
  assert.equal(hb.fields[0]!.name, 'Subject');
  assert.equal(hb.fields[0]!.value, 'x');
});

test('no blank line: the whole message is header and the separator is flagged', () => {
  const hb = block('From: a@b.c\nSubject: x');
  assert.equal(hb.missingSeparator, true);
  assert.equal(lastHeader(hb.fields, 'subject'), 'x');
});

test('a MIME boundary line ends the header block', () => {
  const hb = block('From: a@b.c\n--bound\nContent-Type: text/plain\n');
  assert.equal(hb.missingSeparator, true);
  assert.equal(hb.fields.length, 1);
});

test('more than three non-header lines end the header block', () => {
  const hb = block('From: a@b.c\nnot a header\nnor this\nnor that\nthis is body\nmore\n');
  assert.equal(hb.missingSeparator, true);
  assert.equal(hb.fields.length, 1);
});

test('a value over 8,192 bytes is cut and flagged', () => {
  const hb = block('X-Long: ' + 'a'.repeat(100000) + '\nSubject: ok\n\n');
  assert.equal(hb.truncated, true);
  assert.ok(hb.fields[0]!.raw.length <= 8192);
  assert.equal(lastHeader(hb.fields, 'subject'), 'ok');
});

test('RFC 2047 words in several charsets decode to Unicode', () => {
  const cases: Array<[string, string]> = [
    ['=?iso-8859-1?Q?caf=E9?=', 'café'],
    ['=?utf-8?B?w6lsw6h2ZQ==?=', 'élève'],
    ['=?koi8-r?B?8NLJ18XU?=', 'Привет'],
    ['=?iso-8859-1?Q?a?= =?iso-8859-1?Q?b?=', 'ab'],
    ['=?bogus-charset?Q?plain?=', 'plain'],
  ];
  for (const [raw, want] of cases) assert.equal(decodeHeaderValue(raw, 'subject'), want, raw);
});

test('Message-ID, Received and Date are never MIME-decoded', () => {
  assert.equal(decodeHeaderValue('<=?utf-8?B?w6k=?=@x>', 'message-id'), '<=?utf-8?B?w6k=?=@x>');
  assert.equal(decodeHeaderValue('from =?utf-8?B?w6k=?=', 'received'), 'from =?utf-8?B?w6k=?=');
});

test('raw 8-bit header bytes are read as UTF-8 when valid, else Windows-1252', () => {
  assert.equal(decodeHeaderValue(Buffer.from('caf\xc3\xa9', 'latin1').toString('latin1'), 'subject'), 'café');
  assert.equal(decodeHeaderValue('caf\xe9', 'subject'), 'café');
});

test('corpus subjects in several charsets decode', () => {
  const cases: Array<[Parameters<typeof corpusMessage>[0], string, string]> = [
    ['easy-ham-1', '02434', 'Re: RE: [zzzzteana] Sitting Bull über alles [Long]'],
    ['spam-1', '00252', '不看會後悔'], // big5
    ['spam-1', '00322', 'Sunfrom lighting 您的满意是我们追求的目标'], // GBK
    ['spam-2', '00410', 'Fw: CD Nua do dhamhsaí Chéilí'],
    ['hard-ham-1', '00149', 'Matrox Parhelia™ now available'], // 0x99 in "iso-8859-1" is cp1252's ™
  ];
  for (const [group, id, want] of cases) {
    const msg = parseMessage(corpusMessage(group, id));
    assert.equal(lastHeader(msg.headers, 'subject'), want, `${group}/${id}`);
  }
  const jp = parseMessage(corpusMessage('hard-ham-1', '00039'));
  assert.match(lastHeader(jp.headers, 'subject')!, /^日本語の件名（サブジェクト）/); // iso-2022-jp
});
