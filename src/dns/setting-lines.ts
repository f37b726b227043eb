/**
 * One line of each DNS directive, read as SpamAssassin 4.0.1 reads it (syntax observed with its
 * Conf object): the value, or a reason it is bad. The config parser uses `checkDnsSettingLine` to
 * report a bad line with file:line and drop it; settings.ts reads the lines that were kept.
 */
import { applyDnsOptions, DEFAULT_DNS_OPTIONS } from './dns-options';
import { parseServerSpec, type DnsServer } from './servers';

/** A number of seconds, optionally with a unit, as rbl_timeout takes it (SpamAssassin rejects exponents). */
const DURATION = /^(\d+(?:\.\d*)?|\.\d+)([smhdw]?)$/i;
const UNIT_SECONDS: Readonly<Record<string, number>> = { '': 1, s: 1, m: 60, h: 3600, d: 86_400, w: 604_800 };

function seconds(word: string): number | undefined {
  const m = DURATION.exec(word);
  return m ? Number(m[1]!) * UNIT_SECONDS[m[2]!.toLowerCase()]! : undefined;
}

/** A domain as the DNS directives compare it: lower case, no dots at the ends. */
export function domainKey(d: string): string {
  return d.toLowerCase().replace(/^\.+|\.+$/g, '');
}

/** `skip_rbl_checks` / `skip_uribl_checks`; null for an empty value, which changes nothing. */
export function parseYesNo(v: string): boolean | null | string {
  const s = v.toLowerCase();
  if (s === '') return null;
  if (s === '1' || s === 'yes') return true;
  if (s === '0' || s === 'no') return false;
  return 'expected 0, 1, yes or no';
}

/** `dns_server`: one address, with a port after a colon (an IPv6 address then in brackets). */
export function parseServerLine(v: string): DnsServer | string {
  return v === '' || /\s/.test(v) ? 'expected one address[:port]' : parseServerSpec(v);
}

export interface RblTimeoutLine {
  readonly t: number;
  readonly tMin: number | undefined;
  readonly zone: string | undefined;
}

/** `rbl_timeout t [t_min] [zone]`: a zone is told from a number by ending in a letter. */
export function parseRblTimeoutLine(v: string): RblTimeoutLine | string {
  const words = v.split(/\s+/).filter(Boolean);
  const t = words.length > 0 ? seconds(words[0]!) : undefined;
  if (t === undefined || words.length > 3) return 'expected t [t_min] [zone] (seconds, optionally with s, m, h, d or w)';
  let tMin: number | undefined;
  let rest = words.slice(1);
  if (rest.length > 0 && seconds(rest[0]!) !== undefined) {
    tMin = seconds(rest[0]!);
    rest = rest.slice(1);
  }
  if (rest.length > 1) return 'expected t [t_min] [zone]';
  const zone = rest[0];
  // SpamAssassin strips a leading dot but rejects a trailing one (the zone must end with a letter).
  if (zone !== undefined && !/[a-z]$/i.test(zone)) return `zone must end with a letter: ${zone}`;
  return { t, tMin, zone: zone === undefined ? undefined : domainKey(zone) };
}

/** `dns_available yes | no | test[: domain...]` (case matters, as in SpamAssassin). */
export function parseDnsAvailable(v: string): { available: 'yes' | 'no' | 'test'; testDomains: string[] } | string {
  if (v === 'yes' || v === 'no' || v === 'test') return { available: v, testDomains: [] };
  const m = /^test:\s*(\S.*)$/.exec(v);
  if (!m) return 'expected yes, no, test or test: domain...';
  return { available: 'test', testDomains: m[1]!.split(/\s+/).map(domainKey) };
}

/** `dns_block_time`: plain seconds, no unit. */
export function parseBlockTime(v: string): number | string {
  return /^-?\d+(?:\.\d+)?$/.test(v) ? Number(v) : 'expected a number of seconds';
}

/** `dns_query_restriction allow|deny domain...` */
export function parseQueryRestriction(v: string): readonly ['allow' | 'deny', string[]] | string {
  const [word = '', ...rest] = v.split(/\s+/);
  const verb = word.toLowerCase();
  if ((verb !== 'allow' && verb !== 'deny') || rest.length === 0) return 'expected allow|deny domain...';
  return [verb, rest.map(domainKey)];
}

/** `dns_block_rule RULE domain...` */
export function parseBlockRule(v: string): readonly [string, string[]] | string {
  const [name = '', ...rest] = v.split(/\s+/);
  return rest.length === 0 ? 'expected RULE domain...' : [name, rest.map(domainKey)];
}

/**
 * `dns_options`: the words before the first bad one, and why that one is bad. SpamAssassin
 * applies the words before a bad one and drops the rest; it also refuses an EDNS0 size below 512.
 */
export function splitDnsOptions(v: string): { good: string; error: string | undefined } {
  const words = v.split(/[\s,]+/).filter(Boolean);
  for (let i = 0; i < words.length; i++) {
    const [error] = applyDnsOptions(DEFAULT_DNS_OPTIONS, words[i]!).errors;
    const size = /^edns0?=(\d+)$/i.exec(words[i]!);
    const why = error?.replace(/^dns_options: /, '') ?? (size && Number(size[1]) < 512 ? `EDNS0 size below 512: ${words[i]}` : undefined);
    if (why !== undefined) return { good: words.slice(0, i).join(' '), error: why };
  }
  return { good: words.join(' '), error: undefined };
}

const LINE_PARSERS: Readonly<Record<string, (v: string) => unknown>> = {
  dns_server: parseServerLine,
  dns_options: (v) => splitDnsOptions(v).error ?? null,
  rbl_timeout: parseRblTimeoutLine,
  dns_available: parseDnsAvailable,
  dns_block_time: parseBlockTime,
  dns_query_restriction: parseQueryRestriction,
  dns_block_rule: parseBlockRule,
  skip_rbl_checks: parseYesNo,
  skip_uribl_checks: parseYesNo,
};

/**
 * How the parser treats a line of a DNS directive: `error` when it is bad, and `keep`, the value
 * to store (undefined: store nothing). Lines of other directives come back as they are.
 */
export function checkDnsSettingLine(key: string, value: string): { error: string | undefined; keep: string | undefined } {
  if (key === 'dns_options') {
    const { good, error } = splitDnsOptions(value);
    return { error, keep: error === undefined ? value : good || undefined };
  }
  const r = LINE_PARSERS[key]?.(value.trim());
  return typeof r === 'string' ? { error: r, keep: undefined } : { error: undefined, keep: value };
}
