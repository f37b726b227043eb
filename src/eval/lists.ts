/** Welcome/block lists (SpamAssassin WLBLEval, WelcomeListSubject, VBounce). */
import type { EvalDef } from './registry';

export const listEvals: readonly EvalDef[] = [];
