/**
 * Per-part MIME statistics gathered in one walk, the way SpamAssassin's MIMEEval
 * gathers them: header facts for every part, and line facts over each leaf's
 * undecoded ("raw") lines.
 */
import type { ScanContext } from '../engine/context';
import type { Message, MimePart } from '../message/types';

/** SpamAssassin's bound on one body line inside a multipart: longer lines are cut into pieces. */
const MAX_RAW_LINE = 2048;
/** Runs of blank body lines longer than this are shortened to it before MIME parsing. */
const MAX_BLANK_RUN = 20;

/** A part's Content-Type as SpamAssassin's parser reads it from the last header. */
export interface SaContentType {
  /** Lower-cased `type/subtype`; any text/* other than html, calendar, x-vcard reads as text/plain. */
  readonly type: string;
  /** Raw charset parameter (not lower-cased), undefined when absent. */
  readonly charset: string | undefined;
}

/** Value of the last header `key` of a part, or undefined. */
export function lastPartHeader(part: MimePart, key: string): string | undefined {
  for (let i = part.headers.length - 1; i >= 0; i--) {
    const h = part.headers[i]!;
    if (h.key === key) return h.value;
  }
  return undefined;
}

/** Parse a Content-Type value with SpamAssassin's lenient rules (a missing header means us-ascii text). */
export function saContentType(value: string | undefined): SaContentType {
  const ct = value === undefined || value === '' ? 'text/plain; charset=us-ascii' : value;
  const charset = /\bcharset\s*=\s*["']?(.*?)["']?(?:;|$)/i.exec(ct)?.[1];
  let type = ct.replace(/^\s+/, '').replace(/;[\s\S]*$/, '');
  type = (/^([^/]+(?:\/[^/\s]*)?)/.exec(type)?.[1] ?? '').toLowerCase();
  if (type === '' || (/^text\b/.test(type) && !/^text\/(?:x-vcard|calendar|html)$/.test(type))) type = 'text/plain';
  return { type, charset };
}

/** SpamAssassin turns CRLF into LF in body lines when the first or last line of the message ends in CRLF. */
export function squashesCrlf(msg: Message): boolean {
  const raw = msg.raw;
  let start = 0;
  if (msg.mboxFrom !== undefined) start = raw.indexOf(0x0a) + 1;
  const firstNl = raw.indexOf(0x0a, start);
  if (firstNl > start && raw[firstNl - 1] === 0x0d) return true;
  if (raw.length >= 2 && raw[raw.length - 1] === 0x0a && raw[raw.length - 2] === 0x0d) return true;
  return false;
}

/**
 * A leaf's undecoded body as SpamAssassin's line array: newline kept on each
 * line, CRLF squashed when the message does, blank runs shortened, and (inside
 * a multipart) over-long lines cut into pieces.
 */
export function rawLines(part: MimePart, squash: boolean, inMultipart: boolean): string[] {
  let text = part.rawBody.toString('latin1');
  if (squash) text = text.replace(/\r\n/g, '\n');
  const out: string[] = [];
  let blankRun = 0;
  for (const m of text.matchAll(/[^\n]*\n|[^\n]+$/g)) {
    let line = m[0];
    if (/^[ \t\n\r\f\v]*$/.test(line)) {
      if (++blankRun > MAX_BLANK_RUN) continue;
    } else blankRun = 0;
    if (inMultipart) {
      while (line.length > MAX_RAW_LINE) {
        out.push(line.slice(0, MAX_RAW_LINE) + '\n');
        line = line.slice(MAX_RAW_LINE);
      }
    }
    out.push(line);
  }
  return out;
}

/** What one walk over the parts learns. */
export interface MimePartStats {
  /** Charsets (lower-cased) of every part that names one with a letter in it. */
  readonly charsets: readonly string[];
  /** A quoted-printable line longer than 78 characters plus newline. */
  readonly qpLongLine: boolean;
  /** Bytes in quoted-printable leaves, and escapes there that encode printable ASCII needlessly. */
  readonly qpBytes: number;
  readonly qpNeedless: number;
  /** Lines of us-ascii text/plain leaves holding NUL, CR or 8-bit bytes. */
  readonly asciiTextIllegal: number;
  /** `&#xHHHH;` escapes per remaining character in unencoded text/plain leaves (0 when none). */
  readonly unicodeRatio: number;
  /** text/plain over text/html raw size of the last such parts, when a multipart/alternative exists (else 1). */
  readonly multipartRatio: number;
  /** Longest raw line of any base64 leaf except application/ics. */
  readonly base64Length: number;
}

interface LeafInfo {
  type: string;
  bytes: number | undefined;
}

/** Needless QP escapes: tab and printable ASCII other than `=` that needed no encoding. */
const NEEDLESS_QP = /=(?:09|3[0-9ABCEF]|[2456][0-9A-F]|7[0-9A-E])/g;

class StatsWalker {
  charsets: string[] = [];
  qpLongLine = false;
  qpBytes = 0;
  qpNeedless = 0;
  asciiTextIllegal = 0;
  normalChars = 0;
  unicodeChars = 0;
  base64Length = 0;
  sawAlternative = false;
  leaves: LeafInfo[] = [];

  constructor(private readonly squash: boolean) {}

  walk(part: MimePart, inMultipart: boolean): void {
    const ct = saContentType(lastPartHeader(part, 'content-type'));
    if (ct.type === 'multipart/alternative') this.sawAlternative = true;
    const cte = (lastPartHeader(part, 'content-transfer-encoding') ?? '').toLowerCase();
    const cd = (lastPartHeader(part, 'content-disposition') ?? '').toLowerCase();
    const charset = ct.charset ? ct.charset.toLowerCase() : ct.charset;
    if (charset && /[a-z]/.test(charset)) this.charsets.push(charset);
    if (part.children.length > 0) {
      const multi = part.type.startsWith('multipart/');
      for (const c of part.children) this.walk(c, multi);
      return;
    }
    this.leaf(part, ct.type, cte, cd, charset, inMultipart);
  }

  private leaf(part: MimePart, type: string, cte: string, cd: string, charset: string | undefined, inMultipart: boolean): void {
    const attachment = cd.includes('attachment');
    const info: LeafInfo = { type, bytes: attachment ? undefined : 0 };
    this.leaves.push(info);
    const countBytes = this.sawAlternative && !attachment && (type === 'text/plain' || type === 'text/html');
    const qp = cte === 'quoted-printable';
    const asciiText = type === 'text/plain' && (charset === undefined || charset === 'us-ascii');
    const unencodedText = type === 'text/plain' && (cte === '' || cte === '7bit' || cte === '8bit');
    const base64 = cte === 'base64' && type !== 'application/ics';
    for (const line of rawLines(part, this.squash, inMultipart)) {
      if (countBytes) info.bytes = (info.bytes ?? 0) + line.length;
      if (qp && !line.startsWith('SPAM: ')) this.qpLine(line);
      if (asciiText && /[\x00\x0d\x80-\xff]/.test(line)) this.asciiTextIllegal++;
      if (unencodedText) {
        let subs = 0;
        const rest = line.replace(/&#x[0-9A-F]{4};/g, () => {
          subs++;
          return '';
        });
        this.normalChars += rest.length;
        this.unicodeChars += subs;
      }
      if (base64 && line.length > this.base64Length) this.base64Length = line.length;
    }
  }

  private qpLine(line: string): void {
    // RFC 5322's 78 characters plus the newline; RFC 2045's 76 is too strict for real MUAs.
    if (line.length > 79) this.qpLongLine = true;
    this.qpBytes += line.length;
    if (!line.includes('=')) return;
    const needless = line.match(NEEDLESS_QP)?.length ?? 0;
    if (needless === 0) return;
    this.qpNeedless += needless;
    // Encoded trailing blanks are required, not needless.
    const trailing = /((?:=09|=20)+)[ \t\n\r\f\v]*$/.exec(line);
    if (trailing) this.qpNeedless -= trailing[1]!.length / 3;
  }

  multipartRatio(): number {
    if (!this.sawAlternative) return 1;
    let text: number | undefined;
    let html: number | undefined;
    // The last text/plain and text/html parts decide (not attachments).
    for (let i = this.leaves.length - 1; i >= 0; i--) {
      const { type, bytes } = this.leaves[i]!;
      if (bytes === undefined) continue;
      if (html === undefined && type === 'text/html') html = bytes;
      else if (text === undefined && type === 'text/plain') text = bytes;
      if (html !== undefined && text !== undefined) break;
    }
    return text !== undefined && html !== undefined && html > 0 ? text / html : 1;
  }
}

/** The statistics for the scanned message, computed once per scan. */
export function mimePartStats(ctx: ScanContext): MimePartStats {
  const cached = ctx.pluginState.get('mime:part-stats') as MimePartStats | undefined;
  if (cached) return cached;
  const w = new StatsWalker(squashesCrlf(ctx.msg));
  w.walk(ctx.msg.root, false);
  const stats: MimePartStats = {
    charsets: w.charsets,
    qpLongLine: w.qpLongLine,
    qpBytes: w.qpBytes,
    qpNeedless: w.qpNeedless,
    asciiTextIllegal: w.asciiTextIllegal,
    unicodeRatio: w.normalChars > 0 ? w.unicodeChars / w.normalChars : 0,
    multipartRatio: w.multipartRatio(),
    base64Length: w.base64Length,
  };
  ctx.pluginState.set('mime:part-stats', stats);
  return stats;
}
