/** Test helpers for eval functions: a scan context for one literal message, and a one-call runner. */
import { ScanContext } from '../../src/engine/context';
import { EVAL_REGISTRY } from '../../src/eval';
import { parseMessage, type ParseOptions } from '../../src/message/parse';
import type { OptionValues } from '../../src/options/option-values';

/** Turn a readable literal (LF line ends, latin1 bytes) into message bytes. */
export function messageBytes(raw: string | Buffer): Buffer {
  return Buffer.isBuffer(raw) ? raw : Buffer.from(raw, 'latin1');
}

/** A fresh scan context for `raw`, with option values as a rule set would hold them (canonical names). */
export function evalContext(raw: string | Buffer, options: OptionValues = {}, parse: ParseOptions = {}): ScanContext {
  const msg = parseMessage(messageBytes(raw), parse);
  return new ScanContext(msg, { requiredScore: 5, timeLimit: 0, options }, 0);
}

/** Run the registered eval `name` on `raw` (fails loudly when the eval is not registered). */
export function runEval(name: string, raw: string | Buffer, args: readonly (string | number)[] = [], options: OptionValues = {}, parse: ParseOptions = {}): boolean | number {
  const def = EVAL_REGISTRY.active.get(name);
  if (!def) throw new Error(`eval ${name} is not registered`);
  return def.fn(evalContext(raw, options, parse), args);
}
