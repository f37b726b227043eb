/**
 * Sender / recipient header checks: envelope vs header From, a missing To,
 * the recipient's name echoed in the Subject, and two ratware fingerprints.
 */
import { optList } from '../config/options';
import type { ScanContext } from '../engine/context';
import { hasValidTld, registrableDomain, type DomainOptions } from '../message/domain';
import { getHeaderOr } from './header-get';
import { strArg, type EvalDef } from './registry';
import { escapeRegex } from '../util/escape-regex';

/** Envelope sender equals the From: address, ignoring case (two absent ones are equal too). */
function matchingEnvAndHdrFrom(ctx: ScanContext): boolean {
  return getHeaderOr(ctx, 'EnvelopeFrom:addr').toLowerCase() === getHeaderOr(ctx, 'From:addr').toLowerCase();
}

/** Neither To: nor Apparently-To: is present. */
function missingToHeader(ctx: ScanContext): boolean {
  return getHeaderOr(ctx, 'To') === '' && getHeaderOr(ctx, 'Apparently-To') === '';
}

/** Subject shapes that greet the recipient by local part (`Re: bob`, `bob, ...`, `... bob`). */
function userInSubject(subject: string, user: string): boolean {
  const u = escapeRegex(user);
  const ci = new RegExp(`^(?:(?:re|fw):\\s*(?:\\w+\\s+)?${u}$|${u}$|,\\s*${u}[,:;!?-]$)`, 'i');
  // The "bob: ..." form is matched case-sensitively to spare ordinary words.
  const cs = new RegExp(`^${u}\\s*[,:;!?-](?:$|\\s)`);
  return ci.test(subject) || cs.test(subject);
}

/** The To: address (`address`) or its local part (`user`) appears in the Subject. */
function toInSubject(ctx: ScanContext, args: readonly (string | number)[]): boolean {
  const to = getHeaderOr(ctx, 'To:addr');
  if (to === '') return false;
  // A trailing newline stays invisible to `$`, as it is in Perl.
  const subject = getHeaderOr(ctx, 'Subject').replace(/\n$/, '');
  const test = strArg(args, 0);
  if (test === 'address') return new RegExp(`\\b${escapeRegex(to)}\\b`, 'i').test(subject);
  if (test === 'user') return userInSubject(subject, to.replace(/@.*/s, ''));
  return false;
}

/** Message-ID of 28 capitals then the From: address, with a quoted display name in From:. */
function ratwareNameId(ctx: ScanContext): boolean {
  const m = /<[A-Z]{28}\.([^>]+?)>/.exec(getHeaderOr(ctx, 'MESSAGEID'));
  if (!m) return false;
  return new RegExp(`"[^"]+"\\s*<${escapeRegex(m[1]!)}>`).test(getHeaderOr(ctx, 'From'));
}

const domainOptsCache = new WeakMap<object, DomainOptions>();

function domainOptions(ctx: ScanContext): DomainOptions {
  const o = ctx.settings.options;
  let d = domainOptsCache.get(o);
  if (!d) {
    const set = (name: string): ReadonlySet<string> | undefined => {
      const l = optList(o, name);
      return l.length > 0 ? new Set(l.map((x) => x.toLowerCase())) : undefined;
    };
    d = { validTlds: set('util_rb_tld'), twoLevel: set('util_rb_2tld'), threeLevel: set('util_rb_3tld') };
    domainOptsCache.set(o, d);
  }
  return d;
}

/** Envelope sender built from the recipient's domain and user (`domain.com.user@...`), a ratware habit. */
function ratwareEnvelopeFrom(ctx: ScanContext): boolean {
  const to = getHeaderOr(ctx, 'To:addr');
  const from = getHeaderOr(ctx, 'EnvelopeFrom:addr');
  if (from === '' || to === '') return false;
  // SRS-rewritten senders legitimately embed other domains.
  if (/^SRS\d[=+-]/i.test(from)) return false;
  const m = /^([^@]+)@(.+)$/.exec(to);
  if (!m) return false;
  const opts = domainOptions(ctx);
  const dom = registrableDomain(m[2]!, opts);
  if (!dom.includes('.') || /\s/.test(dom) || !hasValidTld(dom, opts)) return false;
  return new RegExp(`\\b${escapeRegex(dom)}.${escapeRegex(m[1]!)}@`, 'i').test(from);
}

export const headerSenderEvals: readonly EvalDef[] = [
  { name: 'check_for_matching_env_and_hdr_from', areas: ['header'], fn: matchingEnvAndHdrFrom },
  { name: 'check_for_missing_to_header', areas: ['header'], fn: missingToHeader },
  { name: 'check_for_to_in_subject', areas: ['header'], fn: toInSubject },
  { name: 'check_ratware_name_id', areas: ['header'], fn: ratwareNameId },
  { name: 'check_ratware_envelope_from', areas: ['header'], fn: ratwareEnvelopeFrom },
];
