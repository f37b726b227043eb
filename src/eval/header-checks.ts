/** Header checks (SpamAssassin HeaderEval). */
import type { EvalDef } from './registry';

export const headerCheckEvals: readonly EvalDef[] = [];
