/** Received-chain checks (SpamAssassin RelayEval). */
import type { EvalDef } from './registry';

export const relayCheckEvals: readonly EvalDef[] = [];
