/**
 * Where messages come from, for the CLIs: single files, mbox files (mboxo and
 * mboxrd `From ` splitting and un-escaping), Maildir folders and globs — all
 * read as one stream of raw messages.
 */
import { closeSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type FastGlob from 'fast-glob';
import { lazy } from '../util/lazy';

/** One message read from a source, with where it came from. */
export interface SourcedMessage {
  /** `path`, or `path#N` for the N-th (1-based) message of an mbox. */
  readonly id: string;
  readonly raw: Buffer;
}

export interface ReadOptions {
  /** Treat plain files as mbox files (`--mbox`). */
  readonly mbox?: boolean;
}

const FROM_LINE = /^From \S*.*\d{4}/;

/**
 * Split an mbox into messages: a `From ` line after a blank line (or at the start) begins one.
 * Candidates are found by searching for `\nFrom ` (one native search per message, not one per
 * line: the per-line walk was most of a learning run's mailbox reading).
 */
export function* splitMbox(buf: Buffer): Generator<Buffer> {
  if (buf.length === 0) return;
  // The first message starts at 0, whether or not the file starts with a From line.
  let start = 0;
  for (let p = buf.indexOf(NL_FROM); p >= 0; p = buf.indexOf(NL_FROM, p + 1)) {
    const at = p + 1;
    if (!blankLineBefore(buf, at) || !FROM_LINE.test(lineHead(buf, at))) continue;
    yield unescapeMbox(buf.subarray(start, at));
    start = at;
  }
  yield unescapeMbox(buf.subarray(start));
}

const NL_FROM = Buffer.from('\nFrom ', 'latin1');
const NL_QUOTE = Buffer.from('\n>', 'latin1');
const QUOTED_FROM = Buffer.from('>From ', 'latin1');

/** Whether the line ending at `at` (its newline is `buf[at - 1]`) is empty or a lone CR. */
function blankLineBefore(buf: Buffer, at: number): boolean {
  if (at === 1 || buf[at - 2] === 0x0a) return true;
  return buf[at - 2] === 0x0d && (at === 2 || buf[at - 3] === 0x0a);
}

/** The line starting at `at`, with its newline, up to 200 bytes: what FROM_LINE is tested on. */
function lineHead(buf: Buffer, at: number): string {
  const nl = buf.indexOf(0x0a, at);
  return buf.toString('latin1', at, Math.min(nl < 0 ? buf.length : nl + 1, at + 200));
}

/** Undo `>From ` quoting (mboxrd: one `>` removed from `>+From `; mboxo is the one-level case). */
function unescapeMbox(msg: Buffer): Buffer {
  // Quoted replies (`\n>`) are common; an escaped From line needs `>From ` as well.
  if (msg.indexOf(NL_QUOTE) < 0 || msg.indexOf(QUOTED_FROM) < 0) return trimSeparator(msg);
  const text = msg.toString('latin1').replace(/^>(>*From )/gm, '$1');
  return trimSeparator(Buffer.from(text, 'latin1'));
}

/** The blank line that separates messages in an mbox belongs to the format, not the message. */
function trimSeparator(msg: Buffer): Buffer {
  if (msg.length >= 2 && msg[msg.length - 1] === 0x0a && msg[msg.length - 2] === 0x0a) return msg.subarray(0, msg.length - 1);
  return msg;
}

function isMaildir(dir: string): boolean {
  try {
    return statSync(join(dir, 'cur')).isDirectory() || statSync(join(dir, 'new')).isDirectory();
  } catch {
    return false;
  }
}

function looksLikeMbox(path: string): boolean {
  const fd = openSync(path, 'r');
  try {
    const head = Buffer.alloc(200);
    const n = readSync(fd, head, 0, 200, 0);
    return FROM_LINE.test(head.toString('latin1', 0, n).split('\n')[0]!);
  } finally {
    closeSync(fd);
  }
}

// fast-glob costs ~40 ms to load: only directory and glob targets need it.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const fg = lazy(() => require('fast-glob') as typeof FastGlob);

/** The files a path or glob names, in a stable order. Maildir folders yield cur/ and new/. */
export function expandTargets(targets: readonly string[]): string[] {
  const out: string[] = [];
  for (const t of targets) {
    let st;
    try {
      st = statSync(t);
    } catch {
      st = undefined;
    }
    if (st?.isFile()) out.push(t);
    else if (st?.isDirectory()) {
      const pattern = isMaildir(t) ? ['cur/*', 'new/*'] : ['**/*'];
      out.push(...fg().sync(pattern, { cwd: t, absolute: true, onlyFiles: true, dot: false }).sort());
    } else {
      const found = fg().sync(t, { onlyFiles: true, dot: false }).sort();
      if (found.length === 0) throw new Error(`${t}: no such file, folder or matching glob`);
      out.push(...found);
    }
  }
  return out;
}

/** Every message the targets hold, one at a time (an mbox is split lazily per file). */
export function* readMessages(targets: readonly string[], opts: ReadOptions = {}): Generator<SourcedMessage> {
  for (const file of expandTargets(targets)) {
    if (opts.mbox || looksLikeMbox(file)) {
      let n = 0;
      for (const raw of splitMbox(readFileSync(file))) yield { id: `${file}#${++n}`, raw };
    } else {
      yield { id: file, raw: readFileSync(file) };
    }
  }
}
