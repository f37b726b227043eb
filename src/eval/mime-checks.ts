/** MIME structure checks (SpamAssassin MIMEEval, beyond mime-flags.ts). */
import type { EvalDef } from './registry';

export const mimeCheckEvals: readonly EvalDef[] = [];
