/**
 * Subject welcome/block lists (SpamAssassin WelcomeListSubject) and bounce
 * relays (VBounce): is a bounce about a message that went through our own
 * outgoing relays?
 */
import { optList } from '../options/option-values';
import type { ScanContext } from '../engine/context';
import { headerText, parseHeaderRequest, type HeaderRequest } from '../message/header-access';
import { addrList, compileGlobs, globListMatches, memoOnOptions, type GlobList } from './lists-glob';
import type { EvalDef } from './registry';

const SUBJECT = parseHeaderRequest('Subject') as HeaderRequest;

/** Subject list entries are whole lines, matched anywhere in the Subject. */
function subjectList(ctx: ScanContext, name: string): GlobList {
  const o = ctx.settings.options;
  return memoOnOptions(o, `subject:${name}`, () => compileGlobs(optList(o, name), false));
}

/** The Subject (lower-cased) contains one of the list's patterns. */
function subjectIn(name: string): (ctx: ScanContext) => boolean {
  return (ctx) => {
    const subject = headerText(ctx.msg, SUBJECT) ?? '';
    return subject !== '' && globListMatches(subjectList(ctx, name), subject);
  };
}

/** Any `welcomelist_bounce_relays` configured (rules use this to stay quiet otherwise). */
function haveBounceRelays(ctx: ScanContext): boolean {
  return addrList(ctx.settings.options, 'welcomelist_bounce_relays').entries.size > 0;
}

const RECEIVED_LINE = /^[> ]*Received:/i;

/** Host-like words (`a.b`) between spaces on quoted Received lines of the rendered body. */
function bodyRelayHit(ctx: ScanContext, relays: GlobList): boolean {
  for (const line of ctx.msg.bodyText) {
    if (!RECEIVED_LINE.test(line)) continue;
    // Each match eats its trailing space, so neighbouring words are skipped, as upstream.
    for (const m of line.matchAll(/ (\S+\.\S+) /g)) if (globListMatches(relays, m[1]!)) return true;
  }
  return false;
}

/** The same over the raw body, so attached message/rfc822 parts count; folded lines are joined. */
function rawRelayHit(ctx: ScanContext, relays: GlobList): boolean {
  const body = ctx.msg.bodyBytes.toString('latin1');
  if (!/Received:/i.test(body)) return false;
  let started = false;
  let header = '';
  for (const line of body.split('\n')) {
    if (!started) {
      if (!RECEIVED_LINE.test(line)) continue;
      started = true;
    }
    header = /^\s/.test(line) ? header + line : line;
    if (!RECEIVED_LINE.test(header)) continue;
    for (const m of header.matchAll(/\s(\S+\.\S+)\s/g)) if (globListMatches(relays, m[1]!)) return true;
  }
  return false;
}

/**
 * A quoted Received header in the body names one of our bounce relays: the
 * bounce is about mail we really sent.
 */
function welcomelistBounceRelays(ctx: ScanContext): boolean {
  const relays = addrList(ctx.settings.options, 'welcomelist_bounce_relays');
  if (relays.entries.size === 0) return false;
  return bodyRelayHit(ctx, relays) || rawRelayHit(ctx, relays);
}

const ANY = ['header', 'body', 'rawbody', 'full', 'uri'] as const;

/** Subject and bounce-relay evals. */
export const subjectBounceEvals: readonly EvalDef[] = [
  { name: 'check_subject_in_welcomelist', areas: ['header'], fn: subjectIn('welcomelist_subject') },
  { name: 'check_subject_in_whitelist', areas: ['header'], fn: subjectIn('welcomelist_subject') },
  { name: 'check_subject_in_blocklist', areas: ['header'], fn: subjectIn('blocklist_subject') },
  { name: 'check_subject_in_blacklist', areas: ['header'], fn: subjectIn('blocklist_subject') },
  { name: 'have_any_bounce_relays', areas: ANY, fn: haveBounceRelays },
  { name: 'check_welcomelist_bounce_relays', areas: ANY, fn: welcomelistBounceRelays },
  { name: 'check_whitelist_bounce_relays', areas: ANY, fn: welcomelistBounceRelays },
];
