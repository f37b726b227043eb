/**
 * Epilogue detection: text after a multipart's closing boundary. Mail clients
 * never write any (beyond blank lines or a lone "."), so it marks hand-made MIME.
 */
import type { MimePart } from '../message/types';

/**
 * Where the closing boundary line ends, as `/^--B--[ \t\r\f\v]*(?:\n|$)/m`
 * would match it (B literal), or -1; found without compiling a regex per message.
 * In that regex `^` also follows a `\r`, and `$` may stop before a `\r`.
 */
function closeEnd(body: string, boundary: string): number {
  const close = `--${boundary}--`;
  for (let i = body.indexOf(close); i >= 0; i = body.indexOf(close, i + 1)) {
    if (i > 0 && body[i - 1] !== '\n' && body[i - 1] !== '\r') continue;
    const start = i + close.length;
    let k = start;
    while (k < body.length && TRAILING_BLANK.has(body[k]!)) k++;
    if (k === body.length) return k;
    if (body[k] === '\n') return k + 1;
    // Backtracking: the last \r of the blank run can end the line.
    const cr = body.lastIndexOf('\r', k - 1);
    if (cr >= start) return cr;
  }
  return -1;
}
const TRAILING_BLANK = new Set([' ', '\t', '\r', '\f', '\v']);

/** True when the multipart `part` has something other than whitespace and dots after its closing boundary. */
function partHasEpilogue(part: MimePart): boolean {
  const boundary = part.typeParams['boundary'];
  if (!boundary) return false;
  const body = part.rawBody.toString('latin1');
  const end = closeEnd(body, boundary);
  if (end < 0) return false;
  return /[^ \t\n\r\f\v.]/.test(body.slice(end));
}

/** True when any multipart in the tree carries an epilogue. */
export function hasMimeEpilogue(root: MimePart): boolean {
  const stack: MimePart[] = [root];
  while (stack.length > 0) {
    const p = stack.pop()!;
    if (p.type.startsWith('multipart/') && p.children.length > 0 && partHasEpilogue(p)) return true;
    stack.push(...p.children);
  }
  return false;
}
