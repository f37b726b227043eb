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

/** Split an mbox into messages: a `From ` line after a blank line (or at the start) begins one. */
export function* splitMbox(buf: Buffer): Generator<Buffer> {
  let start = -1;
  let pos = 0;
  let prevBlank = true;
  while (pos < buf.length) {
    let nl = buf.indexOf(0x0a, pos);
    if (nl < 0) nl = buf.length - 1;
    const lineEnd = nl + 1;
    const isFrom = buf[pos] === 0x46 && FROM_LINE.test(buf.toString('latin1', pos, Math.min(lineEnd, pos + 200)));
    if (isFrom && prevBlank) {
      if (start >= 0) yield unescapeMbox(buf.subarray(start, pos));
      start = pos;
    } else if (start < 0) {
      start = pos; // no leading From line: the file is one message
    }
    const len = lineEnd - pos;
    prevBlank = len === 1 || (len === 2 && buf[pos] === 0x0d);
    pos = lineEnd;
  }
  if (start >= 0) yield unescapeMbox(buf.subarray(start));
}

/** Undo `>From ` quoting (mboxrd: one `>` removed from `>+From `; mboxo is the one-level case). */
function unescapeMbox(msg: Buffer): Buffer {
  if (msg.indexOf('\n>') < 0) return trimSeparator(msg);
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
