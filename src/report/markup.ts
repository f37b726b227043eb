/**
 * Marking a message up as SpamAssassin does: X-Spam-* headers, header
 * rewriting (`rewrite_header`), and `report_safe` encapsulation of spam.
 * Works on the original bytes so everything not rewritten stays as it was.
 */
import { toByteString } from '../message/charset';
import type { Message } from '../message/types';
import { addedHeaderLines, type AddedHeader } from './added-headers';
import { expandTags, rfc2822Date, type TagInput } from './tags';
import { escapeRegex } from '../util/escape-regex';

export interface MarkupOptions {
  /** 0: headers only; 1: spam wrapped as message/rfc822; 2: spam wrapped as text/plain. */
  readonly reportSafe: 0 | 1 | 2;
  readonly headersSpam: readonly AddedHeader[];
  readonly headersHam: readonly AddedHeader[];
  /** `rewrite_header` templates by header (Subject, From, To). */
  readonly rewriteHeader: Readonly<Partial<Record<'Subject' | 'From' | 'To', string>>>;
  readonly reportTemplate: string;
  readonly unsafeReportTemplate: string;
  /** `encapsulated_content_description`. */
  readonly contentDescription: string;
  readonly reportCharset?: string;
  readonly foldHeaders?: boolean;
  /** `report_safe_copy_headers`: more original headers copied into the wrapper. */
  readonly copyHeaders?: readonly string[];
  /** Names the software in the wrapper's Received line, e.g. `hamlet (version 0.1.0)`. */
  readonly product: string;
  /** This machine's name, for the wrapper's Received line. */
  readonly hostname: string;
  readonly now?: Date;
  /** Random 32-bit source for the MIME boundary (tests pass a fixed one). */
  readonly random32?: () => number;
}

/**
 * Split a header block (binary string) into fields, each with its continuation lines.
 * One pass of slices: appending each continuation line to a growing string and
 * re-testing it made a field of many folded lines cost quadratic time.
 */
export function splitFields(block: string): string[] {
  const fields: string[] = [];
  let start = -1;
  // An empty line (the separator) takes no continuation lines.
  let emptyLine = false;
  let pos = 0;
  while (pos < block.length) {
    const nl = block.indexOf('\n', pos);
    const end = nl < 0 ? block.length : nl + 1;
    const c = block.charCodeAt(pos);
    if (!((c === 0x20 || c === 0x09) && start >= 0 && !emptyLine)) {
      if (start >= 0) fields.push(block.slice(start, pos));
      start = pos;
      emptyLine = nl >= 0 && (end - pos === 1 || (end - pos === 2 && c === 0x0d));
    }
    pos = end;
  }
  if (start >= 0) fields.push(block.slice(start));
  return fields;
}

const withEol = (s: string, eol: string): string => (eol === '\n' ? s : s.replace(/\r?\n/g, eol));

/** The marked-up message (mbox `From ` line kept). */
export function markupMessage(msg: Message, tags: TagInput, opts: MarkupOptions): Buffer {
  const mbox = msg.mboxFrom !== undefined ? Buffer.from(msg.mboxFrom + msg.lineEnding, 'latin1') : Buffer.alloc(0);
  const body = tags.result.isSpam && opts.reportSafe > 0 ? reportSafe(msg, tags, opts) : headersOnly(msg, tags, opts);
  return Buffer.concat([mbox, body]);
}

/**
 * Earlier X-Spam-* fields (but not X-Spam-Prev-*) must not survive next to ours.
 * Markup a checker wrote (the message has an X-Spam-Checker-Version) is dropped, as
 * SpamAssassin drops it. Stray ones with no checker behind them are renamed in place
 * to `X-Spam-Prev-X-Spam-*` instead, so `-d` can give the message back byte for byte.
 */
export function keepOrDropOldMarkup(fields: readonly string[]): string[] {
  const checked = fields.some((f) => /^X-Spam-Checker-Version:/i.test(f));
  if (checked) return fields.filter((f) => !/^X-Spam-(?!Prev-)/i.test(f));
  return fields.map((f) => (/^X-Spam-(?!Prev-)/i.test(f) ? 'X-Spam-Prev-' + f : f));
}

function rewriteTag(template: string, tags: TagInput): string {
  return expandTags(template, tags).replace(/\n/g, ' ');
}

function headersOnly(msg: Message, tags: TagInput, opts: MarkupOptions): Buffer {
  const eol = msg.lineEnding;
  let fields = keepOrDropOldMarkup(splitFields(msg.headerBytes.toString('latin1')));
  let separator = '';
  if (fields.length > 0 && /^\s*$/.test(fields[fields.length - 1]!)) separator = fields.pop()!;
  const spam = tags.result.isSpam;
  if (spam) {
    const extra: string[] = [];
    let created = false;
    if (!fields.some((f) => /^Subject:/i.test(f)) && opts.rewriteHeader.Subject !== undefined) {
      fields.push(`Subject: ${eol}`);
      created = true;
    }
    fields = fields.map((f) => {
      const m = /^(From|Subject|To):/i.exec(f);
      if (!m) return f;
      const hdr = (m[1]![0]!.toUpperCase() + m[1]!.slice(1).toLowerCase()) as 'From' | 'Subject' | 'To';
      const template = opts.rewriteHeader[hdr];
      if (template === undefined) return f;
      extra.push(created && hdr === 'Subject' ? `X-Spam-Prev-Subject: (nonexistent)${eol}` : `X-Spam-Prev-${f}`);
      let tag = toByteString(rewriteTag(template, tags));
      if (hdr !== 'Subject') tag = `(${tag})`;
      const colon = f.indexOf(':');
      const rest = f.slice(colon + 1).replace(/^[ \t]*/, '');
      return f.slice(0, colon + 1) + ' ' + tag + ' ' + (rest.startsWith(tag + ' ') ? rest.slice(tag.length + 1) : rest);
    });
    fields.push(...extra);
  }
  let pre = '';
  if (fields.length > 0 && /^Return-Path:/i.test(fields[0]!)) pre = fields.shift()!;
  const added = toByteString(addedHeaderLines(spam ? opts.headersSpam : opts.headersHam, tags, opts.foldHeaders ?? true));
  const head = pre + withEol(added, eol) + fields.join('') + separator;
  return Buffer.concat([Buffer.from(head, 'latin1'), msg.bodyBytes]);
}

function hex8(n: number): string {
  return (n >>> 0).toString(16).toUpperCase().padStart(8, '0');
}

function reportSafe(msg: Message, tags: TagInput, opts: MarkupOptions): Buffer {
  const eol = msg.lineEnding;
  const now = opts.now ?? new Date();
  const rand = opts.random32 ?? (() => Math.floor(Math.random() * 2 ** 32));
  const original = Buffer.concat([msg.headerBytes, msg.bodyBytes]);
  const fields = splitFields(msg.headerBytes.toString('latin1'));
  // Only the name is lower-cased: a huge folded field is not copied once per name asked for.
  const pristineAll = (name: string): string[] => {
    const key = name.toLowerCase();
    return fields.filter((x) => x.charCodeAt(key.length) === 0x3a && x.slice(0, key.length).toLowerCase() === key).map((f) => f.slice(key.length + 1));
  };
  const pristine = (name: string): string | undefined => pristineAll(name)[0];
  let from = pristine('From');
  let to = pristine('To');
  const cc = pristine('Cc');
  let subject = pristine('Subject');
  const date = pristine('Date');
  const msgid = pristine('Message-Id');
  if (opts.rewriteHeader.Subject !== undefined) {
    const tag = toByteString(rewriteTag(opts.rewriteHeader.Subject, tags));
    const s = (subject ?? '\n').replace(/^ /, '');
    subject = ' ' + tag + ' ' + (s.startsWith(tag + ' ') ? s.slice(tag.length + 1) : s);
  }
  for (const [hdr, get, set] of [
    ['To', () => to, (v: string) => (to = v)],
    ['From', () => from, (v: string) => (from = v)],
  ] as const) {
    const template = opts.rewriteHeader[hdr];
    if (template === undefined) continue;
    const tag = toByteString(rewriteTag(template, tags));
    const v = (get() ?? '\n').replace(/\r?\n$/, '');
    set((v.endsWith(`\t(${tag})`) ? v : `${v}\t(${tag})`) + '\n');
  }
  let head = '';
  if (from !== undefined) head += `From:${from}`;
  if (to !== undefined) head += `To:${to}`;
  if (cc !== undefined) head += `Cc:${cc}`;
  if (subject !== undefined) head += `Subject:${subject}`;
  if (date !== undefined) head += `Date:${date}`;
  if (msgid !== undefined) head += `Message-Id:${msgid}`;
  head = head.replace(/\r\n/g, '\n');
  head += toByteString(addedHeaderLines(opts.headersSpam, tags, opts.foldHeaders ?? true));
  const copied = new Set(['from', 'to', 'cc', 'subject', 'date', 'message-id']);
  for (const name of opts.copyHeaders ?? []) {
    if (copied.has(name.toLowerCase())) continue;
    copied.add(name.toLowerCase());
    const lines = pristineAll(name).map((v) => `${name}:${v}`.replace(/\r\n/g, '\n')).join('');
    // Copied Received lines go above the others, as they would in transit.
    head = name.toLowerCase() === 'received' ? lines + head : head + lines;
  }
  head = `Received: from localhost by ${opts.hostname}\n\twith ${opts.product};\n\t${rfc2822Date(now)}\n` + head;

  const origText = original.toString('latin1');
  let boundary = `----------=_${hex8(Math.floor(now.getTime() / 1000))}.${hex8(rand())}`;
  while (new RegExp(`^${escapeRegex(boundary)}(?:--)?\r?$`, 'm').test(origText)) boundary += '/' + hex8(rand());

  let report = expandTags(opts.reportTemplate || '(no report template found)', tags).replace(/\n*$/, '\n\n');
  const ct = msg.headers.find((h) => h.key === 'content-type')?.value;
  let disposition = 'inline';
  if (ct !== undefined && ct !== '' && !/text\/plain/i.test(ct)) {
    disposition = 'attachment';
    report += expandTags(opts.unsafeReportTemplate, tags);
  }
  const charset = opts.reportCharset ?? 'UTF-8';
  const type = opts.reportSafe > 1 ? 'text/plain' : 'message/rfc822';
  const wrapper =
    head +
    `MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary="${boundary}"\n\n` +
    `This is a multi-part message in MIME format.\n\n--${boundary}\n` +
    `Content-Type: text/plain; charset=${charset}\nContent-Disposition: inline\nContent-Transfer-Encoding: 8bit\n\n` +
    toByteString(report) +
    `\n\n--${boundary}\nContent-Type: ${type}; x-spam-type=original\nContent-Description: ${opts.contentDescription}\n` +
    `Content-Disposition: ${disposition}\nContent-Transfer-Encoding: 8bit\n\n`;
  const trailer = `\n--${boundary}--\n\n`;
  return Buffer.concat([Buffer.from(withEol(wrapper, eol), 'latin1'), original, Buffer.from(withEol(trailer, eol), 'latin1')]);
}
