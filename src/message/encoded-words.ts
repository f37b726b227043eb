/** RFC 2047 encoded-word decoding for header values, as SpamAssassin applies it. */
import libmime from 'libmime';
import { decodeGuess, isAscii } from './charset';

/**
 * Headers whose values are never MIME-word decoded: their `=?` is data, not
 * an encoding (SpamAssassin bugs 6945 and 7249 list the same set).
 */
const NOT_DECODED = /^(?:received|(?:resent-)?(?:message-id|date)|mime-version|references|in-reply-to|list-.*)$/;

/** Unfold, trim and decode one header value (given as a binary string) into Unicode. */
export function decodeHeaderValue(rawValue: string, key: string): string {
  let v = rawValue.includes('\n') ? rawValue.replace(/\r?\n[ \t]+/g, ' ').replace(/\r?\n/g, '').trim() : rawValue.trim();
  if (/[^\x00-\x7f]/.test(v)) {
    const bytes = Buffer.from(v, 'latin1');
    if (!isAscii(bytes)) v = decodeGuess(bytes);
  }
  if (!v.includes('=?') || NOT_DECODED.test(key)) return v;
  try {
    return libmime.decodeWords(v);
  } catch {
    return v;
  }
}
