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

/**
 * One pass over the pieces with each line's width kept as it grows: splicing the
 * array and re-measuring the line per piece made long values cost quadratic time.
 */
export function wrapText(text: string, opts: WrapOptions = {}): string {
  const prefix = opts.prefix ?? '';
  const width = opts.width ?? 77;
  const arr = pieces(text, opts.breakAt ?? /\s/);
  if (opts.first) arr.unshift(opts.first);
  const lines: string[] = [];
  let line = arr[0]!;
  let lineCols = cols(line);
  let started = false; // the current line already holds more than one piece
  for (let i = 1; i < arr.length; ) {
    const next = arr[i]!;
    const nextCols = cols(next);
    if ((started && !opts.overflow ? lineCols + nextCols : lineCols) <= width) {
      line += next;
      lineCols += nextCols;
      started = true;
      i++;
    } else {
      // trimEnd drops what \s matches; a regex /\s+$/ retries each space of a long run.
      lines.push(line.trimEnd());
      line = prefix;
      lineCols = cols(prefix);
      started = false;
      // A prefix wider than the line would never take a piece: the piece goes on it anyway.
      if (lineCols > width) {
        line += next;
        lineCols += nextCols;
        i++;
      }
    }
  }
  lines.push(line);
  return lines.join('\n');
}
