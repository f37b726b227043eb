/**
 * The renderer's state machine: what each tag does to the text (breaks, spaces, hidden runs), the
 * links and anchors it carries, and the tag statistics the HTML evals read.
 */
import { isWordChar } from './chars';
import { type TagAttrs } from './html-attrs';
import { decodeHtmlEntities } from './html-entities';
import { STYLE_TAGS, StyleStack } from './html-style';
import type { HtmlLink, HtmlStats } from './html-types';
import { resolveUri } from './uri-resolve';

const ELEMENTS = new Set(
  (
    'a abbr acronym address area b base bdo big blockquote body br button caption cite code col colgroup dd del ' +
    'dfn div dl dt em fieldset form h1 h2 h3 h4 h5 h6 head hr html i img input ins kbd label legend li link map ' +
    'meta noscript object ol optgroup option p param pre q samp script select small span strong style sub sup ' +
    'table tbody td textarea tfoot th thead title tr tt ul var applet basefont center dir font frame frameset ' +
    'iframe isindex menu noframes s strike u nobr x-sigsep x-tab'
  ).split(' '),
);
/** Office namespace tags (`o:p`, `st1:place`) count as elements but are not rendered. */
const NAMESPACED = /^(?:o|st\d):[\w-]+\/?$/;
/** Rendered but not counted as valid. */
const TRICKS = new Set(['bgsound', 'embed', 'listing', 'plaintext', 'xmp']);
const BREAK_LINE = new Set(['br', 'div']);
const BREAK_SPACE = new Set(['li', 'th', 'td', 'dt', 'dd', 'embed', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6']);
const BREAK_PARA = new Set(['p', 'hr', 'blockquote', 'pre', 'listing', 'plaintext', 'xmp', 'title']);

// What the renderer needs to know about a tag name, found with one lookup per tag.
const KNOWN = 1;
const TRICK = 2;
const STYLED = 4;
const LINE = 8;
const SPACE = 16;
const PARA = 32;
/** Tags whose open count decides where text goes (scripts, styles, anchors, titles). */
const TRACKED = 64;
/** Office namespace tags (see NAMESPACED); set per name seen, not in TAG_FLAGS. */
const OFFICE = 128;

/** A tag name seen in a part: its flags and how many are open. */
interface SeenTag {
  readonly flags: number;
  open: number;
}
const TAG_FLAGS: ReadonlyMap<string, number> = (() => {
  const flags = new Map<string, number>();
  const mark = (names: Iterable<string>, bit: number) => {
    for (const n of names) flags.set(n, (flags.get(n) ?? 0) | bit);
  };
  mark(ELEMENTS, KNOWN);
  mark(TRICKS, TRICK);
  mark(STYLE_TAGS, STYLED);
  mark(BREAK_LINE, LINE);
  mark(BREAK_SPACE, SPACE);
  mark(BREAK_PARA, PARA);
  mark(['script', 'style', 'a', 'title'], TRACKED);
  return flags;
})();
const MAX_URI_LENGTH = 8192;

/** One side of `<img width height>` in pixels: a percentage counts `pct` each, a missing or bad value 200. */
function imageSide(v: string, pct: number): number {
  const m = /^(\d+)(%)?$/.exec(v);
  const n = m ? Number(m[1]) * (m[2] ? pct : 1) : 0;
  return n > 0 ? n : 200;
}
/** Badly formed attribute names that still carry a URI (`x/href=`). */
const MANGLED_HREF_RE = /\w{1,8}\/href$/;
const MANGLED_SRC_RE = /\w{1,8}\/src$/;
const MANGLED_HREF = (name: string): boolean => MANGLED_HREF_RE.test(name);
const MANGLED_SRC = (name: string): boolean => MANGLED_SRC_RE.test(name);

/** A URI attribute, or failing that a badly formed one (`x/href=`) that still counts. */
function uriAttr(attrs: TagAttrs, want: 'href' | 'src'): string | undefined {
  return attrs.get(want) ?? attrs.find(want === 'href' ? MANGLED_HREF : MANGLED_SRC);
}
/** Length of the run of word characters (see isWordChar) that `s` ends with, counting up to `max + 1`. */
function trailingWordRun(s: string, max: number): number {
  let n = 0;
  for (let i = s.length - 1; i >= 0 && n <= max && isWordChar(s.charCodeAt(i)); i--) n++;
  return n;
}

/** Length of the run of word characters `s` starts with, counting up to `max + 1`. */
function leadingWordRun(s: string, max: number): number {
  let n = 0;
  for (let i = 0; i < s.length && n <= max && isWordChar(s.charCodeAt(i)); i++) n++;
  return n;
}

/** Whitespace as the renderer collapses it: space, \t \n \v \f \r and no-break space. */
function isRenderSpace(c: number): boolean {
  return c === 0x20 || (c >= 0x09 && c <= 0x0d) || c === 0xa0;
}

/**
 * Each run of render whitespace as one space. Many text nodes have nothing to collapse:
 * they come back as they are, without a copy.
 */
function collapseRenderSpace(t: string): string {
  let out = '';
  let copied = 0;
  for (let i = 0; i < t.length; i++) {
    const c = t.charCodeAt(i);
    if (!isRenderSpace(c)) continue;
    let end = i + 1;
    while (end < t.length && isRenderSpace(t.charCodeAt(end))) end++;
    if (c !== 0x20 || end > i + 1) {
      out += t.slice(copied, i) + ' ';
      copied = end;
    }
    i = end - 1;
  }
  return copied === 0 ? t : out + t.slice(copied);
}

/** Word fragments longer than this on either side of a tag are not counted as split words. */
const MAX_FRAGMENT = 7;
/** Text with anything but whitespace is judged for visibility. */
const VISIBLE_CHAR = /[^ \t\n\r\f\v\u00a0]/;
const FONT_FACE_OK =
  /^\s*["'.]?[a-z ][a-z -]*[a-z]\d?["']?(?:,\s*["']?[a-z][a-z -]*[a-z]\d?["']?)*;?$/i;

export class Renderer {
  readonly chunks: string[] = [];
  private readonly chunkIsSpace: boolean[] = [];
  readonly links: HtmlLink[] = [];
  readonly anchors: { href: string; text: string }[] = [];
  readonly titles: string[] = [];
  readonly comments: string[] = [];
  readonly commentSources: string[] = [];
  readonly scripts: string[] = [];
  /** Every tag name seen, in order, with what TAG_FLAGS says of it and its open count. */
  readonly seen = new Map<string, SeenTag>();
  readonly chunkIsInvisible: boolean[] = [];
  private baseHref = '';
  readonly stats: HtmlStats = {
    tags: 0,
    elements: 0,
    tagsSeen: 0,
    elementsSeen: 0,
    closedExtra: 0,
    obfuscation: 0,
    backhair: new Set(),
    imageArea: 0,
    length: 0,
    htmlLength: 0,
    nonSpaceLen: 0,
    minSize: 3,
    maxSize: 3,
    closedHtml: false,
    closedBody: false,
    fontFaceBad: false,
    formActionMailto: false,
    embeds: false,
    uriTruncated: false,
    fontLowContrast: false,
    fontInvalidColor: false,
    charsets: [],
  };
  private readonly styles = new StyleStack(this.stats);
  private pendingText = '';

  // Open counts of the TRACKED tags (the same numbers `inside` holds for them).
  private openScript = 0;
  private openStyle = 0;
  private openA = 0;
  private openTitle = 0;

  private track(name: string, open: number): void {
    if (name === 'script') this.openScript = open;
    else if (name === 'style') this.openStyle = open;
    else if (name === 'a') this.openA = open;
    else if (name === 'title') this.openTitle = open;
  }

  tag(name: string, attrs: TagAttrs, delta: 1 | -1): void {
    this.flushText();
    // One lookup per tag: the name's flags are remembered with its open count.
    let seen = this.seen.get(name);
    const wasSeen = seen !== undefined;
    if (seen === undefined) {
      const namespaced = name.includes(':') && NAMESPACED.test(name);
      seen = { flags: (TAG_FLAGS.get(name) ?? 0) | (namespaced ? OFFICE : 0), open: 0 };
      this.seen.set(name, seen);
    }
    const flags = seen.flags;
    const namespaced = (flags & OFFICE) !== 0;
    if ((flags & KNOWN) !== 0 || namespaced) {
      this.stats.elements++;
      if (!wasSeen) this.stats.elementsSeen++;
    }
    this.stats.tags++;
    if (!wasSeen) this.stats.tagsSeen++;
    let open = seen.open + delta;
    if (open < 0) {
      open = 0;
      this.stats.closedExtra++;
    }
    seen.open = open;
    if ((flags & TRACKED) !== 0) this.track(name, open);
    if (namespaced || (flags & (KNOWN | TRICK)) === 0) return;
    if ((flags & STYLED) !== 0) this.styles.tag(name, attrs, delta);
    if ((flags & LINE) !== 0) this.display('\n', true);
    else if ((flags & SPACE) !== 0) this.display(' ', true);
    else if ((flags & PARA) !== 0) this.display('\n\n', true);
    if (delta === 1) {
      this.uris(name, attrs);
      this.tests(name, attrs);
    } else if (name === 'html') this.stats.closedHtml = true;
    else if (name === 'body') this.stats.closedBody = true;
  }

  private canon(uri: string): string {
    let u = uri.replace(/^[\s\u00a0]+/, '').replace(/[\s\u00a0]+$/, '');
    if (u.length > MAX_URI_LENGTH) {
      this.stats.uriTruncated = true;
      u = u.slice(0, MAX_URI_LENGTH);
    }
    return u;
  }

  private push(tag: string, value: string | undefined): void {
    if (value === undefined) return;
    const uri = this.canon(value);
    if (uri === '') return;
    const url = /^(?:data|mailto|file|cid|tel):/i.test(uri) ? uri : resolveUri(this.baseHref, uri);
    if (url !== '') this.links.push({ tag, url });
  }

  private uris(tag: string, attrs: TagAttrs): void {
    switch (tag) {
      case 'body':
      case 'table':
      case 'tr':
      case 'td':
        this.push(tag, attrs.get('background'));
        break;
      case 'a':
      case 'area':
      case 'link':
        this.push(tag, uriAttr(attrs, 'href')?.replace(/\ufeff/g, ''));
        this.push(tag, attrs.get('data-saferedirecturl'));
        break;
      case 'img':
      case 'frame':
      case 'iframe':
      case 'embed':
      case 'script':
      case 'bgsound':
        this.push(tag, uriAttr(attrs, 'src'));
        break;
      case 'form':
        this.push(tag, attrs.get('action'));
        break;
      case 'base': {
        const raw = attrs.get('href');
        const href = raw ? this.canon(raw) : '';
        if (!href) break;
        this.push(tag, href);
        if (/^(?:https?|ftp):\/{0,2}/i.test(href)) {
          let b = href.replace(/^([a-z]+:\/{0,2}[^/]+\/.*?)[^/.]+\.[^/.]{2,4}$/i, '$1');
          if (!b.endsWith('/')) b += '/';
          this.baseHref = b;
        }
        break;
      }
      case 'meta': {
        const equiv = attrs.get('http-equiv');
        const content = attrs.get('content');
        if (equiv && content && /refresh/i.test(equiv) && /\burl\s*=/i.test(content)) {
          this.push(tag, content.replace(/^.*\burl\s*=\s*/i, '').replace(/\s*;.*/, ''));
        }
        break;
      }
    }
  }

  private tests(tag: string, attrs: TagAttrs): void {
    const face = tag === 'font' ? attrs.get('face') : undefined;
    if (face !== undefined && !FONT_FACE_OK.test(face)) this.stats.fontFaceBad = true;
    if (tag === 'img' && this.openA > 0 && this.anchors.length) this.anchors[this.anchors.length - 1]!.text += '<img>\n';
    if (tag === 'img') {
      const width = attrs.get('width');
      const height = attrs.get('height');
      if (width !== undefined && height !== undefined) this.stats.imageArea += imageSide(width, 8) * imageSide(height, 6);
    }
    if (tag === 'form') {
      const action = attrs.get('action');
      if (action !== undefined && /mailto:/i.test(action)) this.stats.formActionMailto = true;
    }
    if (tag === 'object' || tag === 'embed') this.stats.embeds = true;
    if (tag === 'a') {
      const href = attrs.get('href');
      this.anchors.push({ href: href !== undefined ? this.canon(href.replace(/\ufeff/g, '')) : '', text: '' });
    }
    if (tag === 'title') this.titles.push('');
    if (tag === 'meta') {
      const equiv = attrs.get('http-equiv');
      const content = attrs.get('content');
      if (equiv && content && /Content-Type/i.test(equiv)) {
        const m = /\bcharset\s*=\s*["']?([^"']+)/i.exec(content);
        if (m) this.stats.charsets.push(m[1]!);
      }
    }
  }

  text(t: string): void {
    this.pendingText += t;
  }

  /** Text arrives in pieces; the renderer decodes and handles it whole. */
  flushText(): void {
    const raw = this.pendingText;
    if (raw === '') return;
    this.pendingText = '';
    // Script text keeps its entities, as in SpamAssassin's parser.
    if (this.openScript > 0) {
      this.scripts.push(raw);
      return;
    }
    if (this.openStyle > 0) return;
    const t = decodeHtmlEntities(raw, true);
    if (this.openA > 0 && this.anchors.length) this.anchors[this.anchors.length - 1]!.text += t;
    if (this.openTitle > 0 && this.titles.length) this.titles[this.titles.length - 1] += t;
    const prev = this.chunks[this.chunks.length - 1];
    if (prev !== undefined) {
      // A word continued across the tag; fragments of at most 7 characters on both sides.
      const before = trailingWordRun(prev, MAX_FRAGMENT);
      const after = leadingWordRun(t, MAX_FRAGMENT);
      if (before > 0 && after > 0) {
        this.stats.obfuscation++;
        if (before <= MAX_FRAGMENT && after <= MAX_FRAGMENT) this.stats.backhair.add(`${before}_${after}`);
      }
    }
    this.display(t, false, VISIBLE_CHAR.test(t) && this.judgeStyle());
  }

  /** Record what the current style says about visible text; true when that text is invisible. */
  private judgeStyle(): boolean {
    const style = this.styles.top();
    if (style.verdict === 'low-contrast') this.stats.fontLowContrast = true;
    else if (style.verdict === 'invalid') this.stats.fontInvalidColor = true;
    return style.hidden;
  }

  /** Add a chunk; space next to whitespace chunks is trimmed unless the text is invisible. */
  private display(t: string, whitespace: boolean, invisible = false): void {
    const last = this.chunks.length - 1;
    if (whitespace) {
      if (last >= 0 && !this.chunkIsSpace[last] && !this.chunkIsInvisible[last] && this.chunks[last]!.endsWith(' ')) {
        this.chunks[last] = this.chunks[last]!.slice(0, -1);
      }
    } else {
      t = collapseRenderSpace(t);
      if (last >= 0 && this.chunkIsSpace[last] && !invisible && t.charCodeAt(0) === 0x20) t = t.slice(1);
    }
    this.chunks.push(t);
    this.chunkIsSpace.push(whitespace);
    this.chunkIsInvisible.push(invisible);
  }

  /** `<!...>` markup: a comment as written, or a doctype (counted as a tag, not as seen). */
  markup(raw: string, isComment: boolean): void {
    this.flushText();
    if (isComment) {
      // `<?...>` is a processing instruction to SpamAssassin's parser, not a comment.
      if (!raw.startsWith('<?')) this.commentSources.push(raw);
      return;
    }
    if (/^<!doctype/i.test(raw)) {
      this.stats.tags++;
      this.stats.elements++;
      const seen = this.seen.get('!doctype');
      if (seen) seen.open = 0;
      else this.seen.set('!doctype', { flags: 0, open: 0 });
    }
  }
}
