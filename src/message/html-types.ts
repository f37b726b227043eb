/** What rendering one HTML part gives: text, links, anchors and tag statistics. */

/** A URI-bearing attribute found in the HTML. */
export interface HtmlLink {
  /** The tag it came from (`a`, `img`, `form`, `base`, `meta`, ...). */
  readonly tag: string;
  /** The URI, trimmed, resolved against `<base href>` when relative. */
  readonly url: string;
}

/** An `<a>` element: its href and its visible text (`<img>` inside counts as "<img>\n"). */
export interface HtmlAnchor {
  readonly href: string;
  readonly text: string;
}

/** Counters SpamAssassin's html_* eval rules read. */
export interface HtmlStats {
  /** Tags of any name (start and end). */
  tags: number;
  /** Tags that are HTML 4 / XHTML 1 elements. */
  elements: number;
  /** Tags (and elements) counted only when not already open. */
  tagsSeen: number;
  elementsSeen: number;
  /** End tags with no open tag of that name. */
  closedExtra: number;
  /** Text nodes that continue a word across a tag (`fr<b></b>ee`). */
  obfuscation: number;
  /** Distinct `a_b` length pairs of word fragments split by a tag. */
  backhair: Set<string>;
  /** Summed area of `<img width height>` (200 assumed for a missing side). */
  imageArea: number;
  /** Length of the HTML source. */
  length: number;
  /** Length of the rendered text. */
  htmlLength: number;
  /** Rendered length without whitespace. */
  nonSpaceLen: number;
  /** Smallest and largest font size seen (3 is the default). */
  minSize: number;
  maxSize: number;
  closedHtml: boolean;
  closedBody: boolean;
  fontFaceBad: boolean;
  formActionMailto: boolean;
  embeds: boolean;
  uriTruncated: boolean;
  /** Visible text was drawn in (near) the background colour. */
  fontLowContrast: boolean;
  /** Visible text was drawn with an unreadable colour value (and not in low contrast). */
  fontInvalidColor: boolean;
  /** charset= values from `<meta http-equiv=Content-Type>`. */
  charsets: string[];
}

/** What one HTML part renders to. */
export interface HtmlRender {
  readonly text: string;
  /** The text without the chunks drawn invisibly (what Bayes reads as body words). */
  readonly visibleText: string;
  /** Only the invisibly drawn chunks (Bayes reads them as `I*:` tokens). */
  readonly invisibleText: string;
  readonly links: readonly HtmlLink[];
  readonly anchors: readonly HtmlAnchor[];
  readonly titles: readonly string[];
  readonly comments: readonly string[];
  /** The comments as written, `<!--` and `-->` (or `<!`, `</ ` ... `>`) included: what html_text_match('comment') reads. */
  readonly commentSources: readonly string[];
  readonly scripts: readonly string[];
  /** Open-count per tag name at the end; a name present here was seen at least once. */
  readonly inside: ReadonlyMap<string, number>;
  readonly stats: Readonly<HtmlStats>;
}
