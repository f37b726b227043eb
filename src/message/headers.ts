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

function makeField(text: string): HeaderField | undefined {
  const colon = text.indexOf(':');
  if (colon < 0) return undefined;
  let nameEnd = colon;
  while (nameEnd > 0 && (text.charCodeAt(nameEnd - 1) === 0x20 || text.charCodeAt(nameEnd - 1) === 0x09)) nameEnd--;
  const name = text.slice(0, Math.min(nameEnd, MAX_HEADER_KEY_LENGTH));
  // The line ending goes first (most fields are one line: then no CRLF is left to replace).
  let end = text.length;
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

  const flush = (): void => {
    if (fieldStart < 0) return;
    const len = fieldEnd - fieldStart;
    if (fields.length >= MAX_HEADER_FIELDS) {
      truncated = true;
    } else {
      // Cut absurd fields before decoding them to a string.
      const cut = Math.min(len, MAX_HEADER_KEY_LENGTH + MAX_HEADER_VALUE_LENGTH + 4);
      if (cut < len) truncated = true;
      const f = makeField(buf.toString('latin1', fieldStart, fieldStart + cut));
      if (f) {
        if (f.raw.length >= MAX_HEADER_VALUE_LENGTH || f.name.length >= MAX_HEADER_KEY_LENGTH) truncated = true;
        fields.push(f);
      }
    }
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
