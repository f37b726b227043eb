/**
 * Parse-problem and MIME-shape tests: `check_msg_parse_flags` and the
 * `check_for_mime` flags SpamAssassin computes while walking the MIME tree.
 */
import { boundaryFlags } from './mime-boundaries';
import type { ScanContext } from '../engine/context';
import type { MimePart } from '../message/types';
import { hasMimeEpilogue } from './mime-epilogue';
import { mimePartStats } from './mime-part-stats';
import { strArg, type EvalDef } from './registry';

/** Per-message MIME facts, computed once. */
interface MimeFacts {
  readonly attachment: boolean;
  readonly base64Count: number;
  readonly qpCount: number;
  readonly base64EncodedText: boolean;
  readonly partLimitExceeded: boolean;
  /** Parts (any depth, containers included) typed text/html, and other text/*. */
  readonly htmlCount: number;
  readonly textCount: number;
}

function facts(ctx: ScanContext): MimeFacts {
  const cached = ctx.pluginState.get('mime:facts') as MimeFacts | undefined;
  if (cached) return cached;
  let attachment = false;
  let base64Count = 0;
  let qpCount = 0;
  let base64EncodedText = false;
  let htmlCount = 0;
  let textCount = 0;
  const walk = (p: MimePart): void => {
    if (p.type === 'text/html') htmlCount++;
    else if (p.type.startsWith('text')) textCount++;
    const cd = p.headers.find((h) => h.key === 'content-disposition')?.value.toLowerCase() ?? '';
    if (cd.includes('attachment')) attachment = true;
    if (p.encoding.includes('base64')) {
      base64Count++;
      // Plain ASCII text sent base64 with no reason is a ratware habit.
      const ascii = p.charset === undefined || /(?:us-ascii|ansi_x3\.4-1968|iso-ir-6|ansi_x3\.4-1986|iso_646\.irv:1991|ascii|iso646-us|us|ibm367|cp367|csascii)/.test(p.charset);
      if (p.type.startsWith('text') && ascii && !/^(?:attachment|inline)/.test(cd)) base64EncodedText = true;
    } else if (p.encoding.includes('quoted-printable')) {
      qpCount++;
    }
    for (const c of p.children) walk(c);
  };
  walk(ctx.msg.root);
  const f: MimeFacts = { attachment, base64Count, qpCount, base64EncodedText, partLimitExceeded: ctx.msg.flags.tooManyParts, htmlCount, textCount };
  ctx.pluginState.set('mime:facts', f);
  return f;
}

/** The top Content-Type says text/html (the whole message is HTML). */
const topIsHtml = (ctx: ScanContext): boolean => /^text\/html/i.test(ctx.msg.headers.find((h) => h.key === 'content-type')?.value ?? '');

export const mimeFlagEvals: readonly EvalDef[] = [
  {
    name: 'check_for_mime_html',
    areas: ['body'],
    fn: (ctx) => topIsHtml(ctx) || facts(ctx).htmlCount > 0,
  },
  {
    name: 'check_for_mime_html_only',
    areas: ['body'],
    fn: (ctx) => topIsHtml(ctx) || (facts(ctx).htmlCount > 0 && facts(ctx).textCount === 0),
  },
  {
    name: 'check_msg_parse_flags',
    areas: ['header', 'body'],
    fn: (ctx, args) => {
      const f = ctx.msg.flags;
      switch (strArg(args, 0)) {
        case 'missing_head_body_separator':
          return f.missingHeadBodySeparator;
        case 'truncated_header':
          return f.truncatedHeader;
        case 'mime_epilogue_exists':
          return hasMimeEpilogue(ctx.msg.root);
        case 'missing_mime_head_body_separator':
          return boundaryFlags(ctx.msg.root).missingMimeHeadBodySeparator;
        case 'missing_mime_headers':
          return boundaryFlags(ctx.msg.root).missingMimeHeaders;
        default:
          return false;
      }
    },
  },
  {
    name: 'check_for_mime',
    areas: ['body', 'rawbody'],
    fn: (ctx, args) => {
      const f = facts(ctx);
      switch (strArg(args, 0)) {
        case 'mime_attachment':
          return f.attachment;
        case 'mime_base64_count':
          return f.base64Count > 0;
        case 'mime_qp_count': {
          // Once QP lines were read, SpamAssassin reuses this count for needless escapes.
          const s = mimePartStats(ctx);
          return s.qpBytes > 0 ? s.qpNeedless !== 0 : f.qpCount > 0;
        }
        case 'mime_base64_encoded_text':
          return f.base64EncodedText;
        case 'mime_qp_long_line':
          return mimePartStats(ctx).qpLongLine;
        case 'mimepart_limit_exceeded':
          return f.partLimitExceeded;
        default:
          return false;
      }
    },
  },
];
