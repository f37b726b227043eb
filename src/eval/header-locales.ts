/**
 * Which charsets a reader in a given locale can be expected to read
 * (SpamAssassin's `ok_locales` model). Roman charsets are fine everywhere.
 */

const CYRILLIC = 'KOI8R KOI8U KOI8T ISOIR111 CP1251 GEORGIANPS PT154 CP866';

/** Non-Roman charsets acceptable per locale, normalised (upper case, letters and digits only). */
const CHARSETS_FOR_LOCALE: Readonly<Record<string, ReadonlySet<string>>> = Object.fromEntries(
  Object.entries({
    ja: 'EUCJP JISX020119760 JISX020819830 JISX020819900 JISX020819970 JISX021219900 JISX021320001 JISX021320002 SHIFT_JIS SHIFTJIS ISO2022JP SJIS JIS7 JISX0201 JISX0208 JISX0212',
    ko: 'EUCKR KSC56011987',
    ru: CYRILLIC,
    ka: CYRILLIC,
    tg: CYRILLIC,
    be: CYRILLIC,
    uk: CYRILLIC,
    bg: CYRILLIC,
    th: 'TIS620',
    zh: 'GB1988 GB2312 GB231219800 GB18030 GBK BIG5HKSCS BIG5 EUCTW ISO2022CN',
  }).map(([k, v]) => [k, new Set(v.split(' '))]),
);

/** Charsets every locale accepts: ASCII, ISO-8859, Unicode forms, Windows code pages and oddities seen in the wild. */
const ALWAYS_OK = /^(?:USASCII|ASCII|ISO8859.*|ISO10646.*|UTF.*|UCS.*|CP125.*|WINDOWS.*|IBM852|UNICODE11UTF[78].*|XUNKNOWN|ISO)$/;

/** True when `charset` is readable in one of `locales` (e.g. `en`, `ja_JP`). */
export function charsetOkForLocales(charset: string, locales: readonly string[]): boolean {
  let cs = charset.toUpperCase().replace(/[^A-Z0-9]/g, '');
  // "3D" is a quoted-printable '=' that leaked in; ':' never survives the cleanup above.
  cs = cs.replace(/^3D/, '');
  if (ALWAYS_OK.test(cs)) return true;
  for (const loc of locales) {
    const lang = (loc === 'C' ? 'en' : loc).replace(/^([a-z][a-z]).*$/, '$1');
    if (CHARSETS_FOR_LOCALE[lang]?.has(cs)) return true;
  }
  return false;
}
