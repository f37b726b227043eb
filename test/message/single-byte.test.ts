/**
 * Charset decoding without iconv-lite, libmime or encoding-japanese for the common cases:
 * the results must be theirs, and messages in other charsets must still decode (the
 * libraries then load on demand).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import iconv from 'iconv-lite';
import { decode as libmimeDecode } from 'libmime/lib/charset';
import { decodeCharset, decodeGuess } from '../../src/message/charset';
import { decodeSingleByte, decodeWindows1252, SINGLE_BYTE_CHARSETS } from '../../src/message/single-byte';

const ALL_BYTES = Buffer.from(Array.from({ length: 256 }, (_, i) => i));

test('single-byte charsets decode every byte as iconv-lite does (a body with a byte the charset leaves out reads as Windows-1252)', () => {
  for (const name of SINGLE_BYTE_CHARSETS) {
    const want = iconv.decode(ALL_BYTES, name);
    assert.equal(decodeSingleByte(ALL_BYTES, name), want, name);
    assert.equal(decodeCharset(ALL_BYTES, name.toUpperCase()), want.includes('\ufffd') ? decodeWindows1252(ALL_BYTES) : want, name);
  }
  assert.equal(decodeWindows1252(ALL_BYTES), iconv.decode(ALL_BYTES, 'windows-1252'));
  assert.equal(decodeSingleByte(ALL_BYTES, 'iso-8859-9'), undefined);
  assert.equal(decodeCharset(ALL_BYTES.subarray(0xa0), 'iso-8859-9'), iconv.decode(ALL_BYTES.subarray(0xa0), 'iso-8859-9'));
});

test('Latin-1 and undeclared 8-bit text read as Windows-1252', () => {
  const bytes = Buffer.from('caf\xe9 \x93quoted\x94 \x80 \x81', 'latin1');
  assert.equal(decodeCharset(bytes, 'iso-8859-1'), 'café “quoted” € \ufffd');
  assert.equal(decodeGuess(bytes), 'café “quoted” € \ufffd');
});

test('ISO-2022-JP: ASCII without escapes reads as itself, escaped text through encoding-japanese', () => {
  let seed = 99;
  for (let i = 0; i < 2000; i++) {
    let s = '';
    for (let n = i % 40; n > 0; n--) {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      const c = seed % 128;
      if (c !== 0x1b && c !== 0x0e && c !== 0x0f) s += String.fromCharCode(c);
    }
    const bytes = Buffer.from(s, 'latin1');
    assert.equal(decodeCharset(bytes, 'iso-2022-jp'), libmimeDecode(bytes, 'iso-2022-jp'), JSON.stringify(s));
  }
  const jis = Buffer.from('GyRCRnxLXDhsGyhC', 'base64'); // 日本語
  assert.equal(decodeCharset(jis, 'ISO-2022-JP'), '日本語');
  assert.equal(decodeCharset(Buffer.concat([Buffer.from('a '), jis, Buffer.from(' b')]), 'iso-2022-jp'), 'a 日本語 b');
});

test('a fresh process loads no charset library for plain mail, and loads them for Japanese mail', () => {
  const script = `
    const { parseMessage } = require(${JSON.stringify(require.resolve('../../src/message/parse'))});
    const loaded = () => ['iconv-lite', 'libmime', 'encoding-japanese'].filter((m) => Object.keys(require.cache).some((k) => k.includes('/node_modules/' + m + '/')));
    const plain = parseMessage(Buffer.from('Subject: =?iso-8859-1?Q?caf=E9?=\\n\\nb\\xe9b\\xe9\\n', 'latin1'));
    const out = [plain.headers[0].value, plain.bodyText.join(''), loaded().join(',')];
    const sjis = Buffer.concat([Buffer.from('Subject: =?shift_jis?B?k/qWe4zq?=\\nContent-Type: text/plain; charset=ISO-2022-JP\\n\\n'), Buffer.from('GyRCRnxLXDhsGyhC', 'base64'), Buffer.from('\\n')]);
    const jp = parseMessage(sjis);
    out.push(jp.headers[0].value, jp.bodyText.join(''), loaded().join(','));
    process.stdout.write(JSON.stringify(out));
  `;
  const out = JSON.parse(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' })) as string[];
  assert.deepEqual(out, ['café', 'café\nbébé ', '', '日本語', '日本語\n日本語 ', 'iconv-lite,libmime,encoding-japanese']);
});
