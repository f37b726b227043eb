/**
 * The Bayes tokenizer, following SpamAssassin 4.0.1's token rules so that hamlet's
 * tokens hash to the same 40-bit values as SpamAssassin's (a `sa-learn --backup`
 * restored into hamlet classifies the same way).
 *
 * Everything works on binary strings (one char per byte), because SpamAssassin
 * tokenizes bytes: UTF-8 text stays a sequence of UTF-8 bytes, `\w` and case
 * folding are ASCII-only, and lengths are byte counts.
 *
 * Sources: the rendered visible body (with the Subject first), the canonical URI
 * list, and selected header fields with `H<name>:` prefixes (some names
 * compressed to `*x` forms, some values pre-digested: addresses, Message-IDs,
 * Received, Content-Type).
 */
import type { Message, MimePart } from '../message/types';
import { parseAddressList } from '../message/address';
import { toByteString } from '../message/charset';
import { headerNames } from './header-names';
import { tokenHashBytes } from './hash';
import { cjkWordTokens } from './cjk-words';
import { splitAscii, starts, ends, wordBytes, wordString } from './word-split';
import { ByteTable, grownFloat64, grownInt32, hashBytes, stringBytes } from './word-table';
import { assembleBodyText, effectiveType, truncateNear } from '../message/body-text';
import { lastHeader } from '../message/headers';
import { DEFAULT_BODY_PART_SCAN_SIZE } from '../message/parse';
import { detach } from '../util/detach';

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
const HAS_HIGH = /[^\x00-\x7f]/;
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

/** ASCII-only lower-casing, as Perl's lc on a byte string. */
function lcAscii(s: string): string {
  return s.replace(/[A-Z]+/g, (m) => m.toLowerCase());
}

/** `user@host` -> `U*user`, `D*host` and `D*` for each parent domain. */
function mailAddrTokens(addr: string, out: string[]): void {
  const m = /^(.+)@(.+)$/s.exec(addr);
  if (!m) return;
  out.push('U*' + m[1], 'D*' + m[2]);
  let dom = m[2]!;
  for (;;) {
    const dot = /^[^.]+\.(.+)$/s.exec(dom);
    if (!dot) break;
    dom = dot[1]!;
    out.push('D*' + dom);
  }
}

/** Where one source's tokens go, and SpamAssassin's token count for that source's caps. */
interface TokenSink {
  /** Raw tokens (when collecting strings) ... */
  readonly tokens: Set<string> | undefined;
  /** ... or their 40-bit hashes (when learning or classifying), each once per message. */
  readonly hashes: number[] | undefined;
  count: number;
}

/** Bound on the caches (words plus tokens); they are emptied between messages when over it. */
const CACHE_LIMIT = 400000;
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
  const hashes: number[] = [];
  collect(msg, conf, undefined, hashes);
  return hashes;
}

function collect(msg: Message, conf: TokenizerConfig, tokens: Set<string> | undefined, hashes: number[] | undefined): void {
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
  for (const [name, value] of headerTokenSources(msg, conf)) {
    lt.run(value, 'H' + name + ':', Region.Header, headers);
    if (headers.count >= MAX_HEADER_TOKENS) break;
  }
}

/**
 * The visible body (Subject first) and the invisibly drawn HTML text, as lines of
 * bytes the way SpamAssassin 4.0.1 hands them to its tokenizer. It decodes parts to
 * Unicode (`normalize_charset` is on by default) as hamlet's message model does.
 */
export function bodySources(msg: Message): { visible: readonly string[]; invisible: readonly string[] } {
  const html = msg.htmlParts;
  if (!html.some((h) => h.invisibleText !== '')) return { visible: asPerlBytes(msg.bodyText, msg, false), invisible: [] };
  const vis: Array<string | undefined> = [];
  const inv: Array<string | undefined> = [];
  let h = 0;
  const cut = (t: string): string => truncateNear(t, DEFAULT_BODY_PART_SCAN_SIZE, ['\n', ' ']);
  for (const p of msg.leaves) {
    const type = effectiveType(p);
    if (type !== 'text/plain' && type !== 'text/html') {
      vis.push(undefined);
      inv.push(undefined);
      continue;
    }
    const text = p.text();
    if (type === 'text/html' && text !== '' && h < html.length) {
      const r = html[h++]!;
      vis.push(cut(r.visibleText));
      inv.push(cut(r.invisibleText));
    } else {
      vis.push(cut(text));
      inv.push('');
    }
  }
  const invisible = assembleBodyText(undefined, inv);
  if (invisible[0] === '\n') invisible.shift();
  return {
    visible: asPerlBytes(assembleBodyText(lastHeader(msg.headers, 'subject'), vis), msg, false),
    invisible: asPerlBytes(invisible, msg, true),
  };
}

/**
 * Text as the bytes SpamAssassin's tokenizer sees. Perl keeps a string of only
 * characters up to U+00FF that came from pure-ASCII parts (HTML entities such as
 * `&copy;` or `&nbsp;` decoded into it) as one byte per character; once any part of
 * the joined text was decoded from 8-bit bytes, or holds a character above U+00FF,
 * the whole text is UTF-8. (A lone byte 0x80-0xA0 is then a separator, as in SpamAssassin.)
 */
function asPerlBytes(lines: readonly string[], msg: Message, htmlOnly: boolean): string[] {
  // Most lines are pure ASCII, which both forms leave as is: one scan per line finds those.
  let latin1 = false;
  let wide = false;
  for (const l of lines) {
    if (!HAS_HIGH.test(l)) continue;
    if (WIDE.test(l)) wide = true;
    else latin1 = true;
  }
  if (!latin1 && !wide) return [...lines];
  if (!wide) {
    const subject = htmlOnly ? '' : (lastHeader(msg.headers, 'subject') ?? '');
    const decoded = HAS_HIGH.test(subject) || msg.leaves.some((p) => isTextLeaf(p, htmlOnly) && hasHighByte(p.decoded()));
    if (!decoded) return [...lines];
  }
  return lines.map(toByteString);
}

const WIDE = /[^\x00-\xff]/;

function isTextLeaf(p: MimePart, htmlOnly: boolean): boolean {
  const type = effectiveType(p);
  return type === 'text/html' || (!htmlOnly && type === 'text/plain');
}

function hasHighByte(b: Buffer): boolean {
  for (let i = 0; i < b.length; i++) if (b[i]! >= 0x80) return true;
  return false;
}

// ---------------------------------------------------------------------------
// Headers

/** The header fields Bayes reads, digested, keyed by their (possibly compressed) token name. */
export function headerTokenSources(msg: Message, conf: TokenizerConfig): Map<string, string> {
  const picked: Array<[string, string]> = [];
  const received: Array<[string, string]> = [];
  for (const h of msg.headers) {
    if (h.key === 'received') received.push([h.name, h.value]);
    else if (!headerPlan(h.name).ignored) picked.push([h.name, h.value]);
  }
  const ph = msg.relays.pseudoHeaders;
  picked.push(
    ['x-spam-relays-external', ph.external],
    ['x-spam-relays-internal', ph.internal],
    ['x-spam-relays-trusted', ph.trusted],
    ['x-spam-relays-untrusted', ph.untrusted],
  );
  // The last two Received fields (the first hops): spamware HELO names and tokens.
  if (received.length >= 1) picked.push(received[received.length - 1]!);
  if (received.length >= 2) picked.push(received[received.length - 2]!);

  const parsed = new Map<string, string>();
  const add = (key: string, val: string): void => {
    const prev = parsed.get(key);
    parsed.set(key, prev === undefined ? val : prev + ' ' + val);
  };
  for (const [name, value] of picked) {
    const plan = headerPlan(name);
    if (conf.ignoreHeaders.has(plan.lower)) continue;
    const val = chewHeader(plan.chew, value);
    if (plan.also !== undefined) add(plan.also, val);
    add(plan.key, val);
  }
  return parsed;
}

/** How a header field's value is digested before tokenizing. */
const enum Chew {
  None,
  MessageId,
  Addresses,
  Received,
  ContentType,
  MimeVersion,
  PresenceOnly,
  Relays,
}

/** What to do with a header field, worked out once per distinct name (the name tests are regexes). */
interface HeaderPlan {
  /** Never tokenized (Received and the relay pseudo-headers are picked apart from this). */
  readonly ignored: boolean;
  /** The lower-cased name, for `bayes_ignore_header`. */
  readonly lower: string;
  readonly chew: Chew;
  /** A combined token name the value is also added under (`*MI`, `*Ad`, `*UA`). */
  readonly also: string | undefined;
  /** The (possibly compressed) token name. */
  readonly key: string;
}

const headerPlans = new Map<string, HeaderPlan>();
/** Spam carries random header names: the plan cache is emptied when it grows past this. */
const HEADER_PLAN_LIMIT = 5000;

function headerPlan(name: string): HeaderPlan {
  return memo(headerPlans, HEADER_PLAN_LIMIT, name, makeHeaderPlan);
}

/**
 * `cache`'s value for `key`, made on a miss; the cache is emptied when it reaches `limit` entries.
 * Keys are header names and values cut from a message's header block: stored (and made from)
 * detached copies, or each entry would keep its whole header block alive.
 */
function memo<V>(cache: Map<string, V>, limit: number, key: string, make: (key: string) => V): V {
  let v = cache.get(key);
  if (v === undefined) {
    if (cache.size >= limit) cache.clear();
    const own = detach(key);
    cache.set(own, (v = make(own)));
  }
  return v;
}

function makeHeaderPlan(name: string): HeaderPlan {
  let also: string | undefined;
  if (/^(?:In-Reply-To|References|Message-ID)$/i.test(name)) also = '*MI';
  else if (/^(?:From|To|Cc)$/i.test(name)) also = '*Ad';
  else if (/^(?:X-Mailer|User-Agent)$/i.test(name)) also = '*UA';
  return {
    ignored: headerNames.ignored.test(name),
    lower: name.toLowerCase(),
    chew: chewKind(name),
    also,
    key: headerNames.compressed.get(name) ?? name,
  };
}

function chewKind(name: string): Chew {
  if (/^(?:|X-|Resent-)Message-Id$/i.test(name)) return Chew.MessageId;
  if (/^(?:|X-|Resent-)(?:Return-Path|From|To|Cc|Reply-To|Errors-To|Mail-Followup-To|Sender)$/i.test(name)) return Chew.Addresses;
  if (name === 'Received') return Chew.Received;
  if (name === 'Content-Type') return Chew.ContentType;
  if (name === 'MIME-Version') return Chew.MimeVersion;
  if (headerNames.presenceOnly.test(name)) return Chew.PresenceOnly;
  if (/^x-spam-relays-(?:external|internal|trusted|untrusted)$/.test(name)) return Chew.Relays;
  return Chew.None;
}

function chewHeader(chew: Chew, value: string): string {
  switch (chew) {
    case Chew.Addresses:
      return cachedChewAddresses(value);
    case Chew.PresenceOnly:
      return '1';
    case Chew.MessageId:
      return chewMessageId(' ' + toByteString(value));
    case Chew.Received:
      return chewReceived(' ' + toByteString(value));
    case Chew.ContentType:
      return chewContentType(' ' + toByteString(value));
    case Chew.MimeVersion:
      return (' ' + toByteString(value)).replace('1.0', '');
    case Chew.Relays:
      return (' ' + toByteString(value)).replace(/ [a-z]+=/g, ' ');
    default:
      return ' ' + toByteString(value);
  }
}

function chewContentType(val: string): string {
  let boundary: string | undefined;
  val = val.replace(/boundary=["'](.*?)["']/gi, (_m, b: string) => {
    boundary = b;
    return ' ';
  });
  if (boundary !== undefined) val += boundary.replace(/[a-fA-F0-9]/g, 'H').replace(/([-_.=]+)/g, ' $1 ');
  return val.replace(/\b(?:text|charset)\b/g, ' ');
}

function chewMessageId(val: string): string {
  return val
    .replace(/<([0-9a-f]{4})[0-9a-f]{4}[0-9a-f]{4}\$([0-9a-f]{4})[0-9a-f]{4}\$([0-9a-f]{8})@(\S+)>/g, ' OEA$1 OEB$2 OEC$3 $4 ')
    .replace(/<[A-Za-z0-9]{7}-[A-Za-z0-9]{6}-0[A-Za-z0-9]@/, '')
    .replace(/<20\d\d[01]\d[0123]\d[012]\d[012345]\d[012345]\d\.[A-F0-9]{10,12}@/g, '')
    .replace(/[^_A-Za-z0-9]/g, ' ');
}

const RCVD_DATE = new RegExp(
  '(?:(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun),\\s)?[0-3\\s]?[0-9]\\s(?:Jan|Feb|Ma[ry]|Apr|Ju[nl]|Aug|Sep|Oct|Nov|Dec)\\s' +
    '(?:19|20)?[0-9]{2}\\s[0-2][0-9](?::[0-5][0-9]){1,2}\\s(?:\\s*\\(|\\)|\\s*(?:[+-][0-9]{4})|\\s*(?:UT|[A-Z]{2,3}T))*',
  'g',
);

function chewReceived(val: string): string {
  return val
    .replace(/\swith\sSMTP\sid\sg[\dA-Z]{10,12}\s/g, ' ')
    .replace(/\swith\sESMTP\sid\s[\dA-F]{10,12}\s/g, ' ')
    .replace(/\bid\s[a-zA-Z0-9]{7,20}\b/g, ' ')
    .replace(/\bid\s[A-Za-z0-9]{7}-[A-Za-z0-9]{6}-0[A-Za-z0-9]/g, ' ')
    .replace(RCVD_DATE, '')
    .replace(/\b(\d{1,3}\.)(\d{1,3}\.)(\d{1,3})(\.\d{1,3})\b/g, (_m, a: string, b: string, c: string, d: string) => {
      // SpamAssassin keeps private /8 and /16 nets whole; its test compares "10." with "10", so in
      // practice every address is cut to its /24, plus the whole address as `ip*`.
      return a + b + c + ' ip*' + a + b + c + d + ' ';
    })
    .replace(/\b(?:with|from|for|SMTP|ESMTP)\b/g, ' ');
}

/**
 * Address fields repeat across a mail stream (list addresses, regular correspondents: in
 * 2,500 ham messages 11,805 fields have 1,289 distinct values), so their digests are kept.
 */
const addressDigests = new Map<string, string>();
const ADDRESS_DIGEST_LIMIT = 4096;

function cachedChewAddresses(value: string): string {
  return memo(addressDigests, ADDRESS_DIGEST_LIMIT, value, chewAddresses);
}

function chewAddresses(value: string): string {
  const toks: string[] = [];
  for (const a of parseAddressList(value)) {
    // The shared parser drops a display name that repeats the address (right for `:name`);
    // SpamAssassin's Bayes keeps it as a name token.
    let phrase = a.phrase;
    if (phrase === undefined && a.address !== undefined && namedByAddress(value, a.address)) phrase = a.address;
    if (phrase !== undefined) for (const w of toByteString(phrase).split(/\s+/)) toks.push('N*' + w);
    if (a.address !== undefined) mailAddrTokens(toByteString(a.address), toks);
  }
  return toks.join(' ');
}

const SPACE = /\s/;

/**
 * Whether the field has `addr <addr>` (the address as its own display name, maybe quoted):
 * the pattern `(?:^|[,\s])"?ADDR"?\s*<ADDR>`, checked at each `<addr>` without compiling
 * a pattern per address.
 */
function namedByAddress(value: string, addr: string): boolean {
  const angled = '<' + addr + '>';
  for (let q = value.indexOf(angled); q >= 0; q = value.indexOf(angled, q + 1)) {
    // Any number of the whitespace characters right before `<addr>`, then an optional quote.
    for (let end = q; ; end--) {
      if (nameAt(value, addr, end) || (value[end - 1] === '"' && nameAt(value, addr, end - 1))) return true;
      if (end === 0 || !SPACE.test(value[end - 1]!)) break;
    }
  }
  return false;
}

/** `addr` ends at `end`, optionally quoted in front, at the start or after `,` or whitespace. */
function nameAt(value: string, addr: string, end: number): boolean {
  const start = end - addr.length;
  if (start < 0 || !value.startsWith(addr, start)) return false;
  const atBoundary = (i: number): boolean => i === 0 || value[i - 1] === ',' || SPACE.test(value[i - 1]!);
  return atBoundary(start) || (value[start - 1] === '"' && atBoundary(start - 1));
}
