/**
 * The text style in force while SpamAssassin renders HTML: a stack of
 * foreground/background colour and font size, pushed by style-bearing tags and
 * popped by their end tags. Text drawn in a near-invisible style is what the
 * font_low_contrast / font_invalid_color tests flag, and it is rendered as
 * "invisible" (which changes how whitespace around it is trimmed).
 */
import { colourToRgb, cssBackgroundLayers, cssRgbToHex, INVALID_COLOUR, judgeColours, type ColourVerdict } from './html-colour';
import type { TagAttrs } from './html-attrs';

/** One level of the style stack. */
export interface TextStyle {
  readonly tag: string;
  readonly fg: string;
  readonly bg: string;
  readonly size: number;
  /** CSS `display` / `visibility` values, as written (last `style` attribute that set them). */
  readonly display: string | undefined;
  readonly visibility: string | undefined;
  /** The colour judgement for text in this style, worked out once when the level is pushed. */
  readonly verdict: ColourVerdict;
  /** Text in this style is invisible: bad colours, tiny font, `display:none`, `visibility:hidden`. */
  readonly hidden: boolean;
}

/** Tags that push a style level (`th` is read as `td`). */
export const STYLE_TAGS: ReadonlySet<string> = new Set([
  'body', 'font', 'table', 'tr', 'th', 'td', 'big', 'small', 'basefont', 'span', 'p', 'div', 'a',
]);

/** Attributes a tag may use to change the style; others are ignored. */
const STYLE_ATTRS: ReadonlyMap<string, readonly string[]> = new Map(
  Object.entries({
    basefont: ['color', 'face', 'size'],
    body: ['text', 'bgcolor', 'link', 'alink', 'vlink', 'background'],
    font: ['color', 'face', 'size'],
    table: ['bgcolor', 'style'],
    td: ['bgcolor', 'style'],
    tr: ['bgcolor', 'style'],
    span: ['style'],
    p: ['style'],
    div: ['style'],
    a: ['style'],
  }),
);

const NO_ATTRS: readonly string[] = [];

type Draft = { -readonly [K in keyof TextStyle]: TextStyle[K] };

/** A copy of `s` under another tag name (one literal shape keeps property access fast). */
function copyStyle(s: TextStyle, tag: string): Draft {
  return { tag, fg: s.fg, bg: s.bg, size: s.size, display: s.display, visibility: s.visibility, verdict: s.verdict, hidden: s.hidden };
}

/** Work out the derived fields; `parent` lets unchanged colours keep its verdict. */
function finish(d: Draft, parent?: TextStyle): TextStyle {
  d.verdict = parent && parent.fg === d.fg && parent.bg === d.bg ? parent.verdict : judgeColours(d.fg, d.bg);
  d.hidden =
    d.verdict !== undefined ||
    d.size <= 1 ||
    (d.display !== undefined && d.display.toLowerCase() === 'none') ||
    (d.visibility !== undefined && d.visibility.toLowerCase() === 'hidden');
  return d;
}

/** Apply a `style` attribute's declarations to a draft level (`parentBg` resolves `transparent`). */
function applyCss(d: Draft, css: string, parentBg: string): void {
  for (const decl of css.split(';')) {
    const colour = /^\s*(background-)?color:\s*(.+?)\s*$/i.exec(decl);
    if (colour) {
      const value = colour[2]!.toLowerCase().replace(/\s*!\s*important$/, '');
      let rgb: string | undefined;
      if (value.includes('rgb')) rgb = cssRgbToHex(value);
      else if (value === 'transparent') rgb = value;
      else if (value !== 'inherit') rgb = colourToRgb(value);
      if (rgb !== undefined) {
        if (colour[1]) d.bg = rgb;
        else d.fg = rgb;
      }
      continue;
    }
    // Case-sensitive on purpose: an upper-case `Background:` is not read as the shorthand.
    const background = /^\s*background:\s*(.+?)\s*$/.exec(decl);
    if (background) {
      const layers = cssBackgroundLayers(background[1]!.toLowerCase());
      // Only the bottom layer can carry a colour; its first readable value wins.
      for (const v of layers[layers.length - 1] ?? []) {
        const rgb = colourToRgb(v);
        if (rgb !== INVALID_COLOUR) {
          d.bg = rgb;
          break;
        }
      }
      continue;
    }
    const prop = /^\s*([a-z_-]+)\s*:\s*(\S.*?)\s*$/i.exec(decl);
    if (prop?.[1] === 'display') d.display = prop[2];
    else if (prop?.[1] === 'visibility') d.visibility = prop[2];
  }
  if (d.bg === 'transparent') d.bg = parentBg;
  if (d.fg === 'transparent') d.fg = d.bg;
}

/** Smallest and largest font size reached, as the HTML statistics keep them. */
export interface SizeRange {
  minSize: number;
  maxSize: number;
}

/** The style stack of one HTML part. */
export class StyleStack {
  private readonly levels: TextStyle[];
  /** Levels per tag name, so "is this tag open" needs no scan. */
  private readonly open = new Map<string, number>();
  private basefont = 3;

  constructor(private readonly sizes: SizeRange) {
    const base = { tag: 'default', fg: '#000000', bg: '#ffffff', size: 3, display: undefined, visibility: undefined, verdict: undefined, hidden: false };
    this.levels = [finish(base)];
  }

  /** The style text is drawn in now. */
  top(): TextStyle {
    return this.levels[this.levels.length - 1]!;
  }

  /** A start (`delta` 1) or end (-1) tag of a style-bearing element. */
  tag(name: string, attrs: TagAttrs, delta: 1 | -1): void {
    const tag = name === 'th' ? 'td' : name;
    if (delta === 1) this.start(tag, attrs);
    // Browsers keep rendering text after </body> in the body's style.
    else if (tag !== 'body') this.closeThrough(tag);
  }

  private push(s: TextStyle): void {
    this.levels.push(s);
    this.open.set(s.tag, (this.open.get(s.tag) ?? 0) + 1);
  }

  private pop(): TextStyle | undefined {
    if (this.levels.length <= 1) return undefined;
    const s = this.levels.pop()!;
    this.open.set(s.tag, (this.open.get(s.tag) ?? 1) - 1);
    return s;
  }

  private isOpen(tag: string): boolean {
    return (this.open.get(tag) ?? 0) > 0;
  }

  /** Pop levels up to and including the innermost `tag`, when one is open. */
  private closeThrough(tag: string): void {
    if (!this.isOpen(tag)) return;
    for (let s = this.pop(); s && s.tag !== tag; s = this.pop());
  }

  /** A new cell or row implicitly ends the open cell (and its fonts), a row also the open row. */
  private closeTableLevel(tag: string): void {
    if (!this.isOpen(tag)) return;
    for (;;) {
      const top = this.top().tag;
      const ends = top === 'font' || top === 'td' || (tag === 'tr' && top === 'tr');
      if (!ends || !this.pop()) break;
    }
  }

  private start(tag: string, attrs: TagAttrs): void {
    if (tag === 'basefont') {
      const m = /^\s*(\d+)/.exec(attrs.get('size') ?? '');
      if (m) {
        this.basefont = Number(m[1]);
        return;
      }
    }
    if (tag === 'td' || tag === 'tr') this.closeTableLevel(tag);
    const parent = this.top();
    const d = copyStyle(parent, tag);
    if (tag === 'big' || tag === 'small') {
      d.size += tag === 'big' ? 1 : -1;
      this.push(finish(d, parent));
      return;
    }
    // SpamAssassin visits attributes in hash order; a fixed order is as good.
    for (const name of attrs.size === 0 ? NO_ATTRS : (STYLE_ATTRS.get(tag) ?? NO_ATTRS)) {
      const value = attrs.get(name);
      if (value === undefined) continue;
      if (name === 'text' || name === 'color') d.fg = colourToRgb(value);
      else if (name === 'size') {
        const rel = /^\s*([+-]\d+)/.exec(value);
        const abs = rel ? null : /^\s*(\d+)/.exec(value);
        if (rel) d.size = this.basefont + Number(rel[1]);
        else if (abs) d.size = Number(abs[1]);
      } else if (name === 'style') applyCss(d, value, parent.bg);
      // bgcolor is accepted but, as in SpamAssassin, never becomes the background.
      if (d.size > this.sizes.maxSize) this.sizes.maxSize = d.size;
      else if (d.size < this.sizes.minSize) this.sizes.minSize = d.size;
    }
    this.push(finish(d, parent));
  }
}
