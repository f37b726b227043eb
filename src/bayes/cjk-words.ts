/**
 * Word tokens for Chinese and Japanese text. Those scripts put no spaces between words, so
 * SpamAssassin's whitespace tokenizer sees a whole sentence as one long "word" and keeps only
 * its single characters (`u8:` pieces). ICU's dictionary segmenter (Intl.Segmenter, built into
 * Node) finds the words; they are added beside SpamAssassin's tokens under their own prefix,
 * so a database restored from `sa-learn --backup` still classifies as it did, and a database
 * hamlet trains also learns the words. This is the job the brief suggests `natural` for; ICU
 * does it without a dependency.
 */

/** Prefix of the word tokens, distinct from every prefix SpamAssassin uses. */
export const CJK_WORD_PREFIX = 'cj:';

/** Han, Hiragana, Katakana (with the prolonged sound mark) and half-width Katakana. */
const CJK_RUN = /[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f]{2,}/gu;
/** UTF-8 lead bytes of the blocks above (U+3000-U+9FFF, U+F900-U+FFFF), in a binary string. */
const CJK_LEAD_BYTE = /[\xe3-\xe9\xef]/;

/** Words per line at most: a line of 100 KB of kanji must not cost more than a line of words. */
const MAX_WORDS_PER_LINE = 500;

let segmenter: Intl.Segmenter | undefined;

/** The words (two characters or more) of the CJK runs in Unicode text. */
export function cjkWords(text: string): string[] {
  const out: string[] = [];
  for (const run of text.match(CJK_RUN) ?? []) {
    segmenter ??= new Intl.Segmenter('ja', { granularity: 'word' });
    for (const s of segmenter.segment(run)) {
      // One-character words are mostly particles; SpamAssassin's u8: pieces already carry them.
      if (s.isWordLike !== true || s.segment.length < 2) continue;
      out.push(s.segment);
      if (out.length >= MAX_WORDS_PER_LINE) return out;
    }
  }
  return out;
}

/**
 * The same for a line held as UTF-8 bytes in a binary string (the tokenizer's form); the
 * tokens come back in that form, prefixed. Lines without a CJK lead byte cost one regex test.
 */
export function cjkWordTokens(binaryLine: string): string[] {
  if (!CJK_LEAD_BYTE.test(binaryLine)) return [];
  const words = cjkWords(Buffer.from(binaryLine, 'latin1').toString('utf8'));
  return words.map((w) => CJK_WORD_PREFIX + Buffer.from(w, 'utf8').toString('latin1'));
}
