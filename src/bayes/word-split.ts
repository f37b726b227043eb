/**
 * The words of one pure-ASCII line, as the tokenizer's regex passes would leave them
 * (junk characters to spaces, `x...y` / `x--y` split around the run, Title Case at a
 * sentence start lowered, split on spaces), found in char-code passes over a reused
 * buffer instead of four regex replaces that each build a new string.
 *
 * The passes mirror the regexes exactly, including their left-to-right, non-overlapping
 * matching, because the words feed SpamAssassin-compatible token hashes.
 */

/** Word material: letters, digits and `, @ * ! _ ' " $ . -` (everything else is a word break). */
const WORD_MATERIAL = new Uint8Array(128);
for (const c of "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789,@*!_'\"$.-") {
  WORD_MATERIAL[c.charCodeAt(0)] = 1;
}

const DOT = 46;
const DASH = 45;
/** A break the junk pass made (space or junk character). */
const BREAK = 32;
/** A break inserted around a split `...`/`--` run: a space to the passes, absent from the line. */
const INSERTED = 0;

/** The line after the junk pass, then with split runs padded by INSERTED breaks. */
let buf = new Uint8Array(1024);
let padded = new Uint8Array(1024);

function isWordChar(c: number): boolean {
  // \w: letters, digits, underscore.
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95;
}

function isUpper(c: number): boolean {
  return c >= 65 && c <= 90;
}

/**
 * Copies the line into `buf` with junk characters turned into breaks. False when the line
 * has a byte >= 0x80 (the byte-aware regex path handles those). `runs` reports whether a
 * `..` or `--` occurs (only then can a run be split).
 */
function junkPass(line: string, n: number): boolean | undefined {
  if (buf.length < n) buf = new Uint8Array(n * 2);
  const b = buf;
  let prev = 0;
  let runs = false;
  for (let i = 0; i < n; i++) {
    const c = line.charCodeAt(i);
    if (c >= 128) return undefined;
    if (WORD_MATERIAL[c] === 1) {
      b[i] = c;
      if (c === prev && (c === DOT || c === DASH)) runs = true;
      prev = c;
    } else {
      b[i] = BREAK;
      prev = BREAK;
    }
  }
  return runs;
}

/**
 * The `\w(RUN)\w` splits of one run character (`.` 3-6 times, `-` 2-6 times), as start/end
 * pairs appended to `out`. A matched run consumes the word character after it, so a run
 * right behind it (`a...b...c`) is not split, as with a global regex replace.
 */
function findRuns(n: number, ch: number, min: number, out: number[]): void {
  const b = buf;
  let tail = -1;
  for (let i = 0; i < n; ) {
    if (b[i] !== ch) {
      i++;
      continue;
    }
    let e = i + 1;
    while (e < n && b[e] === ch) e++;
    const len = e - i;
    if (len >= min && len <= 6 && i > 0 && i - 1 !== tail && e < n && isWordChar(b[i - 1]!) && isWordChar(b[e]!)) {
      out.push(i, e);
      tail = e;
    }
    i = e;
  }
}

/** Pads the split runs with INSERTED breaks; returns the new length (`buf` then holds the result). */
function padRuns(n: number): number {
  const runs: number[] = [];
  findRuns(n, DOT, 3, runs);
  findRuns(n, DASH, 2, runs);
  if (runs.length === 0) return n;
  // Dot and dash runs never overlap; order them by start.
  const pairs: Array<[number, number]> = [];
  for (let k = 0; k < runs.length; k += 2) pairs.push([runs[k]!, runs[k + 1]!]);
  pairs.sort((x, y) => x[0] - y[0]);
  const m = n + pairs.length * 2;
  if (padded.length < m) padded = new Uint8Array(m * 2);
  const p = padded;
  let o = 0;
  let from = 0;
  for (const [s, e] of pairs) {
    p.set(buf.subarray(from, s), o);
    o += s - from;
    p[o++] = INSERTED;
    p.set(buf.subarray(s, e), o);
    o += e - s;
    p[o++] = INSERTED;
    from = e;
  }
  p.set(buf.subarray(from, n), o);
  [buf, padded] = [padded, buf];
  return m;
}

/**
 * Lowers Title Case words at a sentence start: `(?:^|\.\s+)([A-Z])([^A-Z]+)(?:\s|$)`, global.
 * A match runs on to the last break before the next capital (or the line end), and the
 * scan resumes after it, so a sentence start inside a match is not lowered.
 */
function lowerSentenceStarts(m: number): void {
  const b = buf;
  let i = 0;
  while (i < m) {
    let cap = -1;
    if (i === 0 && isUpper(b[0]!)) cap = 0;
    else if (b[i] === DOT && i + 1 < m && b[i + 1]! <= BREAK) {
      let j = i + 2;
      while (j < m && b[j]! <= BREAK) j++;
      if (j < m && isUpper(b[j]!)) cap = j;
    }
    if (cap < 0) {
      i++;
      continue;
    }
    let k = cap + 1;
    while (k < m && !isUpper(b[k]!)) k++;
    let end = -1;
    if (k === m) {
      if (m >= cap + 2) end = m;
    } else {
      for (let j = k - 1; j >= cap + 2; j--) {
        if (b[j]! <= BREAK) {
          end = j + 1;
          break;
        }
      }
    }
    if (end < 0) {
      i++;
      continue;
    }
    b[cap] = b[cap]! | 0x20;
    i = end;
  }
}

/** Where the words of the last `splitAscii` line are: `buf[starts[k]..ends[k])`, and at `from[k]` in the line. */
export let starts = new Int32Array(256);
export let ends = new Int32Array(256);
let from = new Int32Array(256);

/** The buffer the word bytes of the last `splitAscii` line are in (Title Case already lowered). */
export function wordBytes(): Uint8Array {
  return buf;
}

/**
 * Finds the words (3 bytes or more; shorter ones give no tokens) of a pure-ASCII line,
 * without making strings: see `starts`/`ends`/`wordBytes`. Returns their count, or -1
 * when the line is not pure ASCII. `titleCase` applies the sentence-start lowering (body
 * and URIs, not headers). A split `...`/`--` run comes out as a word of its own, as it
 * does from the regexes; a sentence-ending `.` before a lowered word stays (the regex
 * drops it), which gives the same tokens since words are trimmed of trailing dots.
 */
export function splitAscii(line: string, titleCase: boolean): number {
  const n = line.length;
  const runs = junkPass(line, n);
  if (runs === undefined) return -1;
  const m = runs ? padRuns(n) : n;
  if (titleCase) lowerSentenceStarts(m);
  const b = buf;
  if (starts.length < (m >> 1) + 1) {
    starts = new Int32Array(m);
    ends = new Int32Array(m);
    from = new Int32Array(m);
  }
  let count = 0;
  let shift = 0; // INSERTED breaks so far: buffer index - shift = line index
  let i = 0;
  while (i < m) {
    const c = b[i]!;
    if (c <= BREAK) {
      if (c === INSERTED) shift++;
      i++;
      continue;
    }
    const start = i;
    while (i < m && b[i]! > BREAK) i++;
    if (i - start < 3) continue;
    starts[count] = start;
    ends[count] = i;
    from[count++] = start - shift;
  }
  return count;
}

/** Word `k` of the last `splitAscii` line as a string. */
export function wordString(line: string, k: number): string {
  const s = starts[k]!;
  const f = from[k]!;
  const word = line.slice(f, f + ends[k]! - s);
  const c = buf[s]!;
  return c === line.charCodeAt(f) ? word : String.fromCharCode(c) + word.slice(1);
}

/** The words of a pure-ASCII line as strings, into `out` from index 0; their count, or -1. */
export function asciiWords(line: string, titleCase: boolean, out: string[]): number {
  const n = splitAscii(line, titleCase);
  for (let k = 0; k < n; k++) out[k] = wordString(line, k);
  return n;
}
