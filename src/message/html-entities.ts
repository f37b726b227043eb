/**
 * Character references in HTML, decoded as SpamAssassin 4.0.1's parser (Perl's HTML::Parser)
 * decodes them, not as HTML5 does: only the HTML 4.01 entity names (plus `apos`) are known,
 * so an HTML5-only name such as `&colon;` stays as written (in a link it keeps the link from
 * being read as `https:`). Rules are written against that text, so we reproduce it.
 */

/** The 96 Latin-1 names, for U+00A0..U+00FF in order. */
const LATIN1 =
  'nbsp iexcl cent pound curren yen brvbar sect uml copy ordf laquo not shy reg macr deg plusmn ' +
  'sup2 sup3 acute micro para middot cedil sup1 ordm raquo frac14 frac12 frac34 iquest Agrave ' +
  'Aacute Acirc Atilde Auml Aring AElig Ccedil Egrave Eacute Ecirc Euml Igrave Iacute Icirc Iuml ' +
  'ETH Ntilde Ograve Oacute Ocirc Otilde Ouml times Oslash Ugrave Uacute Ucirc Uuml Yacute THORN ' +
  'szlig agrave aacute acirc atilde auml aring aelig ccedil egrave eacute ecirc euml igrave iacute ' +
  'icirc iuml eth ntilde ograve oacute ocirc otilde ouml divide oslash ugrave uacute ucirc uuml ' +
  'yacute thorn yuml';

/** The other HTML 4.01 names (symbols, Greek, specials) and `apos`, as name:hex code point. */
const OTHERS =
  'fnof:192 Alpha:391 Beta:392 Gamma:393 Delta:394 Epsilon:395 Zeta:396 Eta:397 Theta:398 ' +
  'Iota:399 Kappa:39a Lambda:39b Mu:39c Nu:39d Xi:39e Omicron:39f Pi:3a0 Rho:3a1 Sigma:3a3 ' +
  'Tau:3a4 Upsilon:3a5 Phi:3a6 Chi:3a7 Psi:3a8 Omega:3a9 alpha:3b1 beta:3b2 gamma:3b3 ' +
  'delta:3b4 epsilon:3b5 zeta:3b6 eta:3b7 theta:3b8 iota:3b9 kappa:3ba lambda:3bb mu:3bc ' +
  'nu:3bd xi:3be omicron:3bf pi:3c0 rho:3c1 sigmaf:3c2 sigma:3c3 tau:3c4 upsilon:3c5 phi:3c6 ' +
  'chi:3c7 psi:3c8 omega:3c9 thetasym:3d1 upsih:3d2 piv:3d6 bull:2022 hellip:2026 prime:2032 ' +
  'Prime:2033 oline:203e frasl:2044 weierp:2118 image:2111 real:211c trade:2122 alefsym:2135 ' +
  'larr:2190 uarr:2191 rarr:2192 darr:2193 harr:2194 crarr:21b5 lArr:21d0 uArr:21d1 rArr:21d2 ' +
  'dArr:21d3 hArr:21d4 forall:2200 part:2202 exist:2203 empty:2205 nabla:2207 isin:2208 ' +
  'notin:2209 ni:220b prod:220f sum:2211 minus:2212 lowast:2217 radic:221a prop:221d ' +
  'infin:221e ang:2220 and:2227 or:2228 cap:2229 cup:222a int:222b there4:2234 sim:223c ' +
  'cong:2245 asymp:2248 ne:2260 equiv:2261 le:2264 ge:2265 sub:2282 sup:2283 nsub:2284 ' +
  'sube:2286 supe:2287 oplus:2295 otimes:2297 perp:22a5 sdot:22c5 lceil:2308 rceil:2309 ' +
  'lfloor:230a rfloor:230b lang:2329 rang:232a loz:25ca spades:2660 clubs:2663 hearts:2665 ' +
  'diams:2666 quot:22 amp:26 lt:3c gt:3e OElig:152 oelig:153 Scaron:160 scaron:161 Yuml:178 ' +
  'circ:2c6 tilde:2dc ensp:2002 emsp:2003 thinsp:2009 zwnj:200c zwj:200d lrm:200e rlm:200f ' +
  'ndash:2013 mdash:2014 lsquo:2018 rsquo:2019 sbquo:201a ldquo:201c rdquo:201d bdquo:201e ' +
  'dagger:2020 Dagger:2021 permil:2030 lsaquo:2039 rsaquo:203a euro:20ac apos:27';

/** Name -> code point: the 253 names HTML::Parser knows. */
const ENTITIES = new Map<string, number>();
LATIN1.split(' ').forEach((name, i) => ENTITIES.set(name, 0xa0 + i));
for (const pair of OTHERS.split(' ')) {
  const [name, hex] = pair.split(':');
  if (name && hex) ENTITIES.set(name, parseInt(hex, 16));
}

/** The longest entity name, to bound the prefix search in text. */
const LONGEST = Math.max(...[...ENTITIES.keys()].map((n) => n.length));

/** Without its `;`, a name is decoded only when its character is Latin-1 (`&copy` but not `&hellip`). */
const MAX_UNTERMINATED = 0xff;

const REFERENCE = /&(?:#(?:[xX]([0-9a-fA-F]+)|([0-9]+));?|([A-Za-z][A-Za-z0-9]*)(;?))/g;

function numeric(ref: string, digits: string, radix: number): string {
  const cp = parseInt(digits, radix);
  // Zero, the two non-characters U+FFFE/U+FFFF and anything past Unicode stay as written.
  if (!(cp > 0 && cp <= 0x10ffff) || cp === 0xfffe || cp === 0xffff) return ref;
  // A lone surrogate is no character in the UTF-8 text SpamAssassin ends up with.
  if (cp >= 0xd800 && cp <= 0xdfff) return '\ufffd';
  return String.fromCodePoint(cp);
}

/**
 * A name HTML::Parser does not know is, in text (not in attribute values), read as the longest
 * known Latin-1 name it starts with: `&copyN` is `©N`, `&uumlaut` is `üaut`.
 */
function prefixed(ref: string, name: string, semi: string): string {
  for (let len = Math.min(name.length - 1, LONGEST); len > 0; len--) {
    const cp = ENTITIES.get(name.slice(0, len));
    if (cp !== undefined && cp <= MAX_UNTERMINATED) return String.fromCharCode(cp) + name.slice(len) + semi;
  }
  return ref;
}

/**
 * Decode the character references of `s`: `inText` for text between tags, false for an
 * attribute value (no prefix reading there: `&copyx` stays, `&copy=1` is `©=1`).
 */
export function decodeHtmlEntities(s: string, inText: boolean): string {
  if (!s.includes('&')) return s;
  return s.replace(REFERENCE, (ref, hex?: string, dec?: string, name?: string, semi?: string) => {
    if (hex !== undefined) return numeric(ref, hex, 16);
    if (dec !== undefined) return numeric(ref, dec, 10);
    if (name === undefined) return ref;
    const cp = ENTITIES.get(name);
    if (cp !== undefined && (semi === ';' || cp <= MAX_UNTERMINATED)) {
      return String.fromCodePoint(cp);
    }
    return inText && cp === undefined ? prefixed(ref, name, semi ?? '') : ref;
  });
}
