/** RFC 2047 encoded-word decoding for header values, as SpamAssassin applies it. */
import type Libmime from 'libmime';
import { isSpace } from './chars';
import { decodeGuess, isAscii, libmimeCharset } from './charset';
import { decodeWindows1252 } from './single-byte';
import { lazy } from '../util/lazy';

/**
 * Headers whose values are never MIME-word decoded: their `=?` is data, not
 * an encoding (SpamAssassin bugs 6945 and 7249 list the same set).
 */
const NOT_DECODED = /^(?:received|(?:resent-)?(?:message-id|date)|mime-version|references|in-reply-to|list-.*)$/;

/**
 * Unfold in one pass: a line break (`\r?\n`) with spaces or tabs after it becomes one space,
 * any other line break goes.
 */
export function unfold(raw: string): string {
  let out = '';
  let copied = 0;
  for (let nl = raw.indexOf('\n'); nl >= 0; nl = raw.indexOf('\n', nl + 1)) {
    const cut = nl > copied && raw.charCodeAt(nl - 1) === 0x0d ? nl - 1 : nl;
    let after = nl + 1;
    while (after < raw.length && (raw.charCodeAt(after) === 0x20 || raw.charCodeAt(after) === 0x09)) after++;
    out += after > nl + 1 ? raw.slice(copied, cut) + ' ' : raw.slice(copied, cut);
    copied = after;
    nl = after - 1;
  }
  return out + raw.slice(copied);
}

/** Unfold, trim and decode one header value (given as a binary string) into Unicode. */
export function decodeHeaderValue(rawValue: string, key: string): string {
  let v = rawValue.includes('\n') ? unfold(rawValue).trim() : rawValue.trim();
  if (/[^\x00-\x7f]/.test(v)) {
    const bytes = Buffer.from(v, 'latin1');
    if (!isAscii(bytes)) v = decodeGuess(bytes);
  }
  if (!v.includes('=?') || NOT_DECODED.test(key)) return v;
  try {
    return decodeWords(v);
  } catch {
    return v;
  }
}

// libmime's decodeWords() is the reference, but loading libmime costs ~70 ms in a fresh process
// (a hamlet-learn worker), for the few messages with encoded words. Values whose every `=?`
// opens a well-formed word are decoded here with the same result (test/message/encoded-words.test.ts
// compares the two); anything odder goes to libmime, loaded then.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const libmime = lazy(() => require('libmime') as typeof Libmime);

/** One `=?charset?enc?text?=` in a value, by offsets. */
interface Word {
  start: number;
  end: number;
  charset: string;
  /** `B` or `Q`, upper-cased. */
  enc: string;
  text: string;
}

/** Decode the encoded words of `v` as libmime's decodeWords() does. */
export function decodeWords(v: string): string {
  const words = wellFormedWords(v);
  if (words === undefined) return libmime().decodeWords(v);
  let out = '';
  let copied = 0;
  for (let i = 0; i < words.length; ) {
    const w = words[i]!;
    // Words of one encoding and charset with only whitespace between join: their texts are decoded
    // as one (a character may be split across them).
    let text = w.text;
    let j = i + 1;
    for (; j < words.length && joins(v, words[j - 1]!, words[j]!); j++) text += words[j]!.text;
    out += v.slice(copied, w.start) + decodeWord(w.charset, w.enc, text);
    copied = words[j - 1]!.end;
    // Whitespace between words that do not join goes too.
    if (j < words.length && onlySpaceBetween(v, copied, words[j]!.start)) copied = words[j]!.start;
    i = j;
  }
  return out + v.slice(copied);
}

/** Whether `b` follows `a` with only whitespace between, in the same encoding and charset. */
function joins(v: string, a: Word, b: Word): boolean {
  return a.enc === b.enc && onlySpaceBetween(v, a.end, b.start) && charsetKey(a.charset) === charsetKey(b.charset);
}

function onlySpaceBetween(v: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (!isSpace(v.charCodeAt(i))) return false;
  return true;
}

/** A charset name character libmime's word pattern takes (`\w` and `-`; `*` language tags go to libmime). */
function isCharsetChar(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x5f || c === 0x2d;
}

/**
 * The words of `v` when every `=?` in it that could open a word for libmime opens a well-formed
 * one, else undefined. A NUL (libmime's join marker holds two) also
 * sends the value to libmime.
 */
function wellFormedWords(v: string): Word[] | undefined {
  if (v.includes('\0')) return undefined;
  const words: Word[] = [];
  for (let at = v.indexOf('=?'); at >= 0; at = v.indexOf('=?', at)) {
    let i = at + 2;
    while (i < v.length && isCharsetChar(v.charCodeAt(i))) i++;
    if (i === at + 2 || v.charCodeAt(i) !== 0x3f) return undefined;
    const enc = v.charCodeAt(i + 1) | 0x20;
    if ((enc !== 0x62 && enc !== 0x71) || v.charCodeAt(i + 2) !== 0x3f) return undefined;
    const close = v.indexOf('?', i + 3);
    if (close < 0 || v.charCodeAt(close + 1) !== 0x3d || v.charCodeAt(close + 2) === 0x3f) return undefined;
    // Text ending in `=` (base64 padding) makes a second `=?` with the `?` of `?=`: it opens a
    // word for libmime's whitespace and join patterns when `?B?...?=` or `?Q?...?=` follows. (An
    // empty text may end joined texts that do.)
    if ((close === i + 3 || v.charCodeAt(close - 1) === 0x3d) && opensWordAfter(v, close + 2)) return undefined;
    words.push({ start: at, end: close + 2, charset: v.slice(at + 2, i), enc: enc === 0x62 ? 'B' : 'Q', text: v.slice(i + 3, close) });
    at = close + 2;
  }
  return words;
}

/** Whether the first `?` from `from` on is followed by `B?` or `Q?` (either case) and later `?=`. */
function opensWordAfter(v: string, from: number): boolean {
  const q = v.indexOf('?', from);
  if (q < 0 || v.charCodeAt(q + 2) !== 0x3f) return false;
  const enc = v.charCodeAt(q + 1) | 0x20;
  if (enc !== 0x62 && enc !== 0x71) return false;
  const close = v.indexOf('?', q + 3);
  return close >= 0 && v.charCodeAt(close + 1) === 0x3d;
}

/** libmime's canonical charset name: a few common ones known here, the rest from libmime. */
function charsetKey(charset: string): string {
  const lower = charset.toLowerCase();
  if (lower === 'utf-8' || lower === 'utf8') return 'UTF-8';
  if (lower === 'iso-8859-1' || lower === 'us-ascii' || lower === 'windows-1252') return 'windows-1252';
  return libmimeCharset().normalizeCharset(charset);
}

/** One word's text (joined texts) decoded: bytes by encoding, then characters by charset. */
function decodeWord(charset: string, enc: string, text: string): string {
  const bytes = enc === 'B' ? decodeBase64Word(text) : decodeQWord(text);
  const key = charsetKey(charset);
  if (key === 'UTF-8') return bytes.toString('utf8');
  if (key === 'windows-1252') return decodeWindows1252(bytes);
  return libmimeCharset().decode(bytes, key);
}

/**
 * Base64 text as libmime reads it: characters above U+00FF dropped, and text with padding
 * before more base64 (words joined, or lines padded each) decoded padding-run by padding-run,
 * as Node stops at the first `=`.
 */
function decodeBase64Word(text: string): Buffer {
  const s = /[^\u0000-\u00ff]/.test(text) ? text.replace(/[^\u0000-\u00ff]+/g, '') : text;
  const pad = s.indexOf('=');
  if (pad < 0 || !/[a-zA-Z0-9+/\-_]/.test(s.slice(pad))) return Buffer.from(s, 'base64');
  const pieces: Buffer[] = [];
  for (const piece of s.split('=')) if (piece !== '') pieces.push(Buffer.from(piece, 'base64'));
  return Buffer.concat(pieces);
}

/** A hex digit's value, or -1. */
function hexValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  const l = c | 0x20;
  return l >= 0x61 && l <= 0x66 ? l - 0x61 + 10 : -1;
}

/**
 * Q text as libmime reads it: whitespace between `=` and a hex digit dropped (a badly folded
 * escape), `_` and other whitespace as spaces, then `=XX` escapes in the UTF-8 bytes of the rest.
 */
function decodeQWord(text: string): Buffer {
  let s = text;
  if (/\s/.test(s)) s = s.replace(/=\s+([0-9a-fA-F])/g, '=$1');
  if (/[_\s]/.test(s)) s = s.replace(/[_\s]/g, ' ');
  const src = Buffer.from(s, 'utf8');
  if (!src.includes(0x3d)) return src;
  const out = Buffer.allocUnsafe(src.length);
  let o = 0;
  for (let i = 0; i < src.length; i++) {
    const c = src[i]!;
    if (c === 0x3d && i + 2 < src.length) {
      const hi = hexValue(src[i + 1]!);
      const lo = hexValue(src[i + 2]!);
      if (hi >= 0 && lo >= 0) {
        out[o++] = (hi << 4) | lo;
        i += 2;
        continue;
      }
    }
    out[o++] = c;
  }
  return out.subarray(0, o);
}
