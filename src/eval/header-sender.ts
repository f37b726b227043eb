/**
 * Sender / recipient header checks: envelope vs header From, a missing To,
 * the recipient's name echoed in the Subject, and two ratware fingerprints.
 */
import { optList } from '../options/option-values';
import type { ScanContext } from '../engine/context';
import { hasValidTld, registrableDomain, type DomainOptions } from '../message/domain';
import { getHeaderOr } from './header-get';
import { strArg, type EvalDef } from './registry';
import { escapeRegex } from '../util/escape-regex';
import { canonCase, containsWord, occurrences, wordBoundary } from './ci-literal';

/** Envelope sender equals the From: address, ignoring case (two absent ones are equal too). */
function matchingEnvAndHdrFrom(ctx: ScanContext): boolean {
  return getHeaderOr(ctx, 'EnvelopeFrom:addr').toLowerCase() === getHeaderOr(ctx, 'From:addr').toLowerCase();
}

/** Neither To: nor Apparently-To: is present. */
function missingToHeader(ctx: ScanContext): boolean {
  return getHeaderOr(ctx, 'To') === '' && getHeaderOr(ctx, 'Apparently-To') === '';
}

/** Subject shapes that greet the recipient by local part (`Re: bob`, `bob, ...`, `... bob`). */
export function userInSubject(subject: string, user: string): boolean {
  // /^(?:(?:re|fw):\s*(?:\w+\s+)?U$|U$|,\s*U[,:;!?-]$)/i, U the user taken literally.
  const s = canonCase(subject);
  const u = canonCase(user);
  if (s.endsWith(u) && (s.length === u.length || REPLY_PREFIX.test(subject.slice(0, s.length - u.length)))) return true;
  const head = s.length - 1 - u.length;
  if (head >= 0 && /[,:;!?-]$/.test(s) && s.startsWith(u, head) && COMMA_PREFIX.test(s.slice(0, head))) return true;
  // The "bob: ..." form is matched case-sensitively to spare ordinary words: /^U\s*[,:;!?-](?:$|\s)/.
  return subject.startsWith(user) && USER_COLON_TAIL.test(subject.slice(user.length));
}
const REPLY_PREFIX = /^(?:re|fw):\s*(?:\w+\s+)?$/i;
const COMMA_PREFIX = /^,\s*$/;
const USER_COLON_TAIL = /^\s*[,:;!?-](?:$|\s)/;

/** The To: address (`address`) or its local part (`user`) appears in the Subject. */
function toInSubject(ctx: ScanContext, args: readonly (string | number)[]): boolean {
  const to = getHeaderOr(ctx, 'To:addr');
  if (to === '') return false;
  // A trailing newline stays invisible to `$`, as it is in Perl.
  const subject = getHeaderOr(ctx, 'Subject').replace(/\n$/, '');
  const test = strArg(args, 0);
  if (test === 'address') return containsWord(subject, to);
  if (test === 'user') return userInSubject(subject, to.replace(/@.*/s, ''));
  return false;
}

/** Message-ID of 28 capitals then the From: address, with a quoted display name in From:. */
function ratwareNameId(ctx: ScanContext): boolean {
  const m = /<[A-Z]{28}\.([^>]+?)>/.exec(getHeaderOr(ctx, 'MESSAGEID'));
  if (!m) return false;
  return new RegExp(`"[^"]+"\\s*<${escapeRegex(m[1]!)}>`).test(getHeaderOr(ctx, 'From'));
}

/** What `.` does not match. */
const LINE_END = /[\n\r\u2028\u2029]/;

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
  // /\bDOM.USER@/i, DOM and USER taken literally.
  const f = canonCase(from);
  const d = canonCase(dom);
  const tail = canonCase(m[1]!) + '@';
  for (const p of occurrences(f, d)) {
    const q = p + d.length;
    if (wordBoundary(from, p) && q < f.length && !LINE_END.test(f[q]!) && f.startsWith(tail, q + 1)) return true;
  }
  return false;
}

export const headerSenderEvals: readonly EvalDef[] = [
  { name: 'check_for_matching_env_and_hdr_from', areas: ['header'], fn: matchingEnvAndHdrFrom },
  { name: 'check_for_missing_to_header', areas: ['header'], fn: missingToHeader },
  { name: 'check_for_to_in_subject', areas: ['header'], fn: toInSubject },
  { name: 'check_ratware_name_id', areas: ['header'], fn: ratwareNameId },
  { name: 'check_ratware_envelope_from', areas: ['header'], fn: ratwareEnvelopeFrom },
];
