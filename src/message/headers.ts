/** Header block parsing on bytes: fields with raw (folded) and decoded values. */
import { decodeHeaderValue } from './encoded-words';
import type { HeaderField } from './types';

/** Bounds SpamAssassin also applies (longer keys/values are cut and flagged). */
export const MAX_HEADER_KEY_LENGTH = 256;
export const MAX_HEADER_VALUE_LENGTH = 8192;
/** Our own bound on fields per header block; the rest are dropped and flagged. */
export const MAX_HEADER_FIELDS = 20000;

export interface HeaderBlock {
  fields: HeaderField[];
  /** Offset in the buffer where the body starts. */
  bodyStart: number;
  missingSeparator: boolean;
  truncated: boolean;
}

/** Whether buf[pos, end) starts with a field name (printable ASCII without colon), optional obsolete whitespace, and a colon. */
function isFieldStart(buf: Buffer, pos: number, end: number): boolean {
  let i = pos;
  while (i < end && buf[i]! >= 0x21 && buf[i]! <= 0x7e && buf[i] !== 0x3a) i++;
  if (i === pos) return false;
  while (i < end && (buf[i] === 0x20 || buf[i] === 0x09)) i++;
  return i < end && buf[i] === 0x3a;
}

/** The field held in `text` from `start` to `end` (its line ending included). */
function makeField(text: string, start: number, end: number): HeaderField | undefined {
  const colon = text.indexOf(':', start);
  if (colon < 0 || colon >= end) return undefined;
  let nameEnd = colon;
  while (nameEnd > start && (text.charCodeAt(nameEnd - 1) === 0x20 || text.charCodeAt(nameEnd - 1) === 0x09)) nameEnd--;
  const name = text.slice(start, Math.min(nameEnd, start + MAX_HEADER_KEY_LENGTH));
  // The line ending goes first (most fields are one line: then no CRLF is left to replace).
  if (text.charCodeAt(end - 1) === 0x0a) end -= end - 2 > colon && text.charCodeAt(end - 2) === 0x0d ? 2 : 1;
  let raw = text.slice(colon + 1, end);
  if (raw.includes('\r')) raw = raw.replace(/\r\n/g, '\n');
  if (raw.length > MAX_HEADER_VALUE_LENGTH) raw = raw.slice(0, MAX_HEADER_VALUE_LENGTH);
  const key = name.toLowerCase();
  return { name, key, raw, value: decodeHeaderValue(raw, key) };
}

/**
 * Parse the header block of `buf` from `start` up to `end`. The block ends at
 * the first empty line; a MIME boundary line (`--...`) or a fourth line that
 * cannot be a header also ends it (and flags the separator as missing), so a
 * body without a blank line is not swallowed as headers.
 */
export function parseHeaderBlock(buf: Buffer, start = 0, end = buf.length): HeaderBlock {
  const fields: HeaderField[] = [];
  let truncated = false;
  let missingSeparator = false;
  let errors = 0;
  let fieldStart = -1;
  let fieldEnd = -1;
  let pos = start;
  let bodyStart: number;

  // Field bounds (start, cut end, full length) first; the block becomes one string once its end is known.
  const bounds: number[] = [];
  const flush = (): void => {
    if (fieldStart < 0) return;
    const len = fieldEnd - fieldStart;
    // Cut absurd fields before decoding them.
    const cut = Math.min(len, MAX_HEADER_KEY_LENGTH + MAX_HEADER_VALUE_LENGTH + 4);
    bounds.push(fieldStart, fieldStart + cut, len);
    fieldStart = -1;
  };

  for (;;) {
    if (pos >= end) {
      flush();
      missingSeparator = true;
      bodyStart = end;
      break;
    }
    let nl = buf.indexOf(0x0a, pos);
    if (nl < 0 || nl >= end) nl = end;
    const lineEnd = nl < end ? nl + 1 : end;
    const first = buf[pos]!;
    const isEmpty = nl === pos || (nl === pos + 1 && first === 0x0d);
    if (isEmpty) {
      flush();
      bodyStart = lineEnd;
      break;
    }
    if (first === 0x20 || first === 0x09) {
      if (fieldStart < 0) fieldStart = pos; // a block starting with a continuation
      fieldEnd = lineEnd;
      pos = lineEnd;
      continue;
    }
    flush();
    if (nl - pos >= 2 && first === 0x2d && buf[pos + 1] === 0x2d) {
      missingSeparator = true;
      bodyStart = pos;
      break;
    }
    if (!isFieldStart(buf, pos, Math.min(nl, pos + MAX_HEADER_KEY_LENGTH + 8)) && ++errors > 3) {
      missingSeparator = true;
      bodyStart = pos;
      break;
    }
    fieldStart = pos;
    fieldEnd = lineEnd;
    pos = lineEnd;
  }
  let anyCut = false;
  for (let i = 0; i < bounds.length; i += 3) if (bounds[i + 1]! - bounds[i]! < bounds[i + 2]!) anyCut = true;
  // One conversion for the block (fields are slices of it) costs less than one per field;
  // a block with absurd fields converts only their kept parts, field by field.
  const blockStart = bounds.length > 0 ? bounds[0]! : 0;
  const block = anyCut || bounds.length === 0 ? '' : buf.toString('latin1', blockStart, bounds[bounds.length - 2]);
  if (anyCut) truncated = true;
  for (let i = 0; i < bounds.length; i += 3) {
    if (fields.length >= MAX_HEADER_FIELDS) {
      truncated = true;
      break;
    }
    const s = bounds[i]!;
    const e = bounds[i + 1]!;
    const f = anyCut ? makeField(buf.toString('latin1', s, e), 0, e - s) : makeField(block, s - blockStart, e - blockStart);
    if (f === undefined) continue;
    if (f.raw.length >= MAX_HEADER_VALUE_LENGTH || f.name.length >= MAX_HEADER_KEY_LENGTH) truncated = true;
    fields.push(f);
  }
  return { fields, bodyStart, missingSeparator, truncated };
}

/** All fields named `name` (case-insensitive), in order. */
export function headersNamed(fields: readonly HeaderField[], name: string): HeaderField[] {
  const key = name.toLowerCase();
  return fields.filter((f) => f.key === key);
}

/** The decoded value of the last field named `name`, or undefined. */
export function lastHeader(fields: readonly HeaderField[], name: string): string | undefined {
  const key = name.toLowerCase();
  for (let i = fields.length - 1; i >= 0; i--) if (fields[i]!.key === key) return fields[i]!.value;
  return undefined;
}

/** The decoded value of the first field named `name`, or undefined. */
export function firstHeader(fields: readonly HeaderField[], name: string): string | undefined {
  const key = name.toLowerCase();
  for (const f of fields) if (f.key === key) return f.value;
  return undefined;
}
