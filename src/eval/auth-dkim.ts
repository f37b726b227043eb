/**
 * DKIM and ARC evals (SpamAssassin's DKIM plugin) over the signatures the shared mailauth run
 * verified (src/dns/mail-auth.ts), and ADSP (src/dns/adsp.ts). Domains given as arguments match
 * the signature's SDID exactly, or with a leading `*.` / `.` the domain and its subdomains.
 */
import type { ScanContext } from '../engine/context';
import type { NetEvalHooks } from '../engine/types';
import { adspPractices, startAdsp } from '../dns/adsp';
import { minimumKeyBits, strongEnough, type DkimSignature } from '../dns/dkim-signatures';
import { mailAuthResults, startMailAuth, type MailAuthResults } from '../dns/mail-auth';
import { headerText, parseHeaderRequest, type HeaderRequest } from '../message/header-access';
import { MAIL_AUTH_HOOK } from './auth-spf';
import type { EvalArg } from '../engine/types';
import type { EvalDef } from './registry';

const ADSP_HOOK: NetEvalHooks = { start: (net) => void (startMailAuth(net), startAdsp(net)) };

/** Does `sdid` match an acceptable-domain argument? */
export function domainMatches(pattern: string, sdid: string): boolean {
  const sub = /^\*?\.(.*)$/s.exec(pattern);
  if (!sub) return sdid === pattern.toLowerCase();
  const d = sub[1]!.toLowerCase();
  return sdid === d || sdid.endsWith('.' + d);
}

/** Valid and not known to have a key below `dkim_minimum_key_bits` (unknown sizes pass). */
function notWeak(s: DkimSignature, minBits: number): boolean {
  return s.valid && !(minBits > 0 && s.keyBits !== undefined && s.keyBits < minBits);
}

const domains = (args: readonly EvalArg[]): string[] => args.map(String).filter((a) => a !== '');

/** Some signature passes `ok` and, when domains are given, comes from one of them. */
function signedBy(ctx: ScanContext, r: MailAuthResults, args: readonly string[], ok: (s: DkimSignature) => boolean): boolean {
  return r.dkim.some((s) => ok(s) && (args.length === 0 || args.some((a) => domainMatches(a, s.sdid))));
}

function dkimSigned(ctx: ScanContext, args: readonly EvalArg[]): boolean {
  const r = mailAuthResults(ctx.net);
  return r !== undefined && r.dkim.length > 0 && signedBy(ctx, r, domains(args), () => true);
}

function dkimValid(ctx: ScanContext, args: readonly EvalArg[]): boolean {
  const r = mailAuthResults(ctx.net);
  if (!r?.dkim.some((s) => s.valid)) return false;
  const ds = domains(args);
  // Without domains any valid signature will do, whatever its key size (SpamAssassin's DKIM_VALID).
  return ds.length === 0 || signedBy(ctx, r, ds, (s) => notWeak(s, minimumKeyBits(ctx.settings.options)));
}

function validAuthorSig(ctx: ScanContext, args: readonly EvalArg[]): boolean {
  const r = mailAuthResults(ctx.net);
  if (!r) return false;
  const min = minimumKeyBits(ctx.settings.options);
  if (!r.dkim.some((s) => r.authorDomains.has(s.sdid) && strongEnough(s, min))) return false;
  return signedBy(ctx, r, domains(args), (s) => r.authorDomains.has(s.sdid) && notWeak(s, min));
}

const ENVFROM: HeaderRequest = (() => {
  const q = parseHeaderRequest('EnvelopeFrom:addr');
  if ('error' in q) throw new Error(q.error);
  return q;
})();

function validEnvelopeFrom(ctx: ScanContext): boolean {
  const r = mailAuthResults(ctx.net);
  const domain = /@(\S+)/.exec(headerText(ctx.msg, ENVFROM) ?? '')?.[1];
  if (!r || domain === undefined || !r.dkim.some((s) => s.valid)) return false;
  return signedBy(ctx, r, [domain], (s) => notWeak(s, minimumKeyBits(ctx.settings.options)));
}

/** A failed signature cannot be blamed on a truncated message (`__TRUNCATED` did not hit). */
function dependable(ctx: ScanContext): boolean {
  const r = mailAuthResults(ctx.net);
  return r !== undefined && (r.dkim.length === 0 || ctx.count('__TRUNCATED') === 0);
}

/** ADSP practice letters among `chars` (`*` for any) for the author domains, or for those listed. */
function adsp(ctx: ScanContext, args: readonly EvalArg[]): boolean {
  if (!mailAuthResults(ctx.net)) return false;
  const practices = adspPractices(ctx.net, dependable(ctx));
  if (!practices) return false;
  const chars = String(args[0] ?? '') === '*' ? 'NAD123' : String(args[0] ?? '');
  const hit = [...practices].filter(([, p]) => chars.includes(p)).map(([d]) => d);
  const ds = domains(args.slice(1));
  return hit.length > 0 && (ds.length === 0 || ds.some((a) => hit.some((d) => domainMatches(a, d))));
}

function keyTesting(ctx: ScanContext): boolean {
  return mailAuthResults(ctx.net)?.dkim.some((s) => s.testing) ?? false;
}

/** ARC evals take no domains: with arguments SpamAssassin answers no. */
function arcFlag(flag: 'arcSigned' | 'arcValid') {
  return (ctx: ScanContext, args: readonly EvalArg[]): boolean => args.length === 0 && (mailAuthResults(ctx.net)?.[flag] ?? false);
}

export const authDkimEvals: readonly EvalDef[] = [
  { name: 'check_dkim_signed', areas: ['full', 'header'], fn: dkimSigned, net: MAIL_AUTH_HOOK },
  { name: 'check_dkim_valid', areas: ['full', 'header'], fn: dkimValid, net: MAIL_AUTH_HOOK },
  { name: 'check_dkim_verified', areas: ['full', 'header'], fn: dkimValid, net: MAIL_AUTH_HOOK },
  { name: 'check_dkim_valid_author_sig', areas: ['full', 'header'], fn: validAuthorSig, net: MAIL_AUTH_HOOK },
  { name: 'check_dkim_valid_envelopefrom', areas: ['full', 'header'], fn: validEnvelopeFrom, net: MAIL_AUTH_HOOK },
  { name: 'check_dkim_dependable', areas: ['full', 'header'], fn: dependable, net: MAIL_AUTH_HOOK },
  { name: 'check_dkim_adsp', areas: ['header', 'full'], fn: adsp, net: ADSP_HOOK },
  { name: 'check_dkim_signall', areas: ['header', 'full'], fn: (ctx) => adsp(ctx, ['A']), net: ADSP_HOOK },
  // Obsolete in SpamAssassin: always no.
  { name: 'check_dkim_signsome', areas: ['header', 'full'], fn: () => false },
  { name: 'check_dkim_testing', areas: ['header', 'full'], fn: keyTesting, net: MAIL_AUTH_HOOK },
  { name: 'check_arc_signed', areas: ['full', 'header'], fn: arcFlag('arcSigned'), net: MAIL_AUTH_HOOK },
  { name: 'check_arc_valid', areas: ['full', 'header'], fn: arcFlag('arcValid'), net: MAIL_AUTH_HOOK },
];
