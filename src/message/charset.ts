/**
 * Bytes in a declared charset -> Unicode text. Never throws: an unknown or
 * lying charset falls back to UTF-8 when the bytes are valid UTF-8, else to
 * Windows-1252 (what mail clients do with undeclared 8-bit text).
 */
import { isAscii as nodeIsAscii, isUtf8 } from 'node:buffer';
import type * as Iconv from 'iconv-lite';
import type * as LibmimeCharset from 'libmime/lib/charset';
import { decodeSingleByte, decodeWindows1252 } from './single-byte';
import { lazy } from '../util/lazy';

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

// The decoders for other charsets load on first use: in a fresh process (a hamlet-learn worker)
// iconv-lite costs ~20 ms and libmime's charset module, with encoding-japanese, ~25 ms more.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const iconv = lazy(() => require('iconv-lite') as typeof Iconv);

/** libmime's charset functions, loaded on first use (encoded words in rarer charsets need them too). */
// eslint-disable-next-line @typescript-eslint/no-require-imports
export const libmimeCharset = lazy(() => require('libmime/lib/charset') as typeof LibmimeCharset);

/** True when every byte is < 0x80 (Node's native check). */
export function isAscii(buf: Buffer): boolean {
  return nodeIsAscii(buf);
}

/** Decode bytes of unknown charset: ASCII and valid UTF-8 as such, anything else as Windows-1252. */
export function decodeGuess(buf: Buffer): string {
  if (isAscii(buf)) return buf.toString('latin1');
  if (isUtf8(buf)) return buf.toString('utf8');
  return decodeWindows1252(buf);
}

/** Normalise a charset label: lower-case, quotes and spaces stripped. */
export function normalizeCharsetName(charset: string | undefined): string {
  return (charset ?? '').trim().replace(/^["']|["']$/g, '').toLowerCase();
}

/**
 * Whether ASCII bytes in charset `name` read as themselves: not in UTF-16/32, and in ISO-2022-JP
 * only without the escape (ESC) and shift (SO, SI) bytes that switch its character sets.
 */
function asciiReadsAsItself(buf: Buffer, name: string): boolean {
  if (LIBMIME_ONLY.has(name)) return !buf.includes(0x1b) && !buf.includes(0x0e) && !buf.includes(0x0f);
  return !name.startsWith('utf-16') && !name.startsWith('utf-32');
}

/**
 * Decode `buf` declared as `charset`. ASCII-only input is returned as is;
 * undeclared charsets are guessed; 8-bit bytes declared as us-ascii are read
 * as UTF-8 when valid (as SpamAssassin does), else Windows-1252.
 */
export function decodeCharset(buf: Buffer, charset: string | undefined): string {
  if (buf.length === 0) return '';
  const name = normalizeCharsetName(charset);
  if (isAscii(buf) && asciiReadsAsItself(buf, name)) return buf.toString('latin1');
  if (name === '' || name === 'us-ascii' || name === 'ascii' || name === 'unknown-8bit' || name === 'x-unknown') {
    return decodeGuess(buf);
  }
  const native = NATIVE[name];
  if (native === 'utf8') return isUtf8(buf) ? buf.toString('utf8') : decodeGuess(buf);
  // Latin-1 as declared is usually Windows-1252 in practice (curly quotes in 0x80-0x9f).
  if (native === 'latin1') return decodeWindows1252(buf);
  const single = decodeSingleByte(buf, name);
  if (single !== undefined) return single;
  try {
    if (LIBMIME_ONLY.has(name)) return libmimeCharset().decode(buf, name);
    if (iconv().encodingExists(name)) return iconv().decode(buf, name);
    const alias = (name as string).replace(/^x-/, '').replace(/^(cp|windows)[-_]?(\d+)$/, 'windows-$2');
    if (iconv().encodingExists(alias)) return iconv().decode(buf, alias);
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
