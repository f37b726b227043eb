/**
 * HTML part -> rendered text, links and tag statistics, the way SpamAssassin's
 * HTML renderer sees a part: text nodes with whitespace collapsed, a few tags
 * turning into line breaks or spaces, script/style dropped. Rules are written
 * against that rendering, so we reproduce it (see README: why not html-to-text).
 */
import type * as WrittenTags from './written-tag-parser';
import { lazy } from '../util/lazy';
import { countNonSpace } from './chars';
import { decodeHtmlEntities } from './html-entities';
import { AttrList, NO_ATTRS } from './html-attrs';
import { Renderer } from './html-renderer';
import type { HtmlAnchor, HtmlLink, HtmlRender, HtmlStats } from './html-types';

export type { HtmlAnchor, HtmlLink, HtmlRender, HtmlStats } from './html-types';
export { resolveUri } from './uri-resolve';

// htmlparser2 (~15 ms to load) with the first HTML part: most ham has none.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const tagParser = lazy(() => require('./written-tag-parser') as typeof WrittenTags);

/**
 * A `<!--` with no `-->` after it ends at the next `>` for SpamAssassin's parser,
 * while htmlparser2 would swallow the rest of the document. Such openers become
 * `<!  ` (same length, so offsets into the source stay valid), which htmlparser2
 * ends at the next `>`.
 */
function closeOpenComments(src: string): string {
  const lastClose = src.lastIndexOf('-->');
  let at = src.indexOf('<!--', lastClose < 0 ? 0 : lastClose + 3);
  if (at < 0) return src;
  let out = '';
  let from = 0;
  while (at >= 0) {
    const end = src.indexOf('>', at + 4);
    if (end < 0) break;
    out += src.slice(from, at) + '<!  ';
    from = at + 4;
    at = src.indexOf('<!--', end + 1);
  }
  return out + src.slice(from);
}

/** Start and end offsets, in the joined text, of each chunk drawn invisibly (none for most parts). */
function invisibleRanges(chunks: readonly string[], invisible: readonly boolean[]): number[] {
  const ranges: number[] = [];
  if (!invisible.includes(true)) return ranges;
  let at = 0;
  for (let i = 0; i < chunks.length; i++) {
    const end = at + chunks[i]!.length;
    if (invisible[i]) ranges.push(at, end);
    at = end;
  }
  return ranges;
}

/** Render one HTML part (already decoded to a string). Never throws. */
export function renderHtml(html: string): HtmlRender {
  const r = new Renderer();
  r.stats.length = html.length;
  // Each rewrite only when its text occurs (a scan for a literal is cheaper than a regex pass).
  let source = html.includes('&nbsp;') ? html.replace(/&nbsp;/g, ' ') : html;
  if (source.includes('/>')) source = source.replace(/<(\w+)\s*\/>/g, '<$1>');
  if (source.includes('\u201c') || source.includes('\u201d')) source = source.replace(/[\u201c\u201d]/g, '"');
  // A bare attribute (`<td background>`) has its own name as value, as in Perl's HTML::Parser.
  // One list for the part, cleared after each start tag (the renderer keeps no reference to it).
  const attrs = new AttrList();
  const parser: WrittenTags.WrittenTagParser = new (tagParser().WrittenTagParser)(
    {
      startTag: (name) => {
        r.tag(name, attrs, 1);
        attrs.clear();
      },
      endTag: (name) => r.tag(name, NO_ATTRS, -1),
      // Attributes read since the last start tag (those of a second, ignored <form>) start afresh.
      impliedStartTag: () => attrs.clear(),
    },
    {
      onattribute: (name, value, quote) =>
        attrs.add(name, value === '' && quote === null ? name : decodeHtmlEntities(value, false)),
      onopentagname: (name) => parser.startTagName(name),
      ontext: (t) => r.text(t),
      oncomment: (t) => {
        r.comments.push(t);
        r.markup(source.slice(parser.startIndex, parser.endIndex + 1), true);
      },
      onprocessinginstruction: (name) => {
        if (name === '!doctype') r.markup(source.slice(parser.startIndex, parser.endIndex + 1), false);
      },
    },
    // Entities are ours to decode: htmlparser2 knows HTML5's names, SpamAssassin HTML 4's.
    { decodeEntities: false, lowerCaseTags: true, lowerCaseAttributeNames: true },
  );
  parser.source = source;
  parser.write(closeOpenComments(source));
  parser.end();
  r.flushText();
  const text = r.chunks.join('');
  r.stats.htmlLength = text.length;
  r.stats.nonSpaceLen = countNonSpace(text);
  const inside = new Map<string, number>();
  r.seen.forEach((seen, name) => inside.set(name, seen.open));
  return new Render(text, r, inside, invisibleRanges(r.chunks, r.chunkIsInvisible));
}

/**
 * A finished render, as a class: its lazy visible/invisible split costs no closures or accessor
 * literal per part. Bayes alone reads the split, so it is built on first use, from where the
 * invisible chunks lie in the text (the chunks themselves are not kept: they would outlive the render).
 */
class Render implements HtmlRender {
  readonly links: readonly HtmlLink[];
  readonly anchors: readonly HtmlAnchor[];
  readonly titles: readonly string[];
  readonly comments: readonly string[];
  readonly commentSources: readonly string[];
  readonly scripts: readonly string[];
  readonly stats: Readonly<HtmlStats>;
  #split: [string, string] | undefined;

  constructor(
    readonly text: string,
    r: Renderer,
    readonly inside: ReadonlyMap<string, number>,
    /** Start and end offsets of the invisible chunks (see invisibleRanges). */
    private readonly hidden: readonly number[],
  ) {
    this.links = r.links;
    this.anchors = r.anchors;
    this.titles = r.titles;
    this.comments = r.comments;
    this.commentSources = r.commentSources;
    this.scripts = r.scripts;
    this.stats = r.stats;
  }

  get visibleText(): string {
    return this.byVisibility()[0];
  }

  get invisibleText(): string {
    return this.byVisibility()[1];
  }

  private byVisibility(): [string, string] {
    if (this.#split) return this.#split;
    const { text, hidden } = this;
    let visible = '';
    let invisible = '';
    let at = 0;
    for (let i = 0; i < hidden.length; i += 2) {
      visible += text.slice(at, hidden[i]);
      invisible += text.slice(hidden[i], hidden[i + 1]);
      at = hidden[i + 1]!;
    }
    return (this.#split = [visible + text.slice(at), invisible]);
  }
}
