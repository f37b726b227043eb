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

/** Labels of GB 2312 proper, which Perl's Encode reads as the strict EUC-CN table (iconv-lite reads them as GBK). */
const GB2312 = new Set(['gb2312', 'euc-cn', 'x-euc-cn', 'csgb2312', 'gb_2312-80']);

/** Perl's Encode takes any label that starts with "gb2312" for EUC-CN (Outlook's `GB2312_CHARSET` among them). */
const labelOf = (name: string): string => (name.startsWith('gb2312') ? 'gb2312' : name);

/**
 * True when every 8-bit byte pair is in a row GB 2312 assigns (lead 0xA1-0xF7 less the empty rows
 * 0xAA-0xAF, trail 0xA1-0xFE); GBK's extensions fail, as in SpamAssassin's strict decode.
 */
function isStrictGb2312(buf: Buffer): boolean {
  for (let i = 0; i < buf.length; i++) {
    const b = buf[i]!;
    if (b < 0x80) continue;
    const t = buf[i + 1];
    if (b < 0xa1 || b > 0xf7 || (b >= 0xaa && b <= 0xaf) || t === undefined || t < 0xa1 || t > 0xfe) return false;
    i++;
  }
  return true;
}

/** The declared charset's reading of `buf`, or undefined when it has no decoder or a byte does not map. */
function decodeDeclared(buf: Buffer, name: string): string | undefined {
  const native = NATIVE[name];
  // Latin-1 as declared is usually Windows-1252 in practice (curly quotes in 0x80-0x9f).
  if (native === 'latin1') return decodeWindows1252(buf);
  if (native === 'utf8') return undefined; // not valid UTF-8, or decodeCharset had taken it
  if (GB2312.has(name) && !isStrictGb2312(buf)) return undefined;
  let text = decodeSingleByte(buf, name);
  try {
    if (text === undefined && LIBMIME_ONLY.has(name)) text = libmimeCharset().decode(buf, name);
    if (text === undefined && iconv().encodingExists(name)) text = iconv().decode(buf, name);
    const alias = name.replace(/^x-/, '').replace(/^(cp|windows)[-_]?(\d+)$/, 'windows-$2');
    if (text === undefined && iconv().encodingExists(alias)) text = iconv().decode(buf, alias);
  } catch {
    return undefined; // a broken decoder or table
  }
  return text === undefined || text.includes('\ufffd') ? undefined : text;
}

/**
 * Decode body bytes declared as `charset`, in SpamAssassin 4.0.1's order (normalize_charset on):
 * ASCII-only input is returned as is; 8-bit input that is valid UTF-8 is UTF-8 whatever the
 * label; else the declared charset, strictly (ISO-8859-1 read as Windows-1252); a label with no
 * decoder, or bytes the charset does not map, fall back to Windows-1252.
 */
export function decodeCharset(buf: Buffer, charset: string | undefined): string {
  if (buf.length === 0) return '';
  const name = labelOf(normalizeCharsetName(charset));
  if (isAscii(buf)) return asciiReadsAsItself(buf, name) ? buf.toString('latin1') : (decodeDeclared(buf, name) ?? buf.toString('latin1'));
  if (isUtf8(buf)) return buf.toString('utf8');
  if (name === '' || name === 'us-ascii' || name === 'ascii' || name === 'unknown-8bit' || name === 'x-unknown') return decodeWindows1252(buf);
  return decodeDeclared(buf, name) ?? decodeWindows1252(buf);
}

/** Unicode text -> its UTF-8 bytes as a binary string (one char per byte), what byte-level rules match. */
export function toByteString(text: string): string {
  // Fast path: nothing above 0x7f means the string is already its own UTF-8 form.
  if (!/[^\x00-\x7f]/.test(text)) return text;
  return Buffer.from(text, 'utf8').toString('latin1');
}
