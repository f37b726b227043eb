/**
 * Epilogue detection: text after a multipart's closing boundary. Mail clients
 * never write any (beyond blank lines or a lone "."), so it marks hand-made MIME.
 */
import type { MimePart } from '../message/types';
import { escapeRegex } from '../util/escape-regex';

/** True when the multipart `part` has something other than whitespace and dots after its closing boundary. */
function partHasEpilogue(part: MimePart): boolean {
  const boundary = part.typeParams['boundary'];
  if (!boundary) return false;
  const body = part.rawBody.toString('latin1');
  const close = new RegExp(`^--${escapeRegex(boundary)}--[ \\t\\r\\f\\v]*(?:\\n|$)`, 'm').exec(body);
  if (!close) return false;
  const rest = body.slice(close.index + close[0].length);
  return /[^ \t\n\r\f\v.]/.test(rest);
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
