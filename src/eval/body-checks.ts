/** Body checks (SpamAssassin BodyEval). */
import type { EvalDef } from './registry';

export const bodyCheckEvals: readonly EvalDef[] = [];
