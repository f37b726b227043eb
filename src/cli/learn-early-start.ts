/**
 * hamlet-learn's parsing workers, started before the rest of the program loads. A worker takes
 * about as long to start and load the message parser as the main thread takes to load its own
 * modules, read the configuration and open the store; begun first, the two overlap instead of
 * the worker starting after the options are parsed. The arguments are not parsed yet, so this
 * guesses from their shape, and only the common bulk case: a learning mode and a message source
 * last. A wrong guess costs a worker that main() ends unused; a missed one, the later start.
 */
import { resolve } from 'node:path';
import type * as LearnPoolModule from '../bayes/learn-pool';
import type { LearnPool } from '../bayes/learn-pool';
import { useCodeCache, type CodeCache } from '../util/module-code-cache';
import { defaultCacheDir } from '../util/private-files';
import { compileForLearning } from './learn-compiler';

/** hamlet-learn's options that take a value (required or optional): the word after one is that value, not a source. */
export const VALUE_OPTIONS: ReadonlySet<string> = new Set([
  '--dump',
  '--regexp',
  '--restore',
  '--threads',
  '--dbpath',
  '-C',
  '--configpath',
  '--siteconfigpath',
  '-p',
  '--prefspath',
  '-u',
  '--username',
  '--max-size',
  '--cf',
  '-D',
  '--debug',
]);
const MODES = new Set(['--spam', '--ham', '--forget']);

/**
 * Whether `argv` learns (or forgets) from named files, folders or globs with the default number of
 * threads: a mode, no `--threads`, no stdin (`--single`, `-`), and a last word that is a source.
 */
export function learnsFromSources(argv: readonly string[]): boolean {
  if (!argv.some((a) => MODES.has(a))) return false;
  if (argv.some((a) => a === '--single' || a === '-' || a === '--' || a.startsWith('--threads'))) return false;
  const last = argv[argv.length - 1];
  if (last === undefined || last.startsWith('-')) return false;
  const before = argv[argv.length - 2];
  return before === undefined || !VALUE_OPTIONS.has(before);
}

let early: LearnPool | undefined;
let codeCache: CodeCache | undefined;
/** The directory whose code cache this thread compiles through (installed once per process). */
let codeCacheDir: string | undefined;

/**
 * Starts the workers when `argv` looks like learning from sources (the V8 flags for learning first:
 * the workers share them). From then on this thread's modules, and the workers', are compiled
 * through V8's code cache in hamlet's cache directory (src/util/module-code-cache.ts), as
 * `hamlet`'s short runs are: a learning run is a fresh process per mailbox, and compiling the
 * parser, tokenizer and store from source is part of every run. The files are the learning
 * runs' own (their V8 flags differ from `hamlet`'s, and V8 refuses bytecode made under others).
 */
export function startEarly(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): void {
  if (early || !learnsFromSources(argv)) return;
  compileForLearning();
  if (codeCacheDir === undefined) {
    const dir = defaultCacheDir(env);
    codeCache = useCodeCache(dir, resolve(__dirname, '..', '..', '..'), 'learn-main.bin');
    codeCacheDir = codeCache ? dir : '';
  }
  // Loaded only here: hamlet-learn imports this module, and its other actions need no workers.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { defaultThreads, LearnPool } = require('../bayes/learn-pool') as typeof LearnPoolModule;
  early = new LearnPool(defaultThreads(), codeCacheDir ? { codeCacheDir } : {});
}

/**
 * After a learning run of `messages`: writes this thread's code cache when a module missed it
 * and the run was long enough to have run most of the code (the workers keep theirs as they end).
 */
export function keepCodeCache(messages: number): void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  if (codeCache && messages >= (require('../bayes/learn-pool') as typeof LearnPoolModule).MIN_MESSAGES_TO_SAVE_CODE) codeCache.save();
  codeCache = undefined;
}

/** The pool startEarly started, if any (once): the caller uses it or closes it. */
export function takeEarlyPool(): LearnPool | undefined {
  const p = early;
  early = undefined;
  return p;
}
