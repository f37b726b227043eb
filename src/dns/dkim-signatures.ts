/**
 * mailauth's DKIM verdicts in the terms SpamAssassin's DKIM plugin judges signatures by: valid
 * (verified and not expired), the SDID it compares with domains (the domain of `i=`, else
 * `d=`), key size, and whether the key is in testing mode (`t=y`).
 */
import type { DKIMResult } from 'mailauth';
import type { Message } from '../message/types';

export interface DkimSignature {
  /** `d=`, as written. */
  readonly domain: string;
  /** `i=`, or `@` + `d=` when absent (Mail::DKIM's default). */
  readonly identity: string;
  /** Lower-cased domain compared with acceptable domains and the author's: `i=`'s, else `d=`. */
  readonly sdid: string;
  readonly selector: string;
  readonly valid: boolean;
  /** The key lookup failed for a temporary reason (SERVFAIL, timeout). */
  readonly tempfailed: boolean;
  /** RSA modulus length in bits, when known. */
  readonly keyBits: number | undefined;
  /** The key record says `t=y`. */
  readonly testing: boolean;
}

/** `tag=value` pairs of a DKIM-Signature (whitespace removed inside `b=`). */
export function dkimTags(value: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of value.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const k = part.slice(0, eq).trim().toLowerCase();
    const v = part.slice(eq + 1).replace(/\s+/g, k === 'b' || k === 'bh' ? '' : ' ').trim();
    out.set(k, v);
  }
  return out;
}

/** Each verified signature of `msg`, in header order; signatures without a selector are left out. */
export function dkimSignatures(msg: Message, results: readonly DKIMResult[]): DkimSignature[] {
  const byB = new Map<string, Map<string, string>>();
  for (const h of msg.headers) if (h.key === 'dkim-signature') {
    const t = dkimTags(h.raw.replace(/\r?\n[ \t]+/g, ' '));
    byB.set(t.get('b') ?? '', t);
  }
  const out: DkimSignature[] = [];
  for (const r of results) {
    const extra = r as DKIMResult & { signature?: string; modulusLength?: number; rr?: string };
    if (!r.signingDomain || !r.selector) continue;
    const t = byB.get(extra.signature ?? '');
    const identity = t?.get('i') ?? `@${r.signingDomain}`;
    const at = /@(\S+)$/.exec(identity);
    out.push({
      domain: r.signingDomain,
      identity,
      sdid: (at ? at[1]! : r.signingDomain).toLowerCase(),
      selector: r.selector,
      valid: r.status.result === 'pass',
      tempfailed: r.status.result === 'temperror',
      keyBits: extra.modulusLength,
      testing: /(?:^|;)\s*t\s*=[^;]*\by\b/i.test(extra.rr ?? ''),
    });
  }
  return out;
}

/** Valid and, when `minBits` is set, with a key of known size at least that long. */
export function strongEnough(s: DkimSignature, minBits: number): boolean {
  return s.valid && (minBits <= 0 || (s.keyBits !== undefined && s.keyBits >= minBits));
}

/** `dkim_minimum_key_bits` (default 1024; 0 turns the check off). */
export function minimumKeyBits(options: import('../options/option-values').OptionValues): number {
  const v = options['dkim_minimum_key_bits'];
  const n = Number(typeof v === 'string' ? v : v?.[v.length - 1]);
  return v === undefined || !Number.isFinite(n) ? 1024 : n;
}
