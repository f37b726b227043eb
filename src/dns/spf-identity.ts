/**
 * What SPF checks for a message, picked from the Received chain as SpamAssassin 4.0.1's SPF
 * plugin picks it (observed with `-D spf`, see test/eval/auth-sa.test.ts):
 * - the relay is the first external one (the hop that handed the mail to our internal network);
 *   with none, neither the sender nor the HELO check runs;
 * - the envelope sender is what that relay's Received header recorded; failing that, the
 *   EnvelopeFrom headers (Return-Path, X-Envelope-From...), but only when no trusted relay came
 *   in between (one could have rewritten them) unless `always_trust_envelope_sender`;
 * - the HELO check is skipped when the HELO name is missing, an IPv4 literal, or has no dot;
 * - results an internal relay already wrote (`Received-SPF:`, or `spf=` in
 *   `Authentication-Results:`) are reused unless `ignore_received_spf_header`: the oldest
 *   readable one first, or the newest with `use_newest_received_spf_header`; an unknown identity
 *   is skipped, a missing one counts as the sender check.
 */
import { optBool, type OptionValues } from '../options/option-values';
import { envelopeFrom, headerValues, parseHeaderRequest, type HeaderRequest } from '../message/header-access';
import type { Message, Relay } from '../message/types';

export type SpfResult = 'pass' | 'neutral' | 'none' | 'fail' | 'softfail' | 'permerror' | 'temperror';

export interface SpfIdentity {
  /** The relay SPF is checked for (undefined: no external relay, nothing is checked). */
  readonly relay: Relay | undefined;
  /** Envelope sender, lower-cased (undefined: unknown, the sender check is skipped). */
  readonly sender: string | undefined;
  /** HELO name to check (undefined: skipped). */
  readonly helo: string | undefined;
  /** Results internal relays recorded, which replace our own check of that identity. */
  readonly recorded: { readonly mfrom?: SpfResult; readonly helo?: SpfResult };
}

export function spfIdentity(msg: Message, options: OptionValues): SpfIdentity {
  const relay = msg.relays.external[0];
  return {
    relay,
    sender: relay ? spfSender(msg, relay, options) : undefined,
    helo: relay && checkableHelo(relay.helo) ? relay.helo : undefined,
    recorded: optBool(options, 'ignore_received_spf_header', false) ? {} : recordedResults(msg, optBool(options, 'use_newest_received_spf_header', false)),
  };
}

function spfSender(msg: Message, relay: Relay, options: OptionValues): string | undefined {
  if (relay.envfrom !== '') return relay.envfrom.toLowerCase();
  if (msg.relays.trusted.length > 0 && !optBool(options, 'always_trust_envelope_sender', false)) return undefined;
  const e = envelopeFrom(msg);
  return e === undefined || e === '' ? undefined : e.toLowerCase();
}

function checkableHelo(helo: string): boolean {
  return helo !== '' && !/^[[!]?\d+\.\d+\.\d+\.\d+[\]!]?$/.test(helo) && helo.includes('.');
}

const INTERNAL: HeaderRequest = (() => {
  const r = parseHeaderRequest('ALL-INTERNAL');
  if ('error' in r) throw new Error(r.error);
  return r;
})();

const RESULT = '(pass|neutral|(?:soft)?fail|(?:temp|perm)error|none)';
const RECEIVED_SPF = new RegExp(`^received-spf:\\s*${RESULT}\\b(?:.*\\bidentity=(\\S+?);?\\b)?`, 'is');
const AUTH_RESULTS = /^(?:arc-)?authentication-results:.*;\s*spf\s*=\s*([^;]*)/is;
const AUTH_SPF = /^(pass|neutral|(?:hard|soft)?fail|(?:temp|perm)error|none)(?:[^;]*?\bsmtp\.(\S+)\s*=[^;]+)?/i;

/** Results recorded by internal relays, per identity, the first readable one of each winning. */
function recordedResults(msg: Message, newestFirst: boolean): { mfrom?: SpfResult; helo?: SpfResult } {
  const out: { mfrom?: SpfResult; helo?: SpfResult } = {};
  const fields = headerValues(msg, INTERNAL).join('').split(/\n(?=\S)/);
  if (!newestFirst) fields.reverse();
  for (const field of fields) {
    const unfolded = field.replace(/\r?\n[ \t]+/g, ' ');
    let result: string | undefined;
    let identity: string | undefined;
    let m = RECEIVED_SPF.exec(unfolded);
    if (m) [result, identity] = [m[1]!, m[2]];
    else if ((m = AUTH_RESULTS.exec(unfolded)) && (m = AUTH_SPF.exec(m[1]!))) [result, identity] = [m[1]!, m[2]];
    if (result === undefined) continue;
    const r = result.toLowerCase() === 'hardfail' ? 'fail' : (result.toLowerCase() as SpfResult);
    const id = identity?.toLowerCase();
    const key = id === undefined || id === 'mfrom' || id === 'mailfrom' ? 'mfrom' : id === 'helo' ? 'helo' : undefined;
    if (key && out[key] === undefined) out[key] = r;
    if (out.mfrom && out.helo) break;
  }
  return out;
}
