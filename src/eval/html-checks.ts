/** HTML and link checks (SpamAssassin HTMLEval beyond html-stats.ts, URIEval, HTTPSMismatch). */
import type { EvalDef } from './registry';

export const htmlCheckEvals: readonly EvalDef[] = [];
