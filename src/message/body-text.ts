/**
 * The text views rules read, built as SpamAssassin builds them:
 * `body` (rendered, whitespace-collapsed, Subject first) and `rawbody` (decoded, unrendered).
 */
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
  const lines = text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
  for (let line of lines) {
    while (line.length > MAX_BODY_LINE_LENGTH) {
      let cut = line.lastIndexOf(' ', MAX_BODY_LINE_LENGTH) + 1;
      if (cut <= 0) cut = MAX_BODY_LINE_LENGTH;
      out.push(line.slice(0, cut));
      line = line.slice(cut);
    }
    out.push(line);
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
 * Join rendered parts and collapse whitespace: runs of blank lines become one
 * paragraph break, every other whitespace run one space. The Subject line
 * (or an empty line) goes first.
 */
export function assembleBodyText(subject: string | undefined, renderedParts: ReadonlyArray<string | undefined>): string[] {
  // A part that renders to nothing still separates its neighbours, as in SpamAssassin.
  let joined = '';
  for (const r of renderedParts) {
    if (joined !== '') joined += '\n';
    if (r !== undefined) joined += r;
  }
  const text = joined
    .split(/\n+\s*\n+/)
    .map((para) => para.replace(/\s+/g, ' '))
    .join('\n');
  const head = subject !== undefined && subject !== '' ? subject + '\n' : '\n';
  return splitShortLines(head + text);
}
