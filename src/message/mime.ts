/** The MIME tree walker: splits multiparts and message/rfc822 parts on bytes, within bounds. */
import { decodeCharset } from './charset';
import { parseContentType } from './content-type';
import { lastHeader, parseHeaderBlock } from './headers';
import { decodeTransfer } from './transfer-decoding';
import type { HeaderField, MimePart, ParseFlags } from './types';

/** Bounds on the walk and on how much of each part is decoded. */
export interface MimeLimits {
  /** Deepest nesting walked; deeper multiparts become opaque leaves. */
  maxDepth: number;
  /** Most parts walked in one message. */
  maxParts: number;
  /** Most decoded bytes kept per leaf (the larger of body/rawbody scan sizes plus slack). */
  maxDecodedBytes: number;
}

export const DEFAULT_MIME_LIMITS: MimeLimits = { maxDepth: 20, maxParts: 1000, maxDecodedBytes: 501 * 1024 };

interface WalkState {
  limits: MimeLimits;
  flags: ParseFlags;
  parts: number;
}

class Part implements MimePart {
  readonly children: MimePart[] = [];
  private decodedCache: Buffer | undefined;
  private textCache: string | undefined;
  private sizeCache: number | undefined;

  constructor(
    readonly headers: readonly HeaderField[],
    readonly type: string,
    readonly typeParams: Readonly<Record<string, string>>,
    readonly charset: string | undefined,
    readonly encoding: string,
    readonly disposition: string | undefined,
    readonly filename: string | undefined,
    readonly depth: number,
    readonly rawBody: Buffer,
    private readonly limits: MimeLimits,
    private readonly flags: ParseFlags,
  ) {}

  /** Raw bytes needed to yield `maxDecodedBytes` decoded bytes, with room for line breaks. */
  private rawWindow(): Buffer {
    const max = this.limits.maxDecodedBytes;
    const need = this.encoding === 'base64' ? Math.ceil((max * 4) / 3) * 1.1 + 4096 : max * 3 + 4096;
    return this.rawBody.length > need ? this.rawBody.subarray(0, need) : this.rawBody;
  }

  decoded(): Buffer {
    if (this.decodedCache === undefined) {
      let d = decodeTransfer(this.rawWindow(), this.encoding);
      if (d.length > this.limits.maxDecodedBytes) {
        d = d.subarray(0, this.limits.maxDecodedBytes);
        this.flags.truncatedBody = true;
      } else if (this.rawWindow() !== this.rawBody) this.flags.truncatedBody = true;
      this.decodedCache = d;
    }
    return this.decodedCache;
  }

  get decodedSize(): number {
    if (this.sizeCache === undefined) {
      if (this.rawWindow() === this.rawBody) this.sizeCache = this.decoded().length;
      else if (this.encoding === 'base64') this.sizeCache = base64DecodedLength(this.rawBody);
      else this.sizeCache = this.rawBody.length; // an estimate for huge QP parts
    }
    return this.sizeCache;
  }

  text(): string {
    if (this.textCache === undefined) {
      const t = decodeCharset(this.decoded(), this.charset);
      this.textCache = t.includes('\r') ? t.replace(/\r\n/g, '\n') : t;
    }
    return this.textCache;
  }
}

/** Count base64 alphabet characters without decoding (for huge attachments). */
function base64DecodedLength(raw: Buffer): number {
  let n = 0;
  let pad = 0;
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i]!;
    if ((c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39) || c === 0x2b || c === 0x2f) n++;
    else if (c === 0x3d) pad++;
  }
  return Math.floor(((n + Math.min(pad, 2)) * 3) / 4) - Math.min(pad, 2);
}

/** A first line shaped like a header field (name, optional blanks, colon). */
const FIELD_LINE = /^[\x21-\x39\x3b-\x7e]+[ \t]*:/;

/** Offsets of the body ranges between `--boundary` lines in buf[start, end). */
function splitMultipart(
  buf: Buffer,
  start: number,
  end: number,
  boundary: string,
): { ranges: Array<[number, number]>; closed: boolean } {
  const delim = Buffer.from('--' + boundary, 'latin1');
  const ranges: Array<[number, number]> = [];
  let partStart = -1;
  let closed = false;
  let pos = start;
  while (pos < end) {
    const hit = buf.indexOf(delim, pos);
    if (hit < 0 || hit >= end) break;
    const atLineStart = hit === start || buf[hit - 1] === 0x0a;
    let after = hit + delim.length;
    if (!atLineStart) {
      pos = after;
      continue;
    }
    const isClose = buf[after] === 0x2d && buf[after + 1] === 0x2d;
    if (isClose) after += 2;
    // Only whitespace may follow the delimiter on its line.
    let eol = after;
    while (eol < end && (buf[eol] === 0x20 || buf[eol] === 0x09 || buf[eol] === 0x0d)) eol++;
    if (eol < end && buf[eol] !== 0x0a) {
      pos = after;
      continue;
    }
    const lineNext = eol < end ? eol + 1 : end;
    if (partStart >= 0) {
      // The newline before the delimiter belongs to the delimiter (RFC 2046).
      let partEnd = hit;
      if (partEnd > partStart && buf[partEnd - 1] === 0x0a) partEnd--;
      if (partEnd > partStart && buf[partEnd - 1] === 0x0d) partEnd--;
      ranges.push([partStart, Math.max(partStart, partEnd)]);
    }
    if (isClose) {
      closed = true;
      break;
    }
    partStart = lineNext;
    pos = lineNext;
  }
  if (!closed && partStart >= 0) ranges.push([partStart, end]);
  return { ranges, closed };
}

function makePart(
  buf: Buffer,
  headers: readonly HeaderField[],
  bodyStart: number,
  end: number,
  depth: number,
  state: WalkState,
  defaultType: string,
): Part {
  state.parts++;
  const ct = parseContentType(lastHeader(headers, 'content-type'));
  // Any text/* type other than html, calendar and vcard is read as plain text, as SpamAssassin does.
  let type = ct.type.includes('/') ? ct.type : defaultType;
  if (/^text\b/.test(type) && !/^text\/(?:x-vcard|calendar|html)$/.test(type)) type = 'text/plain';
  const cte = (lastHeader(headers, 'content-transfer-encoding') ?? '7bit').trim().toLowerCase().split(/[\s;(]/)[0] || '7bit';
  const cd = parseContentType(lastHeader(headers, 'content-disposition'));
  const filename = cd.params['filename'] ?? ct.params['name'];
  const charset = ct.params['charset']?.toLowerCase();
  const part = new Part(
    headers,
    type,
    ct.params,
    charset,
    cte,
    cd.type || undefined,
    filename,
    depth,
    buf.subarray(bodyStart, end),
    state.limits,
    state.flags,
  );
  const isMultipart = type.startsWith('multipart/');
  const isMessage = type === 'message/rfc822' || type === 'message/global';
  if (!isMultipart && !isMessage) return part;
  if (depth >= state.limits.maxDepth) {
    state.flags.mimeDepthExceeded = true;
    return part;
  }
  if (isMessage) {
    // An encoded message/rfc822 is unusual; walk it only when its bytes are plain.
    if (cte === 'base64' || cte === 'quoted-printable') return part;
    if (state.parts >= state.limits.maxParts) {
      state.flags.tooManyParts = true;
      return part;
    }
    const hb = parseHeaderBlock(buf, bodyStart, end);
    part.children.push(makePart(buf, hb.fields, hb.bodyStart, end, depth + 1, state, 'text/plain'));
    return part;
  }
  const boundary = ct.params['boundary'];
  const { ranges, closed } = boundary ? splitMultipart(buf, bodyStart, end, boundary) : { ranges: [], closed: false };
  if (!closed) state.flags.missingMimeBoundary = true;
  if (ranges.length === 0) {
    // No boundary line at all: SpamAssassin reads the body as one part (text/plain unless
    // header-shaped lines at its top say otherwise), so body and rawbody rules see the text.
    if (state.parts >= state.limits.maxParts) {
      state.flags.tooManyParts = true;
      return part;
    }
    const hb = FIELD_LINE.test(buf.toString('latin1', bodyStart, Math.min(end, bodyStart + 1000)))
      ? parseHeaderBlock(buf, bodyStart, end)
      : { fields: [], bodyStart };
    part.children.push(makePart(buf, hb.fields, hb.bodyStart, end, depth + 1, state, 'text/plain'));
    return part;
  }
  const childDefault = type === 'multipart/digest' ? 'message/rfc822' : 'text/plain';
  for (const [s, e] of ranges) {
    if (state.parts >= state.limits.maxParts) {
      state.flags.tooManyParts = true;
      break;
    }
    const hb = parseHeaderBlock(buf, s, e);
    part.children.push(makePart(buf, hb.fields, hb.bodyStart, e, depth + 1, state, childDefault));
  }
  return part;
}

/** Walk the MIME tree of a message whose headers are already parsed. */
export function walkMime(
  buf: Buffer,
  headers: readonly HeaderField[],
  bodyStart: number,
  limits: MimeLimits,
  flags: ParseFlags,
): MimePart {
  return makePart(buf, headers, bodyStart, buf.length, 0, { limits, flags, parts: 0 }, 'text/plain');
}

/** Leaves in document order (a multipart or message part with no children counts as a leaf). */
export function collectLeaves(root: MimePart): MimePart[] {
  const out: MimePart[] = [];
  const stack: MimePart[] = [root];
  while (stack.length > 0) {
    const p = stack.pop()!;
    if (p.children.length === 0) out.push(p);
    else for (let i = p.children.length - 1; i >= 0; i--) stack.push(p.children[i]!);
  }
  return out;
}
