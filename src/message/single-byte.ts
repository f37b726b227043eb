/**
 * Common single-byte charsets decoded without iconv-lite, which costs ~20 ms to load and set up
 * in a fresh process (hamlet-learn's workers): Windows-1252 (what mail labelled Latin-1 really
 * is) from a table, a few others through the runtime's TextDecoder. Each gives exactly what
 * iconv-lite gives (test/message/single-byte.test.ts compares all 256 bytes), which is U+FFFD
 * for a byte the charset leaves undefined.
 */
import { TextDecoder } from 'node:util';

/** Windows-1252's characters for bytes 0x80-0x9f (U+FFFD where it has none); its other bytes are Latin-1. */
const CP1252_C1 =
  '\u20ac\ufffd\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\ufffd\u017d\ufffd' +
  '\ufffd\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\ufffd\u017e\u0178';

const C1 = /[\x80-\x9f]/;
const C1_G = /[\x80-\x9f]/g;

/** Bytes as Windows-1252. */
export function decodeWindows1252(buf: Uint8Array): string {
  const s = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength).toString('latin1');
  return C1.test(s) ? s.replace(C1_G, (c) => CP1252_C1[c.charCodeAt(0) - 0x80]!) : s;
}

/**
 * Charsets (by normalised name) that TextDecoder reads as iconv-lite does. In the second list its
 * C1 controls stand for bytes the charset leaves undefined, where iconv-lite gives U+FFFD.
 * (Node's TextDecoder reads windows-1252 as Latin-1, and iso-8859-9 as windows-1254: not here.)
 */
const AS_ICONV = new Set(['iso-8859-2', 'iso-8859-3', 'iso-8859-4', 'iso-8859-5', 'iso-8859-7', 'iso-8859-13', 'iso-8859-15', 'koi8-r', 'koi8-u']);
const C1_UNDEFINED = new Set(['windows-1250', 'windows-1251', 'windows-1254', 'windows-1257']);

/** The charsets decodeSingleByte reads. */
export const SINGLE_BYTE_CHARSETS: readonly string[] = ['windows-1252', 'cp1252', ...AS_ICONV, ...C1_UNDEFINED];

/** A decoder per charset; null where this runtime has none (Node built without full ICU). */
const decoders = new Map<string, TextDecoder | null>();

function textDecoder(name: string): TextDecoder | null {
  let dec = decoders.get(name);
  if (dec === undefined) {
    try {
      dec = new TextDecoder(name);
    } catch {
      dec = null;
    }
    decoders.set(name, dec);
  }
  return dec;
}

/** Bytes in `name` (a normalised charset name), or undefined when the charset is not one of SINGLE_BYTE_CHARSETS. */
export function decodeSingleByte(buf: Uint8Array, name: string): string | undefined {
  if (name === 'windows-1252' || name === 'cp1252') return decodeWindows1252(buf);
  const c1Undefined = C1_UNDEFINED.has(name);
  if (!c1Undefined && !AS_ICONV.has(name)) return undefined;
  const dec = textDecoder(name);
  if (dec === null) return undefined;
  const s = dec.decode(buf);
  return c1Undefined && C1.test(s) ? s.replace(C1_G, '\ufffd') : s;
}
