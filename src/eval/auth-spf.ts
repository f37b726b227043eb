/**
 * SPF evals (SpamAssassin's SPF plugin): one rule per result for the envelope sender and for the
 * HELO name. The checks run once per scan in the shared mailauth wait (src/dns/mail-auth.ts);
 * which relay, sender and HELO they use is src/dns/spf-identity.ts.
 */
import type { ScanContext } from '../engine/context';
import type { NetEvalHooks } from '../engine/types';
import { mailAuthResults, startMailAuth } from '../dns/mail-auth';
import type { SpfResult } from '../dns/spf-identity';
import type { EvalDef } from './registry';

/** Starts the shared mailauth run: every auth eval's network hook. */
export const MAIL_AUTH_HOOK: NetEvalHooks = { start: (net) => void startMailAuth(net) };

const RESULTS: readonly SpfResult[] = ['pass', 'neutral', 'none', 'fail', 'softfail', 'permerror', 'temperror'];

function spfIs(scope: 'spf' | 'spfHelo', want: SpfResult) {
  return (ctx: ScanContext): boolean => mailAuthResults(ctx.net)?.[scope] === want;
}

/** The sender check was skipped: there was a relay to check but no envelope sender. */
function skippedNoEnvfrom(ctx: ScanContext): boolean {
  const r = mailAuthResults(ctx.net);
  return r !== undefined && r.identity.relay !== undefined && r.identity.sender === undefined && r.identity.recorded.mfrom === undefined;
}

export const authSpfEvals: readonly EvalDef[] = [
  ...RESULTS.flatMap((res): EvalDef[] => [
    { name: `check_for_spf_${res}`, areas: ['header'], fn: spfIs('spf', res), net: MAIL_AUTH_HOOK },
    { name: `check_for_spf_helo_${res}`, areas: ['header'], fn: spfIs('spfHelo', res), net: MAIL_AUTH_HOOK },
  ]),
  { name: 'check_spf_skipped_noenvfrom', areas: ['header'], fn: skippedNoEnvfrom, net: MAIL_AUTH_HOOK },
];
