/**
 * A start tag's attributes. Tags have few (most none, nearly all under ten), so two parallel
 * arrays searched in order cost less to build and read than a hash map per tag.
 */
export interface TagAttrs {
  /** Number of distinct attribute names. */
  readonly size: number;
  /** The value of `name` (lower-cased), or undefined. */
  get(name: string): string | undefined;
  /** The value of the first attribute whose name `test` accepts. */
  find(test: (name: string) => boolean): string | undefined;
}

/**
 * Attributes as the tokenizer reports them; the first of repeated names wins, as in Perl's
 * HTML::Parser. One list serves a whole part: it is cleared for each tag, so no reader may
 * keep it past the tag it was given with.
 */
export class AttrList implements TagAttrs {
  private readonly names: string[] = [];
  private readonly values: string[] = [];

  clear(): void {
    this.names.length = 0;
    this.values.length = 0;
  }

  get size(): number {
    return this.names.length;
  }

  get(name: string): string | undefined {
    const i = this.names.indexOf(name);
    return i < 0 ? undefined : this.values[i];
  }

  find(test: (name: string) => boolean): string | undefined {
    for (let i = 0; i < this.names.length; i++) if (test(this.names[i]!)) return this.values[i];
    return undefined;
  }

  /** Add `name` unless it is already there. */
  add(name: string, value: string): void {
    if (this.names.includes(name)) return;
    this.names.push(name);
    this.values.push(value);
  }
}

/** End tags pass this one (nothing is ever added to it). */
export const NO_ATTRS: TagAttrs = new AttrList();
