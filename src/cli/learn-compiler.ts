/**
 * V8's optimising compiler for a learning run. hamlet-learn is a fresh process per mailbox and
 * spends much of its CPU warming up: TurboFan compiling the parser's hot functions on background
 * threads cost about as much as parsing a 500-message mailbox once warm (1.0-1.2 s of a run's
 * 2.6-3.8 s). Without inlining, each compile job is much smaller and the optimised code is about
 * as fast for this work; twice V8's interrupt budget leaves functions that are only warm to the
 * baseline code. Measured on TRAIN, spam then ham, stock configuration, taking turns at load 6-10
 * (CPU seconds of the two runs, medians of 4-6): V8's defaults 5.7, without inlining 4.75-5.2,
 * without inlining and with the larger budget 4.6-4.9. The tokens are the same.
 */
import { setFlagsFromString } from 'node:v8';

/** Before the worker threads start: V8's flags are the process's, so the workers share them. */
export function compileForLearning(): void {
  setFlagsFromString('--no-turbo-inlining');
  setFlagsFromString('--interrupt-budget=135168');
}
