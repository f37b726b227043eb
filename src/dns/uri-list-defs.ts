/**
 * The URI blocklist definitions (`urirhsbl`, `urirhssub`, `urinsrhsbl`, `urinsrhssub`,
 * `urifullnsrhsbl`, `urifullnsrhssub`, `uridnsbl`, `uridnssub`). They are kept apart from the
 * rules: in SpamAssassin a `body NAME eval:check_uridnsbl('NAME')` line defines the rule that
 * scores, and the list line of the same name says what to ask. The parser checks each line
 * (file:line for a bad one) and keeps it in the option `URI_LISTS_OPTION`, so the definitions
 * travel with the rule set's options (and its cache).
 */
import { parseUriSubtest, type UriSubtest } from './uri-subtest';

/**
 * What is asked about a message's URI hosts: `rhsbl` the host's domain (or the IP); `nsrhsbl`
 * the registrable domain of each of its name servers; `fullnsrhsbl` each name server's full
 * name; `dnsbl` the IPs of its name servers (tflags `ns`, the default) or of the host (`a`).
 */
export type UriListKind = 'rhsbl' | 'nsrhsbl' | 'fullnsrhsbl' | 'dnsbl';

export interface UriListDef {
  readonly name: string;
  readonly kind: UriListKind;
  /** The zone, lower-case, without a trailing dot. */
  readonly zone: string;
  readonly type: 'A' | 'TXT';
  /** The sub-test of the `*sub` forms; without one any TXT answer or 127/8 A answer lists. */
  readonly subtest?: UriSubtest;
}

export { URI_LISTS_OPTION } from '../options/option-values';

const DIRECTIVES: Readonly<Record<string, { readonly kind: UriListKind; readonly sub: boolean }>> = {
  urirhsbl: { kind: 'rhsbl', sub: false },
  urirhssub: { kind: 'rhsbl', sub: true },
  urinsrhsbl: { kind: 'nsrhsbl', sub: false },
  urinsrhssub: { kind: 'nsrhsbl', sub: true },
  urifullnsrhsbl: { kind: 'fullnsrhsbl', sub: false },
  urifullnsrhssub: { kind: 'fullnsrhsbl', sub: true },
  uridnsbl: { kind: 'dnsbl', sub: false },
  uridnssub: { kind: 'dnsbl', sub: true },
};

/** The directives that define URI lists. */
export const URI_LIST_DIRECTIVES: ReadonlySet<string> = new Set(Object.keys(DIRECTIVES));

/** Read one definition (`value` is everything after the directive); an error message when malformed. */
export function parseUriListLine(directive: string, value: string): UriListDef | { error: string } {
  const d = DIRECTIVES[directive];
  if (!d) return { error: `${directive} is not a URI list directive` };
  const words = value.trim().split(/\s+/);
  const want = d.sub ? 4 : 3;
  if (words.length !== want) {
    return { error: `${directive} takes NAME zone type${d.sub ? ' subtest' : ''}, got '${value.trim()}'` };
  }
  const [name, zoneText, typeText, subText] = words as [string, string, string, string | undefined];
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) return { error: `${directive}: invalid rule name '${name}'` };
  const zone = zoneText.toLowerCase().replace(/\.+$/, '');
  if (!/^[a-z0-9_-]+(?:\.[a-z0-9_-]+)+$/.test(zone)) return { error: `${directive} ${name}: invalid zone '${zoneText}'` };
  const type = typeText.toUpperCase();
  if (type !== 'A' && type !== 'TXT') return { error: `${directive} ${name}: lookup type must be A or TXT, got '${typeText}'` };
  if (subText === undefined) return { name, kind: d.kind, zone, type };
  const subtest = parseUriSubtest(subText);
  if ('error' in subtest) return { error: `${directive} ${name}: ${subtest.error}` };
  return { name, kind: d.kind, zone, type, subtest };
}

/** The definitions in the option's lines, by rule name (a later line for a name replaces an earlier one). */
export function uriListDefs(lines: readonly string[]): Map<string, UriListDef> {
  const defs = new Map<string, UriListDef>();
  for (const line of lines) {
    const sp = line.indexOf(' ');
    const def = parseUriListLine(line.slice(0, sp), line.slice(sp + 1));
    if (!('error' in def)) defs.set(def.name, def);
  }
  return defs;
}
