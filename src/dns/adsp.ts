/**
 * Author Domain Signing Practices (RFC 5617) as SpamAssassin's DKIM plugin looks them up: for
 * each author domain without a valid author signature, an `adsp_override` entry, else the
 * `_adsp._domainkey.<domain>` TXT record (`dkim=all|discardable|unknown`); without one, an MX
 * query tells a domain that does not exist (NXDOMAIN: 'N') from one that publishes nothing
 * ('U'). Observed from SpamAssassin 4.0.1: TXT `_adsp._domainkey.D`, then MX D.
 * Practices are one letter: N nxdomain, U unknown, A all, D discardable, 1/2/3 custom_low/med/high.
 */
import { optList, type OptionValues } from '../options/option-values';
import { minimumKeyBits, strongEnough } from './dkim-signatures';
import { dkimUriDomains } from './dkim-uris';
import { authorDomainOf, mailAuthResults, startMailAuth, type MailAuthResults } from './mail-auth';
import type { NetScan, NetWait } from './net-scan';
import { answerTexts } from './types';

const ADSP_WAIT = 'mailauth-adsp';

const PRACTICE: Readonly<Record<string, string>> = {
  nxdomain: 'N', unknown: 'U', all: 'A', discardable: 'D', custom_low: '1', custom_med: '2', custom_high: '3',
};

/** `adsp_override domain [practice]` lines by lower-cased domain (`*.x` and `*` kept as written). */
export function adspOverrides(o: OptionValues): ReadonlyMap<string, string> {
  const out = new Map<string, string>();
  for (const line of optList(o, 'adsp_override')) {
    const [domain, practice] = line.trim().toLowerCase().split(/\s+/);
    const p = PRACTICE[practice ?? 'discardable'];
    if (domain && p) out.set(domain, p);
  }
  return out;
}

/** The override for `domain`: the domain itself, then `*.parent` for each parent, then `*`. */
function override(overrides: ReadonlyMap<string, string>, domain: string): string | undefined {
  const labels = domain.split('.');
  for (let i = 0; i <= labels.length; i++) {
    const key = i === 0 ? domain : ['*', ...labels.slice(i)].join('.');
    const p = overrides.get(key);
    if (p !== undefined) return p;
  }
  return undefined;
}

/** Author domains ADSP applies to (a name with a dot and a plausible TLD). */
export function adspDomains(r: MailAuthResults): string[] {
  return [...r.authorDomains].filter((d) => /.\.[a-z-]{2,}$/i.test(d));
}

/**
 * Per author domain, the practice from an override or DNS; undefined where ADSP does not apply
 * (a valid author signature) or gives nothing (key lookup tempfailed). `dependable` false
 * ignores domains that have an author signature which failed (a truncated message).
 */
export function adspPractices(net: NetScan | undefined, dependable: boolean): ReadonlyMap<string, string> | undefined {
  return net?.waitFor<(dependable: boolean) => ReadonlyMap<string, string>>(ADSP_WAIT)?.result()?.(dependable);
}

export function startAdsp(net: NetScan): NetWait<(dependable: boolean) => ReadonlyMap<string, string>> {
  return net.wait(ADSP_WAIT, async () => {
    prefetchAdsp(net);
    await startMailAuth(net).promise;
    const r = mailAuthResults(net);
    const out = new Map<string, { practice?: string; hasAuthorSig: boolean }>();
    if (r) {
      const minBits = minimumKeyBits(net.options);
      const overrides = adspOverrides(net.options);
      await Promise.all(
        adspDomains(r).map(async (d) => {
          const sigs = r.dkim.filter((s) => s.sdid === d);
          if (sigs.some((s) => strongEnough(s, minBits))) return;
          if (sigs.some((s) => !s.valid && s.tempfailed)) return;
          out.set(d, { practice: override(overrides, d) ?? (await lookUp(net, d)), hasAuthorSig: sigs.length > 0 });
        }),
      );
    }
    return (dependable: boolean) => {
      const m = new Map<string, string>();
      for (const [d, v] of out) if (v.practice && (dependable || !v.hasAuthorSig)) m.set(d, v.practice);
      return m;
    };
  });
}

/**
 * Ask now what ADSP will ask once DKIM has answered, when the author domain has no signature
 * at all (then no valid author signature can spare the lookup): its TXT record and its MX, in
 * parallel rather than one after the other after the DKIM checks.
 */
function prefetchAdsp(net: NetScan): void {
  const d = authorDomainOf(net.msg);
  if (!d || !/.\.[a-z-]{2,}$/i.test(d) || override(adspOverrides(net.options), d) !== undefined) return;
  if (dkimUriDomains(net.msg).includes(d)) return;
  net.query(`_adsp._domainkey.${d}`, 'TXT');
  net.query(d, 'MX');
}

async function lookUp(net: NetScan, domain: string): Promise<string> {
  const txt = await net.query(`_adsp._domainkey.${domain}`, 'TXT')?.promise;
  if (!txt || (txt.status !== 'NOERROR' && txt.status !== 'NXDOMAIN')) return 'U';
  for (const t of answerTexts(txt)) {
    const m = /(?:^|;)\s*dkim\s*=\s*([a-z]+)/i.exec(t);
    if (m) return { all: 'A', discardable: 'D', strict: 'D' }[m[1]!.toLowerCase()] ?? 'U';
  }
  const mx = await net.query(domain, 'MX')?.promise;
  return mx?.status === 'NXDOMAIN' ? 'N' : 'U';
}
