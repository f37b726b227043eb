/**
 * The Bayes tokenizer, following SpamAssassin 4.0.1's token rules so that hamlet's
 * tokens hash to the same 40-bit values as SpamAssassin's (a `sa-learn --backup`
 * restored into hamlet classifies the same way).
 *
 * Everything works on binary strings (one char per byte), because SpamAssassin
 * tokenizes bytes: UTF-8 text stays a sequence of UTF-8 bytes, `\w` and case
 * folding are ASCII-only, and lengths are byte counts.
 *
 * Sources: the rendered visible body (with the Subject first; body-sources.ts), the
 * canonical URI list, and selected header fields with `H<name>:` prefixes (header-tokens.ts:
 * some names compressed to `*x` forms, some values pre-digested: addresses, Message-IDs,
 * Received, Content-Type).
 */
import type { Message } from '../message/types';
import { bodySources } from './body-sources';
import { headerTokenSources } from './header-tokens';
import { mailAddrTokens } from './mail-addr-tokens';
import { toByteString } from '../message/charset';
import { tokenHashBytes } from './hash';
import { cjkWordTokens } from './cjk-words';
import { splitAscii, starts, ends, wordBytes, wordString } from './word-split';
import { ByteTable, grownFloat64, grownInt32, hashBytes, stringBytes } from './word-table';

/** What the tokenizer reads from the configuration. */
export interface TokenizerConfig {
  /** `bayes_max_token_length` (default 15): longer tokens become `sk:` skips or `u8:` pieces. */
  readonly maxTokenLength: number;
  /** Lower-cased header names from `bayes_ignore_header`. */
  readonly ignoreHeaders: ReadonlySet<string>;
  /** Stop-word patterns (one per language in `bayes_stopword_languages`), matched against whole tokens. */
  readonly stopwords: readonly RegExp[];
  /** hamlet's `bayes_cjk_words` (default on): add ICU word tokens for Chinese and Japanese runs. */
  readonly cjkWords?: boolean;
}

/** Body line tokens, URI tokens, header tokens: SpamAssassin's caps per source. */
const MAX_BODY_TOKENS = 50000;
const MAX_URI_TOKENS = 10000;
const MAX_HEADER_TOKENS = 10000;

const enum Region {
  Header = 0,
  Body = 1,
  Uri = 2,
}

/**
 * Word material (letters, digits, `,@*!_'"$.-`), whole UTF-8 sequences and lone high bytes
 * (0xA1-0xFF) are kept; everything else becomes a space. (Pure-ASCII lines take the
 * char-code passes of word-split.ts instead of these regexes.)
 */
const BYTE_WORDS =
  /([A-Za-z0-9,@*!_'"$. -]+|[\xC0-\xDF][\x80-\xBF]|[\xE0-\xEF][\x80-\xBF]{2}|[\xF0-\xF4][\x80-\xBF]{3}|[\xA1-\xFF])|[\s\S]/g;
const DOTS = /(\w)(\.{3,6})(\w)/g;
const DASHES = /(\w)(-{2,6})(\w)/g;
/** Title Case at the start of a sentence is lower-cased (body and URIs only). */
const TITLE_CASE = /(?:^|\.\s+)([A-Z])([^A-Z]+)(?:\s|$)/g;
const TRIM_START = /^[-'".,]+/;
const TRIM_END = /[-'".,]+$/;
/** The DBM store's magic tokens (`**NSPAM` ...) are never learned from text. */
const MAGIC = /^\*\*[A-Z]+$/;
const MAIL_ADDR = /\S@\S/;
const URL_DOMAIN = /\S\.[a-z]/i;
const NOT_WORDISH = /[^\w:*]/;
const NOT_WORDISH_G = /[^\w:*]/g;
const UPPER = /[A-Z]/;
const TWO_CONTINUATIONS = /[\x80-\xBF]{2}/;
const UTF8_3_4 = /(?:[\xE0-\xEF]|[\xF0-\xF4][\x80-\xBF])[\x80-\xBF]{2}/g;
/** Seven "characters" (UTF-8 sequences count as one) followed by at least two more bytes. */
const SKIP_HEAD =
  /^((?:[\x00-\x7F\xF5-\xFF]|[\xC0-\xDF][\x80-\xBF]|[\xE0-\xEF][\x80-\xBF]{2}|[\xF0-\xF4][\x80-\xBF]{3}|[\s\S]){7})[\s\S]{2,}$/;

const NON_ASCII = /[^\x00-\x7f]/;

/** ASCII-only lower-casing, as Perl's lc on a byte string (an ASCII word takes the native one). */
function lcAscii(s: string): string {
  return NON_ASCII.test(s) ? s.replace(/[A-Z]+/g, (m) => m.toLowerCase()) : s.toLowerCase();
}

/** Where one source's tokens go, and SpamAssassin's token count for that source's caps. */
interface TokenSink {
  /** Raw tokens (when collecting strings) ... */
  readonly tokens: Set<string> | undefined;
  /** ... or their 40-bit hashes (when learning or classifying), each once per message. */
  readonly hashes: number[] | undefined;
  count: number;
}

/**
 * Bound on the caches (words plus tokens); they are emptied between messages when over it.
 * Below EXPECTED_WORDS, so the hash tables keep their first size and a server's memory
 * stays flat: at 400,000 they grew over the first ~3,000 messages (+13 MB per hamletd worker),
 * and tokenizing new mail after a warm-up cost no more CPU at 100,000 (bench:worker-memory).
 */
const CACHE_LIMIT = 100000;
/**
 * Distinct words (and tokens) the caches are first sized for: learning a few thousand
 * messages meets about 100,000, and growing the tables rehashes and copies them.
 */
const EXPECTED_WORDS = 1 << 17;

/**
 * Per configuration: each distinct word (per region and prefix: its kind) with the tokens it
 * gives, each distinct token with its hash, and per-message stamps that deduplicate a
 * message's tokens without a set. All in typed arrays keyed by dense ids (see ByteTable),
 * so the caches cost the garbage collector nothing however many words they hold.
 */
class TokenCache {
  /** Word kind (region + prefix) -> its tag in `words`. */
  readonly kinds = new Map<string, number>();
  readonly words = new ByteTable(EXPECTED_WORDS);
  readonly tokens = new ByteTable(EXPECTED_WORDS);
  /** Per token id: its 40-bit hash, and the last message it was emitted for. */
  tokenHash: Float64Array = new Float64Array(EXPECTED_WORDS);
  tokenStamp: Int32Array = new Int32Array(EXPECTED_WORDS);
  /** Per word id: its token ids are `pool[wordToks[w] .. wordToks[w + 1])`. */
  wordToks: Int32Array = new Int32Array(EXPECTED_WORDS + 1);
  /** Per word id: the last message it was seen in (a repeat adds only to the count). */
  wordStamp: Int32Array = new Int32Array(EXPECTED_WORDS);
  pool: Int32Array = new Int32Array(EXPECTED_WORDS * 2);
  /** The message counter. */
  stamp = 0;

  /** Empties the caches when they are over their bound (between messages). */
  trim(): void {
    if (this.words.count + this.tokens.count < CACHE_LIMIT) return;
    this.kinds.clear();
    this.words.clear();
    this.tokens.clear();
  }

  /** The tag of a word kind. */
  kind(name: string): number {
    let tag = this.kinds.get(name);
    if (tag === undefined) this.kinds.set(name, (tag = this.kinds.size));
    return tag;
  }

  /** The id of the token `prefix + body` (interned on first sight, with its hash). */
  token(prefix: string, body: string): number {
    // The two parts are written side by side: concatenating them would make a string to flatten.
    stringBytes(prefix);
    const b = stringBytes(body, prefix.length);
    const n = prefix.length + body.length;
    const h = hashBytes(b, 0, n);
    let id = this.tokens.find(b, 0, n, h);
    if (id >= 0) return id;
    id = this.tokens.insert(b, 0, n, h);
    if (id >= this.tokenHash.length) {
      this.tokenHash = grownFloat64(this.tokenHash, id + 1);
      this.tokenStamp = grownInt32(this.tokenStamp, id + 1);
    }
    this.tokenHash[id] = tokenHashBytes(b, 0, n);
    this.tokenStamp[id] = 0;
    return id;
  }

  /**
   * Adds the word `b[s..e)` (its hash `h`, kind `tag`) giving the tokens in `parts`: prefix and
   * body pairs (empty tokens dropped).
   */
  addWord(b: Uint8Array, s: number, e: number, h: number, tag: number, parts: readonly string[]): number {
    const w = this.words.insert(b, s, e, h, tag);
    if (w + 2 > this.wordToks.length) {
      this.wordToks = grownInt32(this.wordToks, w + 2);
      this.wordStamp = grownInt32(this.wordStamp, w + 2);
    }
    this.wordStamp[w] = 0;
    let end = w === 0 ? 0 : this.wordToks[w]!;
    this.wordToks[w] = end;
    if (end + parts.length / 2 > this.pool.length) this.pool = grownInt32(this.pool, end + parts.length / 2);
    for (let k = 0; k < parts.length; k += 2) {
      if (parts[k]!.length + parts[k + 1]!.length > 0) this.pool[end++] = this.token(parts[k]!, parts[k + 1]!);
    }
    this.wordToks[w + 1] = end;
    return w;
  }
}

const caches = new WeakMap<TokenizerConfig, TokenCache>();

/** Spreads a word kind's tag over the hash bits, so one word of several kinds takes different slots. */
function tagSalt(tag: number): number {
  return Math.imul(tag, 0x9e3779b1);
}

/**
 * Tokenizes lines of one region into `out`. A word gives the same tokens wherever it
 * appears (for a given region, prefix and configuration), so results are cached per
 * word across messages: most words of a mail stream are repeats.
 */
class LineTokenizer {
  private readonly cache: TokenCache;
  /** This message's number: entries stamped with it were already emitted. */
  private readonly stamp: number;
  /** Reused per line: the words found. */
  private readonly words: string[] = [];
  /** Reused per new word: its tokens, as prefix and body pairs. */
  private readonly parts: string[] = [];

  constructor(private readonly conf: TokenizerConfig) {
    let c = caches.get(conf);
    if (!c) caches.set(conf, (c = new TokenCache()));
    c.trim();
    this.cache = c;
    this.stamp = ++c.stamp;
  }

  /** Whole tokens made elsewhere (CJK words), added as the words of a line are. */
  add(toks: readonly string[], out: TokenSink): void {
    out.count += toks.length;
    for (const tok of toks) this.emitToken(this.cache.token('', tok), out);
  }

  /** The tag of the word cache of one region and prefix (fetch once per source, not per line). */
  wordKind(region: Region, prefix: string): number {
    return this.cache.kind(region + prefix);
  }

  /** Tokenizes one line; returns false when it has bytes >= 0x80 (only such a line can hold CJK text). */
  run(line: string, prefix: string, region: Region, out: TokenSink, tag = this.wordKind(region, prefix)): boolean {
    const words = this.cache.words;
    const salt = tagSalt(tag);
    const n = splitAscii(line, region !== Region.Header);
    if (n < 0) {
      const k = this.byteWords(line, region, this.words);
      for (let i = 0; i < k; i++) {
        const word = this.words[i]!;
        const b = stringBytes(word);
        const h = hashBytes(b, 0, word.length) ^ salt;
        const w = words.find(b, 0, word.length, h, tag);
        this.emit(w >= 0 ? w : this.learnWord(word, b, 0, word.length, h, tag, prefix, region), out);
      }
      return false;
    }
    // Pure ASCII: words are looked up by their bytes; a string is made only for a new word.
    const b = wordBytes();
    for (let i = 0; i < n; i++) {
      const s = starts[i]!;
      const e = ends[i]!;
      const h = hashBytes(b, s, e) ^ salt;
      const w = words.find(b, s, e, h, tag);
      this.emit(w >= 0 ? w : this.learnWord(wordString(line, i), b, s, e, h, tag, prefix, region), out);
    }
    return true;
  }

  /** Caches a new word (`b[s..e)` holds its bytes) and returns its id. */
  private learnWord(word: string, b: Uint8Array, s: number, e: number, h: number, tag: number, prefix: string, region: Region): number {
    const parts = this.parts;
    parts.length = 0;
    this.wordTokens(word, prefix, region, parts);
    return this.cache.addWord(b, s, e, h, tag, parts);
  }

  /** Emits a word's tokens not yet emitted for this message. */
  private emit(w: number, out: TokenSink): void {
    const c = this.cache;
    const from = c.wordToks[w]!;
    const to = c.wordToks[w + 1]!;
    // A word seen earlier in this message adds nothing new (its count still counts toward the caps).
    out.count += to - from;
    if (c.wordStamp[w] === this.stamp) return;
    c.wordStamp[w] = this.stamp;
    for (let k = from; k < to; k++) this.emitToken(c.pool[k]!, out);
  }

  /** Emits a token unless it was already emitted for this message. */
  private emitToken(t: number, out: TokenSink): void {
    const c = this.cache;
    if (c.tokenStamp[t] === this.stamp) return;
    c.tokenStamp[t] = this.stamp;
    if (out.hashes) out.hashes.push(c.tokenHash[t]!);
    if (out.tokens) out.tokens.add(c.tokens.key(t));
  }

  /** Words (3 bytes or more) of a line with bytes >= 0x80, by the regex passes; returns the count. */
  private byteWords(line: string, region: Region, out: string[]): number {
    let text = line.replace(BYTE_WORDS, (_m, keep: string | undefined) => keep ?? ' ');
    if (text.includes('..')) text = text.replace(DOTS, '$1 $2 $3');
    if (text.includes('--')) text = text.replace(DASHES, '$1 $2 $3');
    if (region !== Region.Header) {
      text = text.replace(TITLE_CASE, (_m, first: string, rest: string) => ' ' + first.toLowerCase() + rest + ' ');
    }
    let n = 0;
    for (const word of text.split(' ')) if (word.length >= 3) out[n++] = word;
    return n;
  }

  /** The tokens one word gives (some may be empty), as prefix and body pairs into `out`. */
  private wordTokens(token: string, prefix: string, region: Region, out: string[]): void {
    const plain = plainWord(token);
    if (plain !== Plain.No) return this.plainWordTokens(token, plain === Plain.Upper, prefix, region, out);
    token = token.replace(TRIM_START, '').replace(TRIM_END, '');
    const len = token.length;
    if (len < 3) return;
    if (token.charCodeAt(0) === 42 && MAGIC.test(token)) return;
    if (this.isStopword(token)) return;

    if (region !== Region.Header) {
      if (token.includes('@') && MAIL_ADDR.test(token)) {
        const addr: string[] = [];
        mailAddrTokens(token, addr);
        for (const t of addr) out.push('', t);
      } else if (URL_DOMAIN.test(token)) {
        out.push('UD:', token);
        let bit = token;
        for (;;) {
          const m = /^[^.]+\.(.+)$/s.exec(bit);
          if (!m) break;
          bit = m[1]!;
          out.push('UD:', bit);
        }
      }
    }

    if (len > this.conf.maxTokenLength && !token.includes('*')) {
      if (TWO_CONTINUATIONS.test(token)) {
        const pieces = token.match(UTF8_3_4);
        if (pieces) {
          for (const p of pieces) out.push(prefix, 'u8:' + p);
          return;
        }
      }
      if (region !== Region.Uri) {
        const m = SKIP_HEAD.exec(token);
        if (m) token = 'sk:' + m[1];
      }
    }

    if (region !== Region.Header) {
      const odd = NOT_WORDISH.test(token);
      if (odd) out.push(prefix, token.replace(NOT_WORDISH_G, ''));
      if (UPPER.test(token)) {
        const lower = lcAscii(token);
        out.push(prefix, lower);
        if (odd) out.push(prefix, lower.replace(NOT_WORDISH_G, ''));
      }
    }
    out.push(prefix, token);
  }

  /**
   * `wordTokens` for a word of only letters, digits and `_` (most words): nothing to trim,
   * no address or domain, no UTF-8, nothing to strip, so no regex but the stop words.
   */
  private plainWordTokens(token: string, upper: boolean, prefix: string, region: Region, out: string[]): void {
    if (this.isStopword(token)) return;
    // A long word is cut to its first seven bytes (URIs keep theirs whole).
    if (token.length > this.conf.maxTokenLength && token.length >= 9 && region !== Region.Uri) {
      token = 'sk:' + token.slice(0, 7);
      upper = UPPER.test(token);
    }
    if (region !== Region.Header && upper) out.push(prefix, token.toLowerCase());
    out.push(prefix, token);
  }

  private isStopword(token: string): boolean {
    for (const re of this.conf.stopwords) if (re.test(token)) return true;
    return false;
  }
}

const enum Plain {
  No,
  Lower,
  Upper,
}

/** Whether a word is only `\w` characters, and whether it has a capital. */
function plainWord(word: string): Plain {
  let upper = false;
  for (let i = 0; i < word.length; i++) {
    const c = word.charCodeAt(i);
    if (c >= 97 ? c > 122 : c >= 65 ? c > 90 && c !== 95 : c < 48 || c > 57) return Plain.No;
    if (c <= 90 && c >= 65) upper = true;
  }
  return upper ? Plain.Upper : Plain.Lower;
}

/**
 * The distinct raw tokens of a message (binary strings), before hashing.
 * Empty tokens are dropped.
 */
export function tokenize(msg: Message, conf: TokenizerConfig): Set<string> {
  const tokens = new Set<string>();
  collect(msg, conf, tokens, undefined);
  return tokens;
}

/** The distinct 40-bit hashes of a message's tokens: what is learned and looked up. */
export function tokenHashes(msg: Message, conf: TokenizerConfig): number[] {
  return bodyFirstTokenHashes(msg, conf).hashes;
}

/**
 * `tokenHashes`, and how many of them come from the visible body text (they come first): a
 * classification reads how much of the text, not of the headers every mail shares, is known.
 */
export function bodyFirstTokenHashes(msg: Message, conf: TokenizerConfig): { hashes: number[]; bodyCount: number } {
  const hashes: number[] = [];
  const bodyCount = collect(msg, conf, undefined, hashes);
  return { hashes, bodyCount };
}

/** Collects the tokens or hashes; returns how many distinct ones the visible body gave. */
function collect(msg: Message, conf: TokenizerConfig, tokens: Set<string> | undefined, hashes: number[] | undefined): number {
  const lt = new LineTokenizer(conf);
  const sink = (): TokenSink => ({ tokens, hashes, count: 0 });
  const { visible, invisible } = bodySources(msg);
  const body = sink();
  const bodyWords = lt.wordKind(Region.Body, '');
  for (const line of visible) {
    const ascii = lt.run(line, '', Region.Body, body, bodyWords);
    if (!ascii && conf.cjkWords !== false) lt.add(cjkWordTokens(line), body);
    if (body.count >= MAX_BODY_TOKENS) break;
  }
  const bodyCount = hashes?.length ?? tokens?.size ?? 0;
  const uris = sink();
  const uriWords = lt.wordKind(Region.Uri, '');
  for (const uri of msg.uriList) {
    lt.run(toByteString(uri), '', Region.Uri, uris, uriWords);
    if (uris.count >= MAX_URI_TOKENS) break;
  }
  const inviz = sink();
  const invizWords = lt.wordKind(Region.Body, 'I*:');
  for (const line of invisible) {
    lt.run(line, 'I*:', Region.Body, inviz, invizWords);
    if (inviz.count >= MAX_BODY_TOKENS) break;
  }
  const headers = sink();
  for (const [name, value] of headerTokenSources(msg, conf.ignoreHeaders)) {
    lt.run(value, 'H' + name + ':', Region.Header, headers);
    if (headers.count >= MAX_HEADER_TOKENS) break;
  }
  return bodyCount;
}


