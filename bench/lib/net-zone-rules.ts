/**
 * Which blocklist zones the stock rules query, and which answers their sub-tests look for, read
 * from the .cf files themselves (no list per zone is written down here), so bench:network can
 * list names in each zone with codes the rules test: `check_rbl` / `check_rbl_txt` /
 * `check_rbl_sub` (sets joined by name), the URIDNSBL rule types, `askdns` with a zone after its
 * tag, and HashBL zones.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseRblSubtest, rblSubtestMatch } from '../../src/dns/rbl-subtest';
import { parseUriSubtest, uriSubtestMatches } from '../../src/dns/uri-subtest';

/** A sub-test and the rule that reads it; `match(address)` says whether an A answer hits it. */
export interface ZoneSubtest {
  readonly rule: string;
  readonly text: string;
  readonly match: (address: string) => boolean;
}

/** One zone as the rules use it. */
export interface ZoneUse {
  readonly zone: string;
  /** Queried as TXT (check_rbl_txt), else A. */
  txt: boolean;
  /** Asked with the addresses of a URI domain's name servers (uridnsbl, uridnssub). */
  byIp: boolean;
  readonly subtests: ZoneSubtest[];
  /** Sub-tests of `dns_block_rule` rules: a listing must not match them (see blocklistZones). */
  readonly blocking: ZoneSubtest[];
}

const strip = (z: string): string => z.toLowerCase().replace(/\.+$/, '');

function rblMatcher(text: string): ((a: string) => boolean) | undefined {
  const sub = parseRblSubtest(text);
  return 'error' in sub ? undefined : (a) => rblSubtestMatch(sub, [a]) !== undefined;
}

function uriMatcher(text: string): ((a: string) => boolean) | undefined {
  const sub = parseUriSubtest(text);
  return 'error' in sub ? undefined : (a) => uriSubtestMatches(sub, a);
}

/** The .cf lines of a rules directory, in file order. */
function cfLines(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.cf'))
    .sort()
    .flatMap((f) => readFileSync(join(dir, f), 'latin1').split('\n'));
}

/**
 * The zones the rules in `dirs` query, by zone name (lower case, no final dot). The sub-tests of
 * rules named in `dns_block_rule` lines are kept apart: a hit on one blocks its zone for the
 * rest of the run (SpamAssassin writes a file for it), which would make the comparison depend
 * on message order, so no listing may match them (a bitmask such as multi.surbl.org's `1`
 * matches any odd code).
 */
export function blocklistZones(dirs: readonly string[]): Map<string, ZoneUse> {
  const lines = dirs.flatMap(cfLines);
  const blocked = new Set<string>();
  for (const l of lines) {
    const m = /^\s*dns_block_rule\s+(\S+)/.exec(l);
    if (m) blocked.add(m[1]!);
  }
  const zones = new Map<string, ZoneUse>();
  const use = (zone: string): ZoneUse => {
    const z = strip(zone);
    let u = zones.get(z);
    if (!u) zones.set(z, (u = { zone: z, txt: false, byIp: false, subtests: [], blocking: [] }));
    return u;
  };
  const addSub = (u: ZoneUse, rule: string, text: string | undefined, matcher: (t: string) => ((a: string) => boolean) | undefined): void => {
    if (text === undefined || text === '') return;
    const match = matcher(text);
    if (match) (blocked.has(rule) ? u.blocking : u.subtests).push({ rule, text, match });
  };
  const setZone = new Map<string, ZoneUse>();
  const setSubs: [string, string, string][] = [];
  for (const l of lines) {
    let m = /^\s*\w+\s+(\S+)\s+eval:check_rbl(_txt)?\(\s*'([^']+)'\s*,\s*'([^']+)'\s*(?:,\s*'(.*)'\s*)?\)/.exec(l);
    if (m) {
      const u = use(m[4]!);
      if (m[2]) u.txt = true;
      setZone.set(m[3]!, u);
      if (!m[2]) addSub(u, m[1]!, m[5], rblMatcher);
      continue;
    }
    m = /^\s*\w+\s+(\S+)\s+eval:check_rbl_sub\(\s*'([^']+)'\s*,\s*'(.*)'\s*\)/.exec(l);
    if (m) {
      setSubs.push([m[1]!, m[2]!, m[3]!]);
      continue;
    }
    m = /^\s*\w+\s+\S+\s+eval:check_hashbl_\w+\(\s*'([^']+)'/.exec(l);
    if (m) {
      use(m[1]!);
      continue;
    }
    m = /^\s*(urirhsbl|urirhssub|urinsrhsbl|urinsrhssub|urifullnsrhsbl|urifullnsrhssub|uridnsbl|uridnssub)\s+(\S+)\s+(\S+)\s+(\S+)(?:\s+(\S+))?/.exec(l);
    if (m) {
      const [, kind, rule, zone, type, sub] = m;
      const u = use(zone!);
      if (kind!.startsWith('uridns')) u.byIp = true;
      if (type!.toUpperCase() === 'TXT') u.txt = true;
      addSub(u, rule!, sub, uriMatcher);
      continue;
    }
    // askdns NAME _TAG_.zone TYPE /regex/: only templates with a fixed zone after the tag.
    m = /^\s*askdns\s+(\S+)\s+_[A-Z]+_\.(\S+\.\S+)\s+(\S+)(?:\s+\/(.*)\/)?\s*$/.exec(l);
    if (m) addSub(use(m[2]!), m[1]!, m[4], rblMatcher);
  }
  for (const [rule, set, text] of setSubs) {
    const u = setZone.get(set);
    if (u) addSub(u, rule, text, rblMatcher);
  }
  return zones;
}
