/**
 * Whether a `hamlet` command line checks only a few messages, decided before anything else
 * runs (bin/hamlet.js picks V8's regex compilation mode from it: see compileRegexesQuickly in
 * src/regex-flags.ts). It must not use regexes itself: it runs before the flags are final.
 */
import { statSync } from 'node:fs';

/** Up to this many file arguments count as few (quick compilation evens out after a few dozen messages). */
export const FEW_FILES = 20;

/** Options whose next argument is their value (a directory or a line, never a message). */
const TAKES_VALUE = ['-C', '--configpath', '--siteconfigpath', '-p', '--prefspath', '--cf'];

/** A glob or a directory (a Maildir) may hold any number of messages. */
function manyIn(arg: string): boolean {
  if (arg.includes('*') || arg.includes('?') || arg.includes('[')) return true;
  try {
    return statSync(arg).isDirectory();
  } catch {
    return false;
  }
}

/**
 * True when `argv` checks standard input or at most FEW_FILES plain files, without `--mbox`.
 * An argument it cannot place (`-D rules`) counts as a file: erring towards "many" only keeps
 * V8's default.
 */
export function fewMessages(argv: readonly string[]): boolean {
  let files = 0;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--mbox') return false;
    if (TAKES_VALUE.includes(a)) i++;
    else if (!a.startsWith('-') && (++files > FEW_FILES || manyIn(a))) return false;
  }
  return true;
}
