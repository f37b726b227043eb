/**
 * Where `hamlet` reads messages: standard input, files, folders (every file
 * in them, as SpamAssassin reads a folder) and, with `--mbox`, mbox files
 * split into messages. Problems become `CliError`s with a one-line message.
 */
import { readFileSync, statSync } from 'node:fs';
import { expandTargets, splitMbox } from '../io/mailbox';

/** A user-facing failure: printed as `hamlet: <message>`, then exit with `code`. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly code: number,
  ) {
    super(message);
  }
}

/** One message to check, named for messages and `--mbox` verdict lines. */
export interface Input {
  /** `-` for standard input, the path, or `path#N` for the N-th message of an mbox. */
  readonly id: string;
  readonly raw: Buffer;
}

function errnoText(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  switch (code) {
    case 'ENOENT':
      return 'no such file or directory';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'is a directory';
    default:
      return (e as Error).message;
  }
}

export function readStdin(): Buffer {
  try {
    return readFileSync(0);
  } catch (e) {
    // A closed or terminal-less stdin reads as empty; anything else is reported.
    if ((e as NodeJS.ErrnoException).code === 'EAGAIN' || (e as NodeJS.ErrnoException).code === 'EOF') return Buffer.alloc(0);
    throw new CliError(`cannot read standard input: ${errnoText(e)}`, 74);
  }
}

function readFile(path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (e) {
    throw new CliError(`${path}: cannot read: ${errnoText(e)}`, 1);
  }
}

/** The files an argument names: itself, or every file in a folder (a Maildir's cur/ and new/). */
function filesOf(arg: string): string[] {
  let isDir: boolean;
  try {
    isDir = statSync(arg).isDirectory();
  } catch (e) {
    throw new CliError(`${arg}: cannot read: ${errnoText(e)}`, 1);
  }
  if (!isDir) return [arg];
  let files: string[];
  try {
    files = expandTargets([arg]);
  } catch (e) {
    throw new CliError(`${arg}: cannot read folder: ${errnoText(e)}`, 1);
  }
  if (files.length === 0) throw new CliError(`${arg}: is a directory with no messages in it`, 1);
  return files;
}

/** Every message the arguments hold, read lazily; standard input when there are none. */
export function* readInputs(args: readonly string[], mbox: boolean): Generator<Input> {
  if (args.length === 0) {
    const raw = readStdin();
    if (mbox) yield* mboxMessages('-', raw);
    else yield { id: '-', raw };
    return;
  }
  for (const arg of args) {
    for (const file of filesOf(arg)) {
      const raw = readFile(file);
      if (mbox) yield* mboxMessages(file, raw);
      else yield { id: file, raw };
    }
  }
}

function* mboxMessages(id: string, raw: Buffer): Generator<Input> {
  let n = 0;
  for (const m of splitMbox(raw)) yield { id: `${id}#${++n}`, raw: m };
}

/** Why a message does not look like mail (empty, binary, no header), or undefined when it does. */
export function notMailReason(raw: Buffer): string | undefined {
  if (raw.length === 0) return 'is empty';
  const head = raw.subarray(0, Math.min(raw.length, 4096));
  if (head.includes(0)) return 'looks binary (NUL bytes), not like a mail message';
  const first = head.toString('latin1').split(/\r?\n/, 1)[0]!;
  if (!/^(?:From |[\x21-\x39\x3b-\x7e]+:)/.test(first)) return 'does not start with a header field';
  return undefined;
}
