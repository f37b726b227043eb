/**
 * V8's optimising compiler for a learning run. hamlet-learn is a fresh process per mailbox and
 * spends much of its CPU warming up: TurboFan compiling the parser's hot functions on background
 * threads cost about as much as parsing a 500-message mailbox once warm. Without inlining, each
 * compile job is much smaller and the optimised code is nearly as fast for this work (measured on
 * TRAIN, spam then ham, stock config, load 6-9: 5.5-5.8 s of CPU for the two runs with V8's
 * default, 4.4-4.8 s without inlining; the tokens are the same).
 */
import { setFlagsFromString } from 'node:v8';

/** Before the worker threads start: V8's flags are the process's, so the workers share them. */
export function compileForLearning(): void {
  setFlagsFromString('--no-turbo-inlining');
}
