/**
 * An `askdns NAME query_template [rr_type [filter]]` rule as the AskDNS documentation defines
 * it: the template holds `_TAG_`s (and `_HEADER(spec)_`), the record types filter the answer
 * (one type is also the query type), and the filter is a quoted string, a Perl regex, a
 * URIDNSBL-style numeric sub-test, or a list of rcodes in brackets. Parsed when the rule is
 * compiled (a bad one disables its rule with the reason) and again, memoised, when it runs.
 */
import { parsePerlRegexLiteral, translatePerlRegex } from '../regex/perl-regex';
import type { DnsAnswer, DnsRecord, DnsStatus, QueryType } from '../dns/types';
import { parseUriSubtest, uriSubtestMatches, type UriSubtest } from '../dns/uri-subtest';

export type AskdnsFilter =
  | { readonly kind: 'none' }
  | { readonly kind: 'string'; readonly value: string }
  | { readonly kind: 'regex'; readonly re: RegExp }
  | { readonly kind: 'subtest'; readonly subtest: UriSubtest }
  | { readonly kind: 'rcodes'; readonly codes: ReadonlySet<DnsStatus> };

export interface AskdnsRule {
  readonly template: string;
  /** The tags the template names (`DKIMDOMAIN`, `HEADER(From:addr)`...), each once. */
  readonly tags: readonly string[];
  readonly queryType: QueryType;
  /** The record types the answer is filtered on. */
  readonly types: ReadonlySet<string>;
  readonly filter: AskdnsFilter;
}

/** Query types the resolver asks (ANY and several types at once are not supported). */
const QUERY_TYPES: ReadonlySet<string> = new Set<QueryType>(['A', 'AAAA', 'TXT', 'MX', 'NS', 'PTR', 'CNAME', 'SOA', 'SRV']);

const RCODES: Readonly<Record<string, DnsStatus>> = {
  NOERROR: 'NOERROR', FORMERR: 'FORMERR', SERVFAIL: 'SERVFAIL', NXDOMAIN: 'NXDOMAIN', NOTIMP: 'NOTIMP', REFUSED: 'REFUSED',
  0: 'NOERROR', 1: 'FORMERR', 2: 'SERVFAIL', 3: 'NXDOMAIN', 4: 'NOTIMP', 5: 'REFUSED',
};

/** A tag in a query template: `_NAME_` or `_HEADER(spec)_`. */
export const TEMPLATE_TAG = /_([A-Z][A-Z0-9]*(?:\([^)]*\))?)_/g;

function parseFilter(text: string): AskdnsFilter | { error: string } {
  if (text === '') return { kind: 'none' };
  const quoted = /^(['"])(.*)\1$/s.exec(text);
  if (quoted) return { kind: 'string', value: quoted[2]! };
  const rcodes = /^\[(.*)\]$/s.exec(text);
  if (rcodes) {
    const codes = new Set<DnsStatus>();
    for (const c of rcodes[1]!.split(/\s*,\s*/)) {
      const code = RCODES[c.trim().toUpperCase()];
      if (!code) return { error: `unknown rcode '${c.trim()}' in ${text}` };
      codes.add(code);
    }
    return { kind: 'rcodes', codes };
  }
  if (/^(?:\/|m\W)/.test(text)) {
    const lit = parsePerlRegexLiteral(text);
    const tr = 'error' in lit ? lit : translatePerlRegex(lit.pattern, lit.flags, true);
    if ('error' in tr) return { error: `filter ${text}: ${tr.error}` };
    return { kind: 'regex', re: tr.re };
  }
  const subtest = parseUriSubtest(text);
  if ('error' in subtest) return { error: `filter ${subtest.error}` };
  return { kind: 'subtest', subtest };
}

/** Read the text after the rule name; an error message when it cannot be used. */
export function parseAskdns(text: string): AskdnsRule | { error: string } {
  const m = /^(\S+)(?:\s+(\S+)(?:\s+(.*))?)?$/s.exec(text.trim());
  if (!m) return { error: 'askdns needs a query template' };
  const template = m[1]!;
  const typeNames = (m[2] ?? 'A').toUpperCase().split(',').filter((t) => t !== '');
  if (typeNames.length !== 1 || !QUERY_TYPES.has(typeNames[0]!)) {
    return { error: `askdns query type ${m[2]}: only one of ${[...QUERY_TYPES].join(', ')} is supported` };
  }
  const filter = parseFilter((m[3] ?? '').trim());
  if ('error' in filter) return filter;
  const tags = [...new Set([...template.matchAll(TEMPLATE_TAG)].map((t) => t[1]!))];
  return { template, tags, queryType: typeNames[0] as QueryType, types: new Set(typeNames), filter };
}

/** A record's value as the filter sees it (a TXT record's strings joined without a separator). */
function recordValue(r: DnsRecord): string | undefined {
  switch (r.type) {
    case 'A':
    case 'AAAA':
      return r.address;
    case 'TXT':
      return r.strings.join('');
    case 'MX':
      return `${r.priority} ${r.exchange}`;
    case 'NS':
    case 'PTR':
    case 'CNAME':
      return r.value;
    default:
      return undefined;
  }
}

/** True when `answer` passes the rule's type filter and its filter. */
export function askdnsMatches(rule: AskdnsRule, answer: DnsAnswer): boolean {
  const f = rule.filter;
  if (f.kind === 'rcodes') return f.codes.has(answer.status);
  if (answer.status !== 'NOERROR') return false;
  return answer.records.some((r) => {
    if (!rule.types.has(r.type)) return false;
    const v = recordValue(r);
    if (v === undefined) return false;
    switch (f.kind) {
      case 'none':
        return true;
      case 'string':
        return v === f.value;
      case 'regex':
        f.re.lastIndex = 0;
        return f.re.test(v);
      case 'subtest':
        return r.type === 'A' && uriSubtestMatches(f.subtest, v);
    }
  });
}
