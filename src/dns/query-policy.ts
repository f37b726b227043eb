/**
 * Which queries may go out, by the name's zone: `dns_query_restriction allow|deny` (the tightest
 * listed parent decides; `deny *` blocks everything not allowed; default allow) and the per-zone
 * form of `rbl_timeout t t_min zone` (the tightest listed parent's setting applies).
 */
import type { RblTimeout } from './rbl-timeout';
import { canonicalName } from './types';

/** The tightest entry of `byZone` for `name` or one of its parents ('*' last), if any. */
export function tightestZone<V>(name: string, byZone: ReadonlyMap<string, V>): V | undefined {
  let d = canonicalName(name);
  for (;;) {
    const v = byZone.get(d);
    if (v !== undefined) return v;
    const dot = d.indexOf('.');
    if (dot < 0) return byZone.get('*');
    d = d.slice(dot + 1);
  }
}

/** True when `dns_query_restriction` lets a query for `name` go out (keys lower case, no dots at the ends). */
export function queryAllowed(name: string, restrictions: ReadonlyMap<string, 'allow' | 'deny'>): boolean {
  return tightestZone(name, restrictions) !== 'deny';
}

/** The `rbl_timeout` for a query of `name`: a zone's own setting, else the general one. */
export function timeoutForName(name: string, general: RblTimeout, byZone: ReadonlyMap<string, RblTimeout>): RblTimeout {
  return tightestZone(name, byZone) ?? general;
}
