/**
 * The body text Bayes tokenizes: the visible rendering (Subject first) and the invisibly drawn
 * HTML text, as the byte lines SpamAssassin 4.0.1 hands its tokenizer.
 */
import type { Message, MimePart } from '../message/types';
import { toByteString } from '../message/charset';
import { assembleBodyText, effectiveType, truncateNear } from '../message/body-text';
import { lastHeader } from '../message/headers';
import { DEFAULT_BODY_PART_SCAN_SIZE } from '../message/parse';

const HAS_HIGH = /[^\x00-\x7f]/;

/**
 * The visible body (Subject first) and the invisibly drawn HTML text, as lines of
 * bytes the way SpamAssassin 4.0.1 hands them to its tokenizer. It decodes parts to
 * Unicode (`normalize_charset` is on by default) as hamlet's message model does.
 */
export function bodySources(msg: Message): { visible: readonly string[]; invisible: readonly string[] } {
  const html = msg.htmlParts;
  if (!html.some((h) => h.invisibleText !== '')) return { visible: asPerlBytes(msg.bodyText, msg, false), invisible: [] };
  const vis: Array<string | undefined> = [];
  const inv: Array<string | undefined> = [];
  let h = 0;
  const cut = (t: string): string => truncateNear(t, DEFAULT_BODY_PART_SCAN_SIZE, ['\n', ' ']);
  for (const p of msg.leaves) {
    const type = effectiveType(p);
    if (type !== 'text/plain' && type !== 'text/html') {
      vis.push(undefined);
      inv.push(undefined);
      continue;
    }
    const text = p.text();
    if (type === 'text/html' && text !== '' && h < html.length) {
      const r = html[h++]!;
      vis.push(cut(r.visibleText));
      inv.push(cut(r.invisibleText));
    } else {
      vis.push(cut(text));
      inv.push('');
    }
  }
  const invisible = assembleBodyText(undefined, inv);
  if (invisible[0] === '\n') invisible.shift();
  return {
    visible: asPerlBytes(assembleBodyText(lastHeader(msg.headers, 'subject'), vis), msg, false),
    invisible: asPerlBytes(invisible, msg, true),
  };
}

/**
 * Text as the bytes SpamAssassin's tokenizer sees. Perl keeps a string of only
 * characters up to U+00FF that came from pure-ASCII parts (HTML entities such as
 * `&copy;` or `&nbsp;` decoded into it) as one byte per character; once any part of
 * the joined text was decoded from 8-bit bytes, or holds a character above U+00FF,
 * the whole text is UTF-8. (A lone byte 0x80-0xA0 is then a separator, as in SpamAssassin.)
 */
function asPerlBytes(lines: readonly string[], msg: Message, htmlOnly: boolean): string[] {
  // Most lines are pure ASCII, which both forms leave as is: one scan per line finds those.
  let latin1 = false;
  let wide = false;
  for (const l of lines) {
    if (!HAS_HIGH.test(l)) continue;
    if (WIDE.test(l)) wide = true;
    else latin1 = true;
  }
  if (!latin1 && !wide) return [...lines];
  if (!wide) {
    const subject = htmlOnly ? '' : (lastHeader(msg.headers, 'subject') ?? '');
    const decoded = HAS_HIGH.test(subject) || msg.leaves.some((p) => isTextLeaf(p, htmlOnly) && hasHighByte(p.decoded()));
    if (!decoded) return [...lines];
  }
  return lines.map(toByteString);
}

const WIDE = /[^\x00-\xff]/;

function isTextLeaf(p: MimePart, htmlOnly: boolean): boolean {
  const type = effectiveType(p);
  return type === 'text/html' || (!htmlOnly && type === 'text/plain');
}

function hasHighByte(b: Buffer): boolean {
  for (let i = 0; i < b.length; i++) if (b[i]! >= 0x80) return true;
  return false;
}
