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
 * Compile long rule patterns without V8's regex optimisations, for a process that checks one
 * message or a few. Compiling dominates there: the stock rules' largest patterns (the FUZZY_*
 * look-alike classes, __MY_MALWARE, __PAY_ME: 5-210 KB of source) take ~1.8 s to compile
 * optimised and run once, ~0.4 s plain; plain code then runs them ~2.5x slower per message,
 * which evens out after a few dozen messages. Only long patterns: plain code has no quick scan
 * for a match's first character, so every failed start position counts as a backtrack, and on a
 * long line the excessive-backtracks fallback hands even `/[\x80-\xff]/` to the linear engine
 * (a 10 MB body line: 25 s instead of 30 ms). Rule regexes over `over` characters of source are
 * compiled plain when created (`compileWhenCreated`); everything else, hamlet's own code regexes
 * included, compiles optimised.
 */
export function compileLongPatternsQuickly(over = 300): void {
  plainOver = over;
}

let plainOver = Infinity;

/**
 * Called where a rule regex is created (the rule-set cache's lazy cells, global twins): a long
 * one, in a process that asked for `compileLongPatternsQuickly`, is compiled plain at once (its
 * first run compiles it; an empty subject is enough), so its code is plain whatever runs it later.
 */
export function compileWhenCreated(re: RegExp): RegExp {
  if (re.source.length <= plainOver) return re;
  optimiseRegexes(false);
  try {
    re.test('');
  } finally {
    re.lastIndex = 0;
    optimiseRegexes(true);
  }
  return re;
}

/**
 * Compile the regexes V8 compiles from now on with (true, V8's default) or without its regex
 * optimisations. Read when a regex is compiled, so it can change at any time (unlike the tier-up
 * switch); worker threads share it.
 */
export function optimiseRegexes(on: boolean): void {
  setFlagsFromString(on ? '--regexp-optimization' : '--no-regexp-optimization');
}

/**
 * Compile `re` now, for each kind of string in `subjects` (V8 compiles per kind: one-byte, and
 * two-byte for text beyond Latin-1), running it twice in case regex tier-up is on (V8 interprets
 * a regex's first run and compiles on its second).
 */
export function compileRegex(re: RegExp, subjects: readonly string[]): void {
  for (const s of subjects) {
    for (let i = 0; i < 2; i++) {
      re.lastIndex = 0;
      re.test(s);
    }
  }
  re.lastIndex = 0;
}

/** Threads a phase state has room for (slots 1..REGEX_PHASE_SLOTS). */
export const REGEX_PHASE_SLOTS = 63;

/** A new phase state for `inRegexPhase`, to share with worker threads (workerData). */
export function regexPhaseState(): Int32Array {
  // [0]: a lock on the rest; [slot]: 1 while that thread is in a plain phase, -1 in an optimised one.
  return new Int32Array(new SharedArrayBuffer(4 * (REGEX_PHASE_SLOTS + 1)));
}

/**
 * Run `fn` (which compiles regexes) plain or optimised, in step with the other threads of a
 * process (the state is shared through a SharedArrayBuffer; each thread has its own `slot`).
 * hamletd's workers warm up at the same time, each compiling its long patterns plain and the
 * rest optimised, and the switch is process-wide. Without this, one worker turning optimisation
 * back on while another still compiled its long patterns left the latter's optimised (measured:
 * 17 MB of large code objects in one worker against 12.5 in the other), and a worker starting
 * its plain phase late turned it off under another's optimised one. Phases of one kind run
 * together, phases of the other kind wait; the switch goes off when a plain phase begins and on
 * when the last one ends. A phase waits at most `maxWaitMs` for the other kind (after that it
 * runs anyway, which changes only how fast and how large the compiled code is, never what it
 * matches); the owner of a thread that died inside a phase frees its slot (`leaveRegexPhase`).
 */
export function inRegexPhase<T>(state: Int32Array, plain: boolean, fn: () => T, opts: { slot?: number; maxWaitMs?: number } = {}): T {
  const step = plain ? 1 : -1;
  const slot = opts.slot ?? 1;
  const until = Date.now() + (opts.maxWaitMs ?? 30_000);
  for (;;) {
    const joined = withLock(state, () => {
      if (phaseOf(state, -step) && Date.now() < until) return false;
      Atomics.store(state, slot, step);
      if (plain) optimiseRegexes(false);
      return true;
    });
    if (joined) break;
    Atomics.wait(state, 0, Atomics.load(state, 0), 20);
  }
  try {
    return fn();
  } finally {
    leaveRegexPhase(state, slot);
  }
}

/**
 * Run `fn` (which compiles regexes) optimised now, if no thread is in a plain phase; else run
 * nothing and return undefined (a scan must not wait for another thread's warm-up).
 */
export function inOptimisedPhaseNow<T>(state: Int32Array, slot: number, fn: () => T): T | undefined {
  const joined = withLock(state, () => {
    if (phaseOf(state, 1)) return false;
    Atomics.store(state, slot, -1);
    return true;
  });
  if (!joined) return undefined;
  try {
    return fn();
  } finally {
    leaveRegexPhase(state, slot);
  }
}

/** Ends the phase of the thread in `slot` (it returned, or it died inside it). */
export function leaveRegexPhase(state: Int32Array, slot: number): void {
  withLock(state, () => {
    const was = Atomics.exchange(state, slot, 0);
    if (was === 1 && !phaseOf(state, 1)) optimiseRegexes(true);
  });
}

/** True when some thread is in a phase of that kind (1: plain, -1: optimised). */
function phaseOf(state: Int32Array, kind: number): boolean {
  for (let i = 1; i < state.length; i++) if (Atomics.load(state, i) === kind) return true;
  return false;
}

/** Runs `fn` holding the lock of a phase state (held for a few instructions only). */
function withLock<T>(state: Int32Array, fn: () => T): T {
  while (Atomics.compareExchange(state, 0, 0, 1) !== 0) Atomics.wait(state, 0, 1, 1);
  try {
    return fn();
  } finally {
    Atomics.store(state, 0, 0);
    Atomics.notify(state, 0);
  }
}
