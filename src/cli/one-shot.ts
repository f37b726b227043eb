/**
 * Whether a `hamlet` command line checks only a few messages, decided before anything else
 * runs (bin/hamlet.js picks V8's regex compilation mode from it, see compileLongPatternsQuickly in
 * src/regex-flags.ts, and leaves the optimising compiler off). It must not use regexes itself:
 * it runs before the flags are final.
 */
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { useCodeCache, type CodeCache } from '../util/module-code-cache';
import { defaultCacheDir } from '../util/private-files';

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

/**
 * Leave V8's optimising compiler (TurboFan) off for a run of few messages. It compiles hot
 * functions on background threads, which a process that exits after a second never profits
 * from: measured on the stock rules, `hamlet -t` (one message) used 0.73 s of CPU with it and
 * 0.66 s without; 5 and 20 messages 1.56 -> 1.20 s and 2.27 -> 1.89 s; the same output.
 */
export function skipOptimisingCompiler(): void {
  setFlagsFromString('--no-opt');
}

/**
 * Keep V8's young generation at its starting size (1 MB per semi-space) for a run of few
 * messages. V8 doubles it while much survives, as the rule set being deserialized does, up to
 * 8 MB per semi-space; every page it grows into is a fresh page, and on this kind of host a
 * page fault costs ~10 us. Measured on the stock rules, one message: 13,000 page faults and
 * 79 MB peak with growth, 10,800 and 70 MB without; CPU 0.70 -> 0.64 s (load 8), the same
 * output. It is read whenever the young generation would grow, so it can be set at run time.
 */
export function keepYoungGenerationSmall(): void {
  setFlagsFromString('--semi-space-growth-factor=1');
}

/**
 * Turn the optimising compiler back on, and the young generation's growth (V8's default
 * factor, 2): compiling a rule set (no current cache, `--lint`, `--no-rule-cache`) is seconds
 * of JavaScript that they do speed up.
 */
export function useOptimisingCompiler(): void {
  setFlagsFromString('--opt');
  setFlagsFromString('--semi-space-growth-factor=2');
  codeCache?.skipSave();
}

let codeCache: CodeCache | undefined;

/** The rule-set cache directory `argv` names (`--rule-cache DIR`), the default one, or undefined with `--no-rule-cache`. */
export function cacheDirOf(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): string | undefined {
  let dir: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--no-rule-cache') return undefined;
    if (a === '--rule-cache') dir = argv[++i];
    else if (a.startsWith('--rule-cache=')) dir = a.slice('--rule-cache='.length);
  }
  return dir ?? defaultCacheDir(env);
}

/**
 * Load hamlet's modules through V8's code cache (src/util/module-code-cache.ts), kept beside the
 * rule-set cache, for a run of few messages; the cache is brought up to date as the process
 * exits. Call after V8's flags are set: bytecode is only good for the flags it was made under.
 */
export function useModuleCodeCache(argv: readonly string[]): void {
  const dir = cacheDirOf(argv);
  if (dir === undefined) return;
  codeCache = useCodeCache(dir, resolve(__dirname, '..', '..', '..'));
  const c = codeCache;
  if (c) process.on('exit', () => c.save());
}
