/**
 * Charset decoding without iconv-lite, libmime or encoding-japanese for the common cases:
 * the results must be theirs, and messages in other charsets must still decode (the
 * libraries then load on demand).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import iconv from 'iconv-lite';
import { decode as libmimeDecode } from 'libmime/lib/charset';
import { decodeCharset, decodeGuess } from '../../src/message/charset';
import { decodeSingleByte, decodeWindows1252, SINGLE_BYTE_CHARSETS } from '../../src/message/single-byte';

const ALL_BYTES = Buffer.from(Array.from({ length: 256 }, (_, i) => i));

test('single-byte charsets decode every byte as iconv-lite does', () => {
  for (const name of SINGLE_BYTE_CHARSETS) {
    assert.equal(decodeSingleByte(ALL_BYTES, name), iconv.decode(ALL_BYTES, name), name);
    assert.equal(decodeCharset(ALL_BYTES, name.toUpperCase()), iconv.decode(ALL_BYTES, name), name);
  }
  assert.equal(decodeWindows1252(ALL_BYTES), iconv.decode(ALL_BYTES, 'windows-1252'));
  assert.equal(decodeSingleByte(ALL_BYTES, 'iso-8859-9'), undefined);
  assert.equal(decodeCharset(ALL_BYTES, 'iso-8859-9'), iconv.decode(ALL_BYTES, 'iso-8859-9'));
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
