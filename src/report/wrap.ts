/**
 * Greedy line wrapping with SpamAssassin's measurements, so folded headers and
 * report tables break at the same places: the text is cut into pieces at each
 * break point (the separator stays with its piece), pieces are joined while the
 * line stays within `width` (a tab counts as 8 columns), and each new line
 * starts with `prefix` after trailing whitespace is dropped from the last.
 */
export interface WrapOptions {
  /** Put at the start of every line after the first. */
  prefix?: string;
  /** Put before the first piece (then measured as part of the first line). */
  first?: string;
  /** Line width (default 77). */
  width?: number;
  /** When true, a line may run past the width rather than break before the next piece. */
  overflow?: boolean;
  /** Where lines may break: the separator pattern (default whitespace). A lookbehind breaks after it. */
  breakAt?: RegExp;
}

const cols = (s: string): number => {
  let tabs = 0;
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) === 9) tabs++;
  return s.length + tabs * 7;
};

/** Split keeping the separators as their own pieces, as a capturing split does. */
function pieces(text: string, breakAt: RegExp): string[] {
  const re = new RegExp(breakAt.source, breakAt.flags.includes('g') ? breakAt.flags : breakAt.flags + 'g');
  const out: string[] = [];
  let last = 0;
  for (const m of text.matchAll(re)) {
    const i = m.index;
    // A zero-width break at either end of the text splits nothing.
    if (m[0] === '' && (i === 0 || i === text.length)) continue;
    out.push(text.slice(last, i), m[0]);
    last = i + m[0].length;
  }
  out.push(text.slice(last));
  return out;
}

export function wrapText(text: string, opts: WrapOptions = {}): string {
  const prefix = opts.prefix ?? '';
  const width = opts.width ?? 77;
  const arr = pieces(text, opts.breakAt ?? /\s/);
  if (opts.first) arr.unshift(opts.first);
  let pos = 0;
  let started = false; // the current line already holds more than one piece
  while (arr.length - 1 > pos) {
    let len = cols(arr[pos]!);
    if (started && !opts.overflow) len += cols(arr[pos + 1]!);
    if (len <= width) {
      arr[pos] += arr.splice(pos + 1, 1)[0]!;
      started = true;
    } else {
      arr[pos] = arr[pos]!.replace(/\s+$/, '');
      pos++;
      started = false;
      arr.splice(pos, 0, prefix);
    }
  }
  return arr.join('\n');
}
