/**
 * A multipart part in which none of its boundary lines occur has no children in
 * hamlet's MIME tree. SpamAssassin's parser reads such a body as one part instead:
 * leading lines shaped like header fields are that part's header (one blank line after
 * them is the separator), and the rest is its body, text/plain unless one of those
 * fields says otherwise. Bayes learns that text, so its tokens must be read the same way.
 */
import type { MimePart } from '../message/types';

/** A multipart leaf: its boundary never occurred. */
export function isUnsplitMultipart(p: MimePart): boolean {
  return p.type.startsWith('multipart/') && p.children.length === 0;
}

const FIELD = /^[\x21-\x39\x3b-\x7e]+[ \t]*:/;
const CONTINUATION = /^[ \t]/;

/** The text SpamAssassin's Bayes reads from an unsplit multipart body, or undefined when it is not text/plain. */
export function unsplitMultipartText(p: MimePart): string | undefined {
  const lines = p.text().split('\n');
  let i = 0;
  let contentType: string | undefined;
  let inField = false;
  for (; i < lines.length; i++) {
    const line = lines[i]!;
    if (FIELD.test(line)) {
      inField = true;
      if (/^content-type[ \t]*:/i.test(line)) contentType = line.slice(line.indexOf(':') + 1).trim().toLowerCase();
    } else if (inField && CONTINUATION.test(line)) {
      continue;
    } else {
      if (/^\r?$/.test(line)) i++; // the separator
      break;
    }
  }
  if (contentType !== undefined && contentType !== '' && !contentType.startsWith('text/plain')) return undefined;
  return lines.slice(i).join('\n');
}
