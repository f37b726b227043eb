/**
 * What SpamAssassin notices about the lines right after each MIME boundary:
 * a part whose first line is not a header (`missing_mime_headers`) and a part
 * whose headers end in a body line instead of a blank one
 * (`missing_mime_head_body_separator`).
 */
import type { MimePart } from '../message/types';

export interface BoundaryFlags {
  readonly missingMimeHeaders: boolean;
  readonly missingMimeHeadBodySeparator: boolean;
}

/** A header line as SpamAssassin's MIME splitter recognises it (printable name, no space before the colon but blanks). */
const BLANK = /^\s*$/;
const HEADER_LINE = /^[\x21-\x39\x3b-\x7e]+[ \t]*:/;

function scanMultipart(part: MimePart, out: { headers: boolean; separator: boolean }): void {
  const boundary = part.typeParams.boundary;
  if (boundary === undefined || boundary === '') return;
  // /^--BOUNDARY\s*$/ without compiling a regex per message.
  const marker = `--${boundary}`;
  const isOpen = (l: string): boolean => l.startsWith(marker) && BLANK.test(l.slice(marker.length));
  const lines = part.rawBody.toString('latin1').split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (!lines[i]!.startsWith('--') || !isOpen(lines[i]!)) continue;
    if (i + 1 >= lines.length) continue;
    if (!HEADER_LINE.test(lines[i + 1]!)) out.headers = true;
    // Walk the part's header block: it must end in a blank line.
    let sawHeader = false;
    for (let j = i + 1; j < lines.length; j++) {
      const l = lines[j]!;
      if (HEADER_LINE.test(l)) sawHeader = true;
      else if (sawHeader && /^[ \t]/.test(l)) continue;
      else {
        if (!/^\r?$/.test(l) && !(l.startsWith('--') && isOpen(l))) out.separator = true;
        break;
      }
    }
  }
}

export function boundaryFlags(root: MimePart): BoundaryFlags {
  const out = { headers: false, separator: false };
  const walk = (p: MimePart): void => {
    if (p.type.startsWith('multipart/')) scanMultipart(p, out);
    for (const c of p.children) walk(c);
  };
  walk(root);
  return { missingMimeHeaders: out.headers, missingMimeHeadBodySeparator: out.separator };
}
