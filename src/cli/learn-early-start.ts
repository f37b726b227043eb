/**
 * hamlet-learn's parsing workers, started before the rest of the program loads. A worker takes
 * about as long to start and load the message parser as the main thread takes to load its own
 * modules, read the configuration and open the store; begun first, the two overlap instead of
 * the worker starting after the options are parsed. The arguments are not parsed yet, so this
 * guesses from their shape, and only the common bulk case: a learning mode and a message source
 * last. A wrong guess costs a worker that main() ends unused; a missed one, the later start.
 */
import type * as LearnPoolModule from '../bayes/learn-pool';
import type { LearnPool } from '../bayes/learn-pool';
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

/** Starts the workers when `argv` looks like learning from sources (the V8 flags for learning first: the workers share them). */
export function startEarly(argv: readonly string[]): void {
  if (early || !learnsFromSources(argv)) return;
  compileForLearning();
  // Loaded only here: hamlet-learn imports this module, and its other actions need no workers.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { defaultThreads, LearnPool } = require('../bayes/learn-pool') as typeof LearnPoolModule;
  early = new LearnPool(defaultThreads());
}

/** The pool startEarly started, if any (once): the caller uses it or closes it. */
export function takeEarlyPool(): LearnPool | undefined {
  const p = early;
  early = undefined;
  return p;
}
