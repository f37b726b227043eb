/**
 * Welcomelists that need sender authentication (SpamAssassin's SPF and DKIM plugins):
 * - SPF: the envelope sender SPF checked is in `welcomelist_from_spf` or `welcomelist_auth`
 *   (the `def_` lists for the default rule) and SPF passed;
 * - DKIM: the author (From) matches a `welcomelist_from_dkim author [signing-domain]` line or a
 *   `welcomelist_auth` address, and a valid signature with a key of at least
 *   `dkim_minimum_key_bits` comes from the signing domain named (`*.d` / `.d`: a subdomain of d,
 *   not d itself), or without one from the author's own domain.
 */
import { optList, type OptionValues } from '../options/option-values';
import type { ScanContext } from '../engine/context';
import { minimumKeyBits, type DkimSignature } from '../dns/dkim-signatures';
import { mailAuthResults } from '../dns/mail-auth';
import { MAIL_AUTH_HOOK } from './auth-spf';
import { addrList, compileGlobs, globListMatches, memoOnOptions, type GlobList } from './lists-glob';
import type { EvalDef } from './registry';

function spfWelcome(lists: readonly string[]) {
  return (ctx: ScanContext): boolean => {
    const r = mailAuthResults(ctx.net);
    const sender = r?.identity.sender;
    if (!r || r.spf !== 'pass' || sender === undefined) return false;
    return lists.some((l) => globListMatches(addrList(ctx.settings.options, l), sender));
  };
}

/**
 * Author globs by the signing domain they accept ('': the author's own domain), compiled once
 * per rule set (the stock rules list about 1,900 `def_welcomelist_auth` addresses).
 */
function dkimEntries(o: OptionValues, fromDkim: string, auth: string): ReadonlyMap<string, GlobList> {
  return memoOnOptions(o, `dkim-wl:${fromDkim}`, () => {
    const globs = new Map<string, string[]>();
    const entry = (addr: string, sdid: string) => {
      const l = globs.get(sdid.toLowerCase()) ?? [];
      l.push(addr);
      globs.set(sdid.toLowerCase(), l);
    };
    for (const line of optList(o, fromDkim)) {
      const [addr, sdid] = line.trim().split(/\s+/);
      if (addr) entry(addr, sdid ?? '');
    }
    for (const addr of optList(o, auth)) entry(addr, '');
    return new Map([...globs].map(([sdid, l]) => [sdid, compileGlobs(l)]));
  });
}

function sdidAccepted(accept: string, sdid: string, authorDomain: string): boolean {
  if (accept === '') return sdid === authorDomain;
  const d = accept.replace(/^.*@/s, '');
  const sub = /^\*?\.(.*)$/s.exec(d);
  return sub ? sdid.endsWith('.' + sub[1]!) : sdid === d;
}

function dkimWelcome(fromDkim: string, auth: string) {
  return (ctx: ScanContext): boolean => {
    const r = mailAuthResults(ctx.net);
    if (!r || r.authors.length === 0) return false;
    const min = minimumKeyBits(ctx.settings.options);
    const usable = (s: DkimSignature) => s.valid && !(min > 0 && s.keyBits !== undefined && s.keyBits < min);
    const sigs = r.dkim.filter(usable);
    if (sigs.length === 0) return false;
    const entries = dkimEntries(ctx.settings.options, fromDkim, auth);
    return r.authors.some((author) => {
      const lc = author.toLowerCase();
      const authorDomain = /@([^@]+)$/s.exec(lc)?.[1] ?? '';
      return [...entries].some(([sdid, list]) => sigs.some((s) => sdidAccepted(sdid, s.sdid, authorDomain)) && globListMatches(list, lc));
    });
  };
}

const SPF_USER = spfWelcome(['welcomelist_from_spf', 'welcomelist_auth']);
const SPF_DEF = spfWelcome(['def_welcomelist_from_spf', 'def_welcomelist_auth']);
const DKIM_USER = dkimWelcome('welcomelist_from_dkim', 'welcomelist_auth');
const DKIM_DEF = dkimWelcome('def_welcomelist_from_dkim', 'def_welcomelist_auth');

export const authWelcomelistEvals: readonly EvalDef[] = [
  { name: 'check_for_spf_welcomelist_from', areas: ['header'], fn: SPF_USER, net: MAIL_AUTH_HOOK },
  { name: 'check_for_spf_whitelist_from', areas: ['header'], fn: SPF_USER, net: MAIL_AUTH_HOOK },
  { name: 'check_for_def_spf_welcomelist_from', areas: ['header'], fn: SPF_DEF, net: MAIL_AUTH_HOOK },
  { name: 'check_for_def_spf_whitelist_from', areas: ['header'], fn: SPF_DEF, net: MAIL_AUTH_HOOK },
  { name: 'check_for_dkim_welcomelist_from', areas: ['header'], fn: DKIM_USER, net: MAIL_AUTH_HOOK },
  { name: 'check_for_dkim_whitelist_from', areas: ['header'], fn: DKIM_USER, net: MAIL_AUTH_HOOK },
  { name: 'check_for_def_dkim_welcomelist_from', areas: ['header'], fn: DKIM_DEF, net: MAIL_AUTH_HOOK },
  { name: 'check_for_def_dkim_whitelist_from', areas: ['header'], fn: DKIM_DEF, net: MAIL_AUTH_HOOK },
];
