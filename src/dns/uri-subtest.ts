/**
 * The sub-test of `urirhssub` / `uridnssub` / `urinsrhssub` / `urifullnsrhssub`, as the URIDNSBL
 * documentation defines it. Forms `m`, `n1-n2` and `n/m`, each number decimal, `0x` hex (up to
 * 8 digits) or a dotted quad; r is the A answer as a 32-bit number:
 * - `n1-n2`: n1 <= r <= n2;   `n/m`: (r & m) == (n & m);
 * - a lone dotted quad: r == n;   a lone decimal or hex number: r & n != 0, r in 127.0.0.0/8.
 */
import { ipv4ToInt, isListingAddress } from './blocklist';

export type UriSubtest =
  | { readonly kind: 'range'; readonly low: number; readonly high: number }
  | { readonly kind: 'masked'; readonly value: number; readonly mask: number }
  | { readonly kind: 'equal'; readonly value: number }
  | { readonly kind: 'bits'; readonly mask: number };

function subtestNumber(text: string): number | undefined {
  if (/^\d+$/.test(text)) {
    const n = Number(text);
    return n <= 0xffffffff ? n : undefined;
  }
  if (/^0x[0-9a-f]{1,8}$/i.test(text)) return parseInt(text.slice(2), 16);
  return ipv4ToInt(text);
}

/** Read a sub-test; an error message when it has none of the forms. */
export function parseUriSubtest(text: string): UriSubtest | { error: string } {
  const bad = { error: `sub-test ${text}: expected m, n1-n2 or n/m (decimal, 0x hex or dotted quad)` };
  const pair = /^([^-/]+)([-/])([^-/]+)$/.exec(text.trim());
  if (pair) {
    const a = subtestNumber(pair[1]!);
    const b = subtestNumber(pair[3]!);
    if (a === undefined || b === undefined) return bad;
    return pair[2] === '-' ? { kind: 'range', low: a, high: b } : { kind: 'masked', value: a, mask: b };
  }
  const n = subtestNumber(text.trim());
  if (n === undefined) return bad;
  return text.includes('.') ? { kind: 'equal', value: n } : { kind: 'bits', mask: n };
}

/** True when the A answer `address` passes the sub-test (only 127.0.0.0/8 answers can). */
export function uriSubtestMatches(sub: UriSubtest, address: string): boolean {
  const r = ipv4ToInt(address);
  if (r === undefined || !isListingAddress(address)) return false;
  switch (sub.kind) {
    case 'range':
      return r >= sub.low && r <= sub.high;
    case 'masked':
      return (r & sub.mask) >>> 0 === (sub.value & sub.mask) >>> 0;
    case 'equal':
      return r === sub.value;
    case 'bits':
      return (r & sub.mask) >>> 0 !== 0;
  }
}
