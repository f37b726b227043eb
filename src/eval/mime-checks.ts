/** MIME structure checks (SpamAssassin MIMEEval, beyond mime-flags.ts). */
import type { ScanContext } from '../engine/context';
import { optList } from '../options/option-values';
import type { MimePart } from '../message/types';
import { charsetOkForLocales } from './header-locales';
import { mimePartStats } from './mime-part-stats';
import { numArg, strArg, type EvalDef } from './registry';

/** Charsets whose text makes an uppercase ratio meaningless (CJK, Cyrillic, Thai...). */
const CAPS_FP_CHARSET = /^[-_a-z0-9]*(?:koi|jp|jis|euc|gb|big5|isoir|cp1251|windows-1251|georgianps|pt154|tis)[-_a-z0-9]*$/i;

/** All top-level Content-Type values, one per line, as SpamAssassin's header getter joins them. */
function topContentType(ctx: ScanContext): string | undefined {
  const values = ctx.msg.headers.filter((h) => h.key === 'content-type').map((h) => h.value);
  return values.length > 0 ? values.join('\n') : undefined;
}

/** The first charset named in a Content-Type line (quoted forms first), unnormalised. */
function charsetOfLine(ct: string | undefined): string | undefined {
  if (ct === undefined) return undefined;
  return /charset="([^"]+)"/i.exec(ct)?.[1] ?? /charset='([^']+)'/i.exec(ct)?.[1] ?? /charset=(\S+)/i.exec(ct)?.[1];
}

function bodyCharsetLikelyToFp(ctx: ScanContext): boolean {
  const top = charsetOfLine(topContentType(ctx));
  const all = top === undefined ? mimePartStats(ctx).charsets : [top, ...mimePartStats(ctx).charsets];
  return all.some((c) => CAPS_FP_CHARSET.test(c));
}

/** Percentage of capitals among letters and digits on body lines with inner spaces; 0 for short or CJK-ish mail. */
function uppercasePercent(ctx: ScanContext): number {
  const cached = ctx.pluginState.get('mime:uppercase') as number | undefined;
  if (cached !== undefined) return cached;
  let pct = 0;
  if (!bodyCharsetLikelyToFp(ctx)) {
    let len = 0;
    let lower = 0;
    let upper = 0;
    for (const line of ctx.bodyLines()) {
      if (!/[^ \t\n\r\f\v][ \t\n\r\f\v]+[^ \t\n\r\f\v]/.test(line)) continue;
      // Forwarded base64 that leaked into the text is not shouting.
      if (/^(?:[A-Za-z0-9+/=]{60,76} ){2}/.test(line)) continue;
      const l = line.includes('\x1b') ? line.replace(/\x1b\$B[\s\S]*\x1b\(B/g, '') : line;
      len += l.length;
      // Digits count as lower case, so dates and codes do not look like shouting.
      for (let i = 0; i < l.length; i++) {
        const c = l.charCodeAt(i);
        if ((c >= 97 && c <= 122) || (c >= 48 && c <= 57)) lower++;
        else if (c >= 65 && c <= 90) upper++;
      }
    }
    // A few acronyms in a short mail would skew the ratio.
    if (len >= 200 && upper + lower > 0) pct = (upper / (upper + lower)) * 100;
  }
  ctx.pluginState.set('mime:uppercase', pct);
  return pct;
}

/** The configured ok_locales as single locale names. */
function okLocales(ctx: ScanContext): string[] {
  const list = optList(ctx.settings.options, 'ok_locales').flatMap((v) => v.split(/\s+/)).filter((v) => v !== '');
  return list.length > 0 ? list : ['all'];
}

/** The message's declared charset is foreign to ok_locales and the body really is mostly 8-bit. */
function farawayCharset(ctx: ScanContext): boolean {
  const locales = okLocales(ctx);
  if (locales.includes('all')) return false;
  const charset = charsetOfLine(topContentType(ctx));
  if (charset === undefined || charsetOkForLocales(charset, locales)) return false;
  // Some foreign charsets include ASCII; only a body that is mostly 8-bit counts.
  const body = ctx.bodyLines().join('\n');
  const high = body.match(/[^\x00-\x7f]/g)?.length ?? 0;
  return body.length - high <= high && high > 3;
}

/** A multipart/alternative with a direct leaf child that is not text (nor the usual related/rtf). */
function altHasNonText(ctx: ScanContext): boolean {
  const stack: MimePart[] = [ctx.msg.root];
  while (stack.length > 0) {
    const p = stack.pop()!;
    if (p.type === 'multipart/alternative') {
      for (const c of p.children) {
        if (c.children.length > 0) continue;
        if (c.type === 'multipart/related' || c.type === 'application/rtf' || c.type.startsWith('text/')) continue;
        return true;
      }
    }
    stack.push(...p.children);
  }
  return false;
}

export const mimeCheckEvals: readonly EvalDef[] = [
  {
    name: 'check_for_uppercase',
    areas: ['body'],
    fn: (ctx, args) => {
      const pct = uppercasePercent(ctx);
      return pct > numArg(args, 0, 0) && pct <= numArg(args, 1, 100);
    },
  },
  {
    name: 'check_base64_length',
    areas: ['body'],
    fn: (ctx, args) => {
      const len = mimePartStats(ctx).base64Length;
      return len >= numArg(args, 0, 0) && len <= numArg(args, 1, Infinity);
    },
  },
  {
    name: 'check_abundant_unicode_ratio',
    areas: ['body'],
    fn: (ctx, args) => {
      const ratio = strArg(args, 0) ?? '';
      // A malformed ratio disables the rule rather than matching everything.
      if (!/^\d{0,3}\.\d{1,3}$/.test(ratio)) return false;
      return mimePartStats(ctx).unicodeRatio >= Number(ratio);
    },
  },
  {
    name: 'check_for_ascii_text_illegal',
    areas: ['body'],
    fn: (ctx) => mimePartStats(ctx).asciiTextIllegal > 0,
  },
  { name: 'check_for_faraway_charset', areas: ['body'], fn: farawayCharset },
  { name: 'check_ma_non_text', areas: ['body'], fn: altHasNonText },
  {
    name: 'check_mime_multipart_ratio',
    areas: ['body'],
    fn: (ctx, args) => {
      const r = mimePartStats(ctx).multipartRatio;
      return r >= numArg(args, 0, 0) && r < numArg(args, 1, Infinity);
    },
  },
];
