/**
 * Header content checks: raw 8-bit bytes that should have been MIME-encoded,
 * repeated headers, shouting subjects, foreign charsets and mail-merge
 * placeholders left unfilled.
 */
import { optList } from '../options/option-values';
import type { ScanContext } from '../engine/context';
import { toByteString } from '../message/charset';
import { getHeader, getHeaderList, getHeaderOr } from './header-get';
import { charsetOkForLocales } from './header-locales';
import { numArg, strArg, type EvalDef } from './registry';

const UTF8 = new TextDecoder('utf-8', { fatal: true });

function isValidUtf8(bytes: string): boolean {
  try {
    UTF8.decode(Buffer.from(bytes, 'latin1'));
    return true;
  } catch {
    return false;
  }
}

/** The header block as received (SpamAssassin's pristine headers), the LF separator line dropped. */
function pristineHeaders(ctx: ScanContext): string {
  const s = ctx.msg.headerBytes.toString('latin1');
  return s.endsWith('\n\n') ? s.slice(0, -1) : s;
}

function countMatches(s: string, re: RegExp): number {
  return s.match(re)?.length ?? 0;
}

/**
 * Share and count of bytes RFC 2045 forbids unencoded (8-bit and C0 controls
 * other than tab/CR/LF) in a raw header; `ALL` means the whole header block.
 * Well-formed UTF-8 without controls passes (RFC 6532 allows it).
 */
function illegalChars(ctx: ScanContext, args: readonly (string | number)[]): boolean {
  const name = (strArg(args, 0) ?? '').replace(/:raw$/, '');
  const ratio = numArg(args, 1, 0);
  const min = numArg(args, 2, 0);
  const str = name === 'ALL' ? pristineHeaders(ctx) : getHeader(ctx, `${name}:raw`);
  if (str === undefined || !/[^ \t\n\r\f\v]/.test(str)) return false;
  if (/[^\x00-\x7f]/.test(str) && isValidUtf8(str) && !/[\x00-\x08\x0b\x0c\x0e-\x1f]/.test(str)) return false;
  let illegal = countMatches(str, /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\xff]/g);
  // A lone cent, pound or registered sign is common in otherwise clean subjects.
  if (illegal > 0 && name.toLowerCase() === 'subject' && countMatches(str, /[\xa2\xa3\xae]/g) === 1) illegal--;
  return illegal / str.length >= ratio && illegal >= min;
}

/** Number of distinct values of a header is within [min, max]. */
function headerCountRange(ctx: ScanContext, args: readonly (string | number)[]): boolean {
  const key = (strArg(args, 0) ?? '').toLowerCase();
  const values = new Set(ctx.msg.headers.filter((h) => h.key === key).map((h) => h.value));
  return values.size >= numArg(args, 1, 0) && values.size <= numArg(args, 2, Infinity);
}

/** Charsets whose subjects look upper-case to an ASCII test (no case, or Latin transliteration). */
const CAPS_FP_CHARSET = /=\?[-_a-z0-9]*(?:koi|jp|jis|euc|gb|big5|isoir|cp1251|windows-1251|georgianps|pt154|tis)[-_a-z0-9]*\?/i;

/** A subject of several words, 10+ bytes, whose letters are all capitals. */
function subjectAllCaps(ctx: ScanContext): boolean {
  const subject = getHeaderOr(ctx, 'Subject')
    .replace(/^[ \t\n\r\f\v]+/, '')
    .replace(/[ \t\n\r\f\v]+$/, '')
    .replace(/^(?:(?:Re|Fwd|Fw|Aw|Antwort|WG|SV|VB|VS|VL):[ \t\n\r\f\v]*)+/i, '');
  if (!/[ \t\n\r\f\v]/.test(subject) || subject.length < 10) return false;
  const letters = subject.replace(/[^a-zA-Z]/g, '');
  if (CAPS_FP_CHARSET.test(getHeaderOr(ctx, 'Subject:raw'))) return false;
  return letters.length > 0 && letters === letters.toUpperCase();
}

/** From or Subject uses an encoded-word charset outside the `ok_locales` (never with the default `all`). */
function farawayCharsetInHeaders(ctx: ScanContext): boolean {
  const configured = optList(ctx.settings.options, 'ok_locales');
  const locales = configured.length > 0 ? configured : ['all'];
  if (locales.includes('all')) return false;
  for (const name of ['From', 'Subject']) {
    for (const raw of getHeaderList(ctx, `${name}:raw`)) {
      for (const m of raw.matchAll(/=\?(.+?)\?.\?.*?\?=/g)) {
        if (!charsetOkForLocales(m[1]!, locales)) return true;
      }
    }
  }
  return false;
}

/** Headers where `%NAME` is normal (addresses, ids, encoded faces). */
const TEMPLATE_EXEMPT = /^(?:X-VMS-To|X-UIDL|X-Face|To|Cc|From|Subject|References|In-Reply-To|(?:X-|Resent-|X-Original-)?Message-Id):/i;

/** A `%FIELD_NAME` mail-merge placeholder the ratware forgot to fill in. */
function unresolvedTemplate(ctx: ScanContext): boolean {
  for (const h of ctx.msg.headers) {
    const line = toByteString(`${h.name}: ${h.value}`);
    for (const part of line.split('\n')) {
      if (/%[A-Z][A-Z_-]/.test(part) && !TEMPLATE_EXEMPT.test(part)) return true;
    }
  }
  return false;
}

export const headerContentEvals: readonly EvalDef[] = [
  { name: 'check_illegal_chars', areas: ['header'], fn: illegalChars },
  { name: 'check_header_count_range', areas: ['header'], fn: headerCountRange },
  { name: 'subject_is_all_caps', areas: ['header'], fn: subjectAllCaps },
  { name: 'check_for_faraway_charset_in_headers', areas: ['header'], fn: farawayCharsetInHeaders },
  { name: 'check_unresolved_template', areas: ['header'], fn: unresolvedTemplate },
];
