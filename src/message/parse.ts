/** bytes -> Message: the one entry point of the message model. */
import { assembleBodyText, effectiveType, splitShortParagraphs, truncateNear } from './body-text';
import type { DomainOptions } from './domain';
import { lastHeader, parseHeaderBlock } from './headers';
import { renderHtml, type HtmlRender } from './html';
import { collectLeaves, DEFAULT_MIME_LIMITS, walkMime } from './mime';
import { buildRelayChain, type RelayOptions } from './relays';
import type { Message, MessageUri, MimePart, ParseFlags, RelayChain, HeaderField } from './types';
import { buildUriList, extractTextUris, htmlUris, type FoundUri } from './uris';

/** Parsing settings; defaults are SpamAssassin's. */
export interface ParseOptions {
  /** Most characters of each rendered text part that `body` rules see (`body_part_scan_size`). */
  bodyPartScanSize?: number;
  /** Most bytes of each decoded text part that `rawbody` rules see (`rawbody_part_scan_size`). */
  rawbodyPartScanSize?: number;
  /** Deepest MIME nesting walked. */
  maxMimeDepth?: number;
  /** Most MIME parts walked. */
  maxParts?: number;
  /** trusted_networks and friends for the Received chain. */
  relays?: RelayOptions;
  /** util_rb_tld and friends for registrable domains of URIs. */
  domains?: DomainOptions;
  /** `redirector_pattern`s: group 1 is the target URI. */
  redirectors?: readonly RegExp[];
}

export const DEFAULT_BODY_PART_SCAN_SIZE = 50000;
/** One shared object, so per-settings caches (URI canonical forms) are shared too. */
const NO_DOMAIN_OPTIONS: DomainOptions = {};
export const DEFAULT_RAWBODY_PART_SCAN_SIZE = 500000;

/** An mbox separator line; `From:` (obsolete header syntax with space before colon) is not one. */
const MBOX_FROM = /^From\s+(?!:)/;

class ParsedMessage implements Message {
  readonly mboxFrom: string | undefined;
  readonly headers: readonly HeaderField[];
  readonly root: MimePart;
  readonly leaves: readonly MimePart[];
  readonly flags: ParseFlags;
  readonly headerBytes: Buffer;
  readonly bodyBytes: Buffer;
  readonly lineEnding: '\n' | '\r\n';
  private readonly offset: number;
  private cache: {
    bodyText?: string[];
    rawBodyText?: string[];
    fullText?: string;
    htmlParts?: HtmlRender[];
    rendered?: Array<string | undefined>;
    uris?: MessageUri[];
    uriList?: string[];
    relays?: RelayChain;
  } = {};

  constructor(
    readonly raw: Buffer,
    private readonly opts: ParseOptions,
  ) {
    this.flags = {
      missingHeadBodySeparator: false,
      truncatedHeader: false,
      missingMimeBoundary: false,
      mimeDepthExceeded: false,
      tooManyParts: false,
      truncatedBody: false,
    };
    let start = 0;
    const firstNl = raw.indexOf(0x0a);
    const firstLine = raw.toString('latin1', 0, Math.min(firstNl < 0 ? raw.length : firstNl, 1024));
    if (MBOX_FROM.test(firstLine)) {
      this.mboxFrom = firstLine.replace(/\r$/, '');
      start = firstNl < 0 ? raw.length : firstNl + 1;
    }
    this.offset = start;
    const hb = parseHeaderBlock(raw, start);
    this.headers = hb.fields;
    this.headerBytes = raw.subarray(start, hb.bodyStart);
    this.bodyBytes = raw.subarray(hb.bodyStart);
    const eol = raw.indexOf(0x0a, start);
    this.lineEnding = eol > start && raw[eol - 1] === 0x0d ? '\r\n' : '\n';
    this.flags.missingHeadBodySeparator = hb.missingSeparator;
    this.flags.truncatedHeader = hb.truncated;
    const bodyScan = opts.bodyPartScanSize ?? DEFAULT_BODY_PART_SCAN_SIZE;
    const rawScan = opts.rawbodyPartScanSize ?? DEFAULT_RAWBODY_PART_SCAN_SIZE;
    this.root = walkMime(
      raw,
      hb.fields,
      hb.bodyStart,
      {
        maxDepth: opts.maxMimeDepth ?? DEFAULT_MIME_LIMITS.maxDepth,
        maxParts: opts.maxParts ?? DEFAULT_MIME_LIMITS.maxParts,
        // Room past the bound so truncation can look for a clean break.
        maxDecodedBytes: Math.max(bodyScan * 4, rawScan) + 1024,
      },
      this.flags,
    );
    this.leaves = collectLeaves(this.root);
  }

  /** Rendered text per leaf: a string for text/plain and text/html leaves, undefined for others. */
  private rendered(): Array<string | undefined> {
    if (this.cache.rendered) return this.cache.rendered;
    const scan = this.opts.bodyPartScanSize ?? DEFAULT_BODY_PART_SCAN_SIZE;
    const htmlParts: HtmlRender[] = [];
    const out = this.leaves.map((p) => {
      const type = effectiveType(p);
      if (type !== 'text/plain' && type !== 'text/html') return undefined;
      let text = p.text();
      if (type === 'text/html' && text !== '') {
        const r = renderHtml(text);
        htmlParts.push(r);
        text = r.text;
      }
      const cut = truncateNear(text, scan, ['\n', ' ']);
      if (cut.length < text.length) this.flags.truncatedBody = true;
      return cut;
    });
    this.cache.htmlParts = htmlParts;
    this.cache.rendered = out;
    return out;
  }

  get bodyText(): readonly string[] {
    return (this.cache.bodyText ??= assembleBodyText(lastHeader(this.headers, 'subject'), this.rendered()));
  }

  get htmlParts(): readonly HtmlRender[] {
    this.rendered();
    return this.cache.htmlParts!;
  }

  get rawBodyText(): readonly string[] {
    if (this.cache.rawBodyText) return this.cache.rawBodyText;
    const scan = this.opts.rawbodyPartScanSize ?? DEFAULT_RAWBODY_PART_SCAN_SIZE;
    const out: string[] = [];
    for (const p of this.leaves) {
      if (!/^(?:text|message)\b/.test(effectiveType(p)) || p.type === 'text/calendar') continue;
      const bytes = p.decoded().toString('latin1').replace(/\r\n/g, '\n');
      out.push(...splitShortParagraphs(truncateNear(bytes, scan, ['\n', '>', ' '])));
    }
    return (this.cache.rawBodyText = out);
  }

  get fullText(): string {
    return (this.cache.fullText ??= this.raw.toString('latin1', this.offset));
  }

  get uris(): readonly MessageUri[] {
    if (this.cache.uris) return this.cache.uris;
    const domains = this.opts.domains ?? NO_DOMAIN_OPTIONS;
    const text: FoundUri[] = [];
    for (const line of this.bodyText) extractTextUris(line, domains, text);
    const html: FoundUri[] = [];
    for (const h of this.htmlParts) htmlUris(h, html);
    return (this.cache.uris = buildUriList(text, html, { domains, redirectors: this.opts.redirectors }));
  }

  get uriList(): readonly string[] {
    if (this.cache.uriList) return this.cache.uriList;
    const all = new Set<string>();
    for (const u of this.uris) for (const c of u.cleaned) all.add(c);
    return (this.cache.uriList = Array.from(all));
  }

  get relays(): RelayChain {
    return (this.cache.relays ??= buildRelayChain(this.headers, this.opts.relays));
  }
}

/**
 * Parse a message from its bytes. Never throws on malformed input: problems are
 * recorded in `flags` and the best reading is returned.
 */
export function parseMessage(raw: Buffer, opts: ParseOptions = {}): Message {
  return new ParsedMessage(raw, opts);
}
