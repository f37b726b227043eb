/**
 * V8 regex settings. Importing this module sets the flags that bound rule regexes; every entry
 * point imports it before any rule regex is created:
 *
 * - `--enable-experimental-regexp-engine-on-excessive-backtracks`: a regex that backtracks more
 *   than `BACKTRACKS_BEFORE_FALLBACK` times in one match is re-run on V8's linear-time engine,
 *   so a pattern that engine accepts (`linearEligible` in config/regex-bounds.ts) runs in bounded
 *   time on any input.
 * - `--enable-experimental-regexp-engine`: lets `linearEligible` ask V8 (the `l` flag).
 *
 * Worker threads share the process's flags; setting them twice is harmless.
 */
import { setFlagsFromString } from 'node:v8';

/**
 * Backtracks before the linear engine takes over. V8's default: a normal scan of the corpus
 * never reaches it (bench:scan is unchanged), and pathological input gets there in milliseconds.
 */
export const BACKTRACKS_BEFORE_FALLBACK = 50_000;

setFlagsFromString('--enable-experimental-regexp-engine');
setFlagsFromString('--enable-experimental-regexp-engine-on-excessive-backtracks');
setFlagsFromString(`--regexp-backtracks-before-fallback=${BACKTRACKS_BEFORE_FALLBACK}`);

/**
 * Compile regexes to machine code from their first run (`--no-regexp-tier-up`). V8 runs a new
 * regex in its bytecode interpreter and is meant to compile it once it is used again; with
 * thousands of rule regexes many stayed interpreted (measured: one rule 15x slower, the whole
 * scan about 1.5x). Only for the very start of a process (the bin/ shims' first statement, or
 * `node --no-regexp-tier-up`): V8 11.3 crashes (SIGSEGV) when a regex that ran interpreted
 * before the switch runs again after it, and Node's module loader runs regexes of its own.
 */
export function compileRegexesFromFirstRun(): void {
  setFlagsFromString('--no-regexp-tier-up');
}

/**
 * Compile regexes without V8's regex optimisations (`--no-regexp-optimization`), for a process
 * that checks one message or a few. Compiling dominates there: the stock rules' largest
 * patterns (the FUZZY_* look-alike classes, __MY_MALWARE, __PAY_ME: 5-210 KB of source) take
 * ~1.8 s to compile optimised and run once, ~0.4 s plain; plain code then runs them ~2.5x
 * slower per message, which evens out after a few dozen messages. The same semantics either
 * way. Set at start-up, with compileRegexesFromFirstRun (a regex compiled earlier keeps its
 * code).
 */
export function compileRegexesQuickly(): void {
  optimiseRegexes(false);
}

/**
 * Compile the regexes V8 compiles from now on with (true, V8's default) or without its regex
 * optimisations. Read when a regex is compiled, so it can change at any time (unlike the tier-up
 * switch); worker threads share it.
 */
export function optimiseRegexes(on: boolean): void {
  setFlagsFromString(on ? '--regexp-optimization' : '--no-regexp-optimization');
}
