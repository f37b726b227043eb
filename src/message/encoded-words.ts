/** RFC 2047 encoded-word decoding for header values, as SpamAssassin applies it. */
import libmime from 'libmime';
import { decodeGuess, isAscii } from './charset';

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
    return libmime.decodeWords(v);
  } catch {
    return v;
  }
}
