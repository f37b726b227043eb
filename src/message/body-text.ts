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
 * A whitespace run that is not a single space, matched whole: it starts at a space followed by
 * more whitespace or at any other whitespace character, and takes the rest of the run. (`\s` is
 * what isSpace tests.) Used with test(), which allocates no match array.
 */
const RUN_TO_COLLAPSE = /[^\S ]\s*| \s+/g;

/**
 * Collapse whitespace as SpamAssassin does for `body`: a whitespace run holding two or more
 * newlines is a paragraph break (`\n`, with a space on either side when the run had other
 * whitespace before its first or after its last newline), any other run one space.
 */
function collapseWhitespace(text: string, out: string): string {
  // Text is copied in stretches between the runs that change; a run that is a single space stays.
  let copied = 0;
  const find = RUN_TO_COLLAPSE;
  find.lastIndex = 0;
  while (find.test(text)) {
    const end = find.lastIndex;
    // The run is maximal, so it starts where the whitespace before its end starts.
    let start = end - 1;
    while (start > copied && isSpace(text.charCodeAt(start - 1))) start--;
    out += text.slice(copied, start);
    let firstNl = -1;
    let lastNl = -1;
    for (let i = start; i < end; i++) {
      if (text.charCodeAt(i) !== 0x0a) continue;
      if (firstNl < 0) firstNl = i;
      lastNl = i;
    }
    if (lastNl > firstNl) {
      if (firstNl > start) out += ' ';
      out += '\n';
      if (end > lastNl + 1) out += ' ';
    } else out += ' ';
    copied = end;
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
