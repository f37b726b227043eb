/**
 * The text views rules read, built as SpamAssassin builds them:
 * `body` (rendered, whitespace-collapsed, Subject first) and `rawbody` (decoded, unrendered).
 */
import { isSpace } from './chars';
import type { MimePart } from './types';

/** SpamAssassin's line bound for body arrays. */
export const MAX_BODY_LINE_LENGTH = 2048;

/** The type a part is treated as: a `.htm(l)` file name makes it HTML. */
export function effectiveType(part: MimePart): string {
  if (part.filename && /\.s?html?$/i.test(part.filename)) return 'text/html';
  return part.type;
}

/**
 * Cut `text` near `limit`, preferring a newline, then `>` (HTML), then a space
 * within 1 KiB after it, so a word or tag is not split.
 */
export function truncateNear(text: string, limit: number, seps: readonly string[]): string {
  if (!limit || text.length <= limit) return text;
  for (const sep of seps) {
    const idx = text.indexOf(sep, limit);
    if (idx >= 0 && idx - limit <= 1024) return text.slice(0, idx + 1);
  }
  return text.slice(0, limit);
}

/** Split into lines (keeping `\n`), breaking lines over the bound at a space where possible. */
export function splitShortLines(text: string): string[] {
  const out: string[] = [];
  let start = 0;
  while (start < text.length) {
    const nl = text.indexOf('\n', start);
    const end = nl < 0 ? text.length : nl + 1;
    // Lines within the bound (nearly all) are sliced once, without a copy to cut.
    while (end - start > MAX_BODY_LINE_LENGTH) {
      let cut = text.lastIndexOf(' ', start + MAX_BODY_LINE_LENGTH) + 1;
      if (cut <= start) cut = start + MAX_BODY_LINE_LENGTH;
      out.push(text.slice(start, cut));
      start = cut;
    }
    out.push(text.slice(start, end));
    start = end;
  }
  return out;
}

/** Split into chunks of 1-2x the line bound, at a newline, `>` or space where possible. */
export function splitShortParagraphs(text: string): string[] {
  const max = MAX_BODY_LINE_LENGTH;
  if (text.length <= max) return [text];
  const out: string[] = [];
  let ofs = 0;
  while (text.length - ofs > 2 * max) {
    let j = -1;
    for (const sep of ['\n', '>', ' ']) {
      j = text.indexOf(sep, ofs + max);
      if (j >= 0 && j - ofs + 1 <= 2 * max) break;
      j = -1;
    }
    if (j < 0) j = ofs + max;
    out.push(text.slice(ofs, j + 1));
    ofs = j + 1;
  }
  if (ofs < text.length) out.push(text.slice(ofs));
  return out;
}

/**
 * Collapse whitespace as SpamAssassin does for `body`: a whitespace run holding two or more
 * newlines is a paragraph break (`\n`, with a space on either side when the run had other
 * whitespace before its first or after its last newline), any other run one space.
 */
function collapseWhitespace(text: string, out: string): string {
  const n = text.length;
  // Text is copied in stretches: a run that is a single space stays as it is and does not end one.
  let copied = 0;
  let i = 0;
  while (i < n) {
    while (i < n && !isSpace(text.charCodeAt(i))) i++;
    if (i >= n) break;
    const runStart = i;
    let firstNl = -1;
    let lastNl = -1;
    for (; i < n; i++) {
      const c = text.charCodeAt(i);
      if (c === 0x0a) {
        if (firstNl < 0) firstNl = i;
        lastNl = i;
      } else if (!isSpace(c)) break;
    }
    if (i === runStart + 1 && text.charCodeAt(runStart) === 0x20) continue;
    out += text.slice(copied, runStart);
    if (firstNl >= 0 && lastNl > firstNl) {
      if (firstNl > runStart) out += ' ';
      out += '\n';
      if (i > lastNl + 1) out += ' ';
    } else out += ' ';
    copied = i;
  }
  return copied === 0 ? out + text : out + text.slice(copied);
}

/**
 * Join rendered parts and collapse whitespace: runs of blank lines become one
 * paragraph break, every other whitespace run one space. The Subject line
 * (or an empty line) goes first.
 */
export function assembleBodyText(subject: string | undefined, renderedParts: ReadonlyArray<string | undefined>): string[] {
  // A part that renders to nothing still separates its neighbours, as in SpamAssassin
  // (parts before the first non-empty one add nothing). Joined in one go: a flat string.
  let first = 0;
  while (first < renderedParts.length && !renderedParts[first]) first++;
  const pieces: string[] = [];
  for (let i = first; i < renderedParts.length; i++) pieces.push(renderedParts[i] ?? '');
  const joined = pieces.join('\n');
  const head = subject !== undefined && subject !== '' ? subject + '\n' : '\n';
  return splitShortLines(collapseWhitespace(joined, head));
}
