/**
 * Bytes in a declared charset -> Unicode text. Never throws: an unknown or
 * lying charset falls back to UTF-8 when the bytes are valid UTF-8, else to
 * Windows-1252 (what mail clients do with undeclared 8-bit text).
 */
import { isAscii as nodeIsAscii, isUtf8 } from 'node:buffer';
import iconv from 'iconv-lite';
import libmimeCharset from 'libmime/lib/charset';

/** Charset names that are plain aliases of ones Node decodes natively. */
const NATIVE: Readonly<Record<string, BufferEncoding>> = {
  'us-ascii': 'latin1',
  ascii: 'latin1',
  'ansi_x3.4-1968': 'latin1',
  'utf-8': 'utf8',
  utf8: 'utf8',
  'iso-8859-1': 'latin1',
  'iso8859-1': 'latin1',
  latin1: 'latin1',
};

/** Charsets iconv-lite lacks but libmime handles (through encoding-japanese). */
const LIBMIME_ONLY = new Set(['iso-2022-jp', 'iso2022jp', 'iso-2022-jp-1', 'iso-2022-jp-2']);

/** True when every byte is < 0x80 (Node's native check). */
export function isAscii(buf: Buffer): boolean {
  return nodeIsAscii(buf);
}

/** Decode bytes of unknown charset: ASCII and valid UTF-8 as such, anything else as Windows-1252. */
export function decodeGuess(buf: Buffer): string {
  if (isAscii(buf)) return buf.toString('latin1');
  if (isUtf8(buf)) return buf.toString('utf8');
  return iconv.decode(buf, 'windows-1252');
}

/** Normalise a charset label: lower-case, quotes and spaces stripped. */
export function normalizeCharsetName(charset: string | undefined): string {
  return (charset ?? '').trim().replace(/^["']|["']$/g, '').toLowerCase();
}

/**
 * Decode `buf` declared as `charset`. ASCII-only input is returned as is;
 * undeclared charsets are guessed; 8-bit bytes declared as us-ascii are read
 * as UTF-8 when valid (as SpamAssassin does), else Windows-1252.
 */
export function decodeCharset(buf: Buffer, charset: string | undefined): string {
  if (buf.length === 0) return '';
  const name = normalizeCharsetName(charset);
  if (isAscii(buf) && !LIBMIME_ONLY.has(name) && !name.startsWith('utf-16') && !name.startsWith('utf-32')) {
    return buf.toString('latin1');
  }
  if (name === '' || name === 'us-ascii' || name === 'ascii' || name === 'unknown-8bit' || name === 'x-unknown') {
    return decodeGuess(buf);
  }
  const native = NATIVE[name];
  if (native === 'utf8') return isUtf8(buf) ? buf.toString('utf8') : decodeGuess(buf);
  // Latin-1 as declared is usually Windows-1252 in practice (curly quotes in 0x80-0x9f).
  if (native === 'latin1') return iconv.decode(buf, 'windows-1252');
  try {
    if (LIBMIME_ONLY.has(name)) return libmimeCharset.decode(buf, name);
    if (iconv.encodingExists(name)) return iconv.decode(buf, name);
    const alias = (name as string).replace(/^x-/, '').replace(/^(cp|windows)[-_]?(\d+)$/, 'windows-$2');
    if (iconv.encodingExists(alias)) return iconv.decode(buf, alias);
  } catch {
    // a broken decoder or table: fall through to the guess
  }
  return decodeGuess(buf);
}

/** Unicode text -> its UTF-8 bytes as a binary string (one char per byte), what byte-level rules match. */
export function toByteString(text: string): string {
  // Fast path: nothing above 0x7f means the string is already its own UTF-8 form.
  if (!/[^\x00-\x7f]/.test(text)) return text;
  return Buffer.from(text, 'utf8').toString('latin1');
}
