/**
 * htmlparser2's Parser, taught to report tags as they are written (the renderer counts them
 * that way). In its own module so that htmlparser2 loads with the first HTML part, not with
 * every process that parses mail.
 */
import { dirname, join } from 'node:path';
import type * as HtmlParser2 from 'htmlparser2';

/**
 * htmlparser2's Parser module, required by its file: the package's index also loads domhandler,
 * domutils and their dependencies (~25 ms in a fresh process), which rendering never uses.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { Parser } = require(join(dirname(require.resolve('htmlparser2')), 'Parser.js')) as Pick<typeof HtmlParser2, 'Parser'>;

/**
 * htmlparser2 reports an end tag only when it closes an open element, and closes
 * skipped-over elements implicitly. SpamAssassin counts end tags as written
 * (stray and void ones too), so end tags are taken from the tokenizer here.
 * Start tags are taken where the tokenizer ends them, so htmlparser2 need not build
 * its own attribute objects; opens it only implies (tree repair) are not passed on.
 */
export interface WrittenTagEvents {
  startTag(name: string): void;
  endTag(name: string): void;
  /** htmlparser2 implied a start tag (for `</p>` or `</br>`). */
  impliedStartTag(): void;
}

/** Open elements htmlparser2 remembers (see WrittenTagParser.onopentagname). */
const MAX_OPEN = 1024;

export class WrittenTagParser extends Parser {
  constructor(
    private readonly events: WrittenTagEvents,
    ...args: ConstructorParameters<typeof Parser>
  ) {
    super(...args);
  }

  source = '';
  /** The name of the start tag being read, until its `>`; undefined when none (or it was dropped). */
  private pending: string | undefined;
  private inEndTag = false;
  private impliedOpen = false;

  /**
   * htmlparser2 keeps its open elements with the innermost first and adds each with
   * `Array.unshift`, which makes nesting quadratic (200,000 nested `<div>`: 2 s). The
   * renderer takes end tags as written, so the stack only decides implied tags (`</p>`,
   * a second `<form>`, SVG): past `MAX_OPEN` levels the outermost are forgotten (real mail
   * nests a few dozen; SpamAssassin does not finish such a part in 30 s).
   */
  override onopentagname(start: number, endIndex: number): void {
    super.onopentagname(start, endIndex);
    const open = (this as unknown as { stack: string[] }).stack;
    if (open.length > MAX_OPEN) open.length = MAX_OPEN;
  }

  /** Registered as the `onopentagname` callback (see renderHtml). */
  startTagName(name: string): void {
    // Opens announced while an end tag is handled (`</p>`, `</br>`) are implied, never written.
    if (this.inEndTag) this.impliedOpen = true;
    else this.pending = name;
  }

  /** The written start tag is complete: hand it over (with the attributes gathered since the last one). */
  private startTagDone(): void {
    if (this.pending === undefined) return;
    const name = this.pending;
    this.pending = undefined;
    this.events.startTag(name);
  }

  override onopentagend(endIndex: number): void {
    this.startTagDone();
    super.onopentagend(endIndex);
  }

  override onselfclosingtag(endIndex: number): void {
    // Outside SVG/MathML, htmlparser2 reads `<x/>` as `<x>` and ends it through onopentagend.
    if (this.isInForeignContext()) this.startTagDone();
    super.onselfclosingtag(endIndex);
  }

  override onclosetag(start: number, endIndex: number): void {
    // The whole source is written at once, so tokenizer offsets index it directly.
    this.events.endTag(this.source.slice(start, endIndex).toLowerCase());
    this.inEndTag = true;
    this.impliedOpen = false;
    super.onclosetag(start, endIndex);
    this.inEndTag = false;
    if (this.impliedOpen) this.events.impliedStartTag();
  }
}
