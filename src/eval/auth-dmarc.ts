/**
 * DMARC evals (SpamAssassin's DMARC plugin): pass with a published policy, fail under the
 * policy that applies (reject / quarantine / none), or no policy record. The outcome comes from
 * the shared mailauth run (src/dns/mail-auth.ts).
 */
import type { ScanContext } from '../engine/context';
import { mailAuthResults } from '../dns/mail-auth';
import { MAIL_AUTH_HOOK } from './auth-spf';
import type { EvalDef } from './registry';

const NO_POLICY = 'no policy available';

function dmarcIs(test: (result: string, policy: string) => boolean) {
  return (ctx: ScanContext): boolean => {
    const d = mailAuthResults(ctx.net)?.dmarc;
    return d !== undefined && test(d.result, d.policy);
  };
}

export const authDmarcEvals: readonly EvalDef[] = [
  { name: 'check_dmarc_pass', areas: ['header'], fn: dmarcIs((r, p) => r === 'pass' && p !== NO_POLICY), net: MAIL_AUTH_HOOK },
  { name: 'check_dmarc_reject', areas: ['header'], fn: dmarcIs((r, p) => r === 'fail' && p === 'reject'), net: MAIL_AUTH_HOOK },
  { name: 'check_dmarc_quarantine', areas: ['header'], fn: dmarcIs((r, p) => r === 'fail' && p === 'quarantine'), net: MAIL_AUTH_HOOK },
  { name: 'check_dmarc_none', areas: ['header'], fn: dmarcIs((r, p) => r === 'fail' && p === 'none'), net: MAIL_AUTH_HOOK },
  { name: 'check_dmarc_missing', areas: ['header'], fn: dmarcIs((_r, p) => p === NO_POLICY), net: MAIL_AUTH_HOOK },
];
