/**
 * Received-chain checks (SpamAssassin RelayEval): trust-boundary shape
 * (all trusted, no relays, unparseable headers), HELO strings that contradict
 * the connecting IP, and Received trails whose hops do not link up.
 */
import type { RuleArea } from '../engine/types';
import type { ScanContext } from '../engine/context';
import { headerText, parseHeaderRequest, type HeaderRequest } from '../message/header-access';
import { isPrivateIp } from '../message/relays';
import type { Relay } from '../message/types';
import { strArg, type EvalDef } from './registry';

/** RelayEval registers these for any rule type. */
const ANY: readonly RuleArea[] = ['header', 'body', 'rawbody', 'full', 'uri'];

const OCTET = '(?:1\\d\\d|2[0-4]\\d|25[0-5]|[1-9]\\d|\\d)';
const IPV4 = `${OCTET}\\.${OCTET}\\.${OCTET}\\.${OCTET}`;
/** A whole string that is a dotted quad (no leading zeros, octets <= 255). */
const IS_IPV4 = new RegExp(`^${IPV4}$`);

/** True when `s` is a dotted quad outside the private / reserved ranges. */
export function isPublicIpv4(s: string): boolean {
  return IS_IPV4.test(s) && !isPrivateIp(s);
}

/** Every relay trusted, and no Received header that could not be read. */
function allTrusted(ctx: ScanContext): boolean {
  const c = ctx.msg.relays;
  return c.trusted.length > 0 && c.untrusted.length === 0 && c.unparseable === 0;
}

/** No relay at all, and nothing unreadable either. */
function noRelays(ctx: ScanContext): boolean {
  const c = ctx.msg.relays;
  return c.trusted.length === 0 && c.untrusted.length === 0 && c.unparseable === 0;
}

/** An untrusted relay's public-IPv4 HELO is outside the /24 of the IP it connected from. */
export function heloIpMismatch(relays: readonly Relay[]): boolean {
  for (const r of relays) {
    if (!isPublicIpv4(r.helo)) continue;
    if (!isPublicIpv4(r.ip) || r.helo === r.ip) continue;
    const net = /^(\d+\.\d+\.\d+\.)/.exec(r.helo)![1]!;
    if (!r.ip.startsWith(net)) return true;
  }
  return false;
}

const NUMERIC_HELO = new RegExp(`\\bhelo=(${IPV4})(?=[\\x00-\\x20,;[()<>]|$)`, 'i');

/** The first dotted-quad HELO in the untrusted relays' string is a public address. */
function numericHelo(ctx: ScanContext): boolean {
  const m = NUMERIC_HELO.exec(ctx.msg.relays.pseudoHeaders.untrusted);
  return m !== null && !isPrivateIp(m[1]!);
}

/** The oldest untrusted relay has a dotted rDNS name and a public IP. */
function senderNoReverse(ctx: ScanContext): boolean {
  const u = ctx.msg.relays.untrusted;
  const r = u[u.length - 1];
  return r !== undefined && r.rdns.includes('.') && !r.ipPrivate;
}

/**
 * A host name reduced to the part that names the organisation: the last two
 * labels when the TLD looks generic (3+ characters, or ie/fr/de), else the
 * last three. Anything without letters is left alone.
 */
export function hostnameToDomain(host: string): string {
  if (!/[a-zA-Z]/.test(host)) return host;
  const parts = host.split('.');
  while (parts.length > 0 && parts[parts.length - 1] === '') parts.pop(); // as Perl's split drops trailing empties
  const last = parts[parts.length - 1] ?? '';
  if (parts.length > 1 && /\S{3,}|ie|fr|de/.test(last)) return parts.slice(-2).join('.');
  if (parts.length > 2) return parts.slice(-3).join('.');
  return host;
}

const HOSTISH = /^\w+(?:[\w.-]+\.)+\w+$/;

/** Counts of inconsistencies along the untrusted part of the trail. */
export interface ForgedTrail {
  /** A hop's receiving host is not the organisation the next-newer hop says it came from. */
  readonly fromMismatches: number;
  /** A dotted-quad HELO in a different /16 from the connecting IP. */
  readonly ipHeloMismatches: number;
}

/** Walk the untrusted relays (newest first) comparing each hop's `by` with the previous hop's rDNS. */
export function forgedTrail(relays: readonly Relay[]): ForgedTrail {
  const from: (string | undefined)[] = relays.map((r) => hostnameToDomain(r.rdns.toLowerCase()));
  let fromMismatches = 0;
  let ipHeloMismatches = 0;
  for (let i = 0; i < relays.length; i++) {
    const r = relays[i]!;
    const by = hostnameToDomain(r.by.toLowerCase());
    if (!HOSTISH.test(by)) continue;
    // A loopback handover names no real sender host.
    if (from[i] !== undefined && /^localhost(?:\.localdomain)?$/.test(from[i]!) && r.ip === '127.0.0.1') from[i] = undefined;
    const helo = hostnameToDomain(r.helo.toLowerCase());
    const quad = /^(\d+\.\d+)\.\d+\.\d+$/;
    const hm = quad.exec(helo);
    const im = quad.exec(r.ip);
    if (hm && im && helo !== r.ip && hm[1] !== im[1] && !isPrivateIp(helo)) ipHeloMismatches++;
    const prev = i > 0 ? from[i - 1] : undefined;
    // msn.com relays say they got mail from hotmail.com: a known harmless pair.
    if (prev !== undefined && HOSTISH.test(prev) && by !== prev && !(by === 'msn.com' && prev === 'hotmail.com')) fromMismatches++;
  }
  return { fromMismatches, ipHeloMismatches };
}

function trailOf(ctx: ScanContext): ForgedTrail {
  const key = 'relay-checks:forged-trail';
  let t = ctx.pluginState.get(key) as ForgedTrail | undefined;
  if (!t) ctx.pluginState.set(key, (t = forgedTrail(ctx.msg.relays.untrusted)));
  return t;
}

const DOTCOM_HELO = /(?:\.|^)(?:lycos\.com|lycos\.co\.uk|hotmail\.com|localhost\.com|excite\.com|caramail\.com|cs\.com|aol\.com|msn\.com|yahoo\.com|drizzle\.com)$/i;

/**
 * A big-webmail HELO from a host without reverse DNS. Only the oldest untrusted
 * relay with a public IP decides: each such relay resets the verdict.
 */
function noRdnsDotcomHelo(ctx: ScanContext): boolean {
  let hit = false;
  for (const r of ctx.msg.relays.untrusted) {
    if (r.ipPrivate) continue;
    hit = DOTCOM_HELO.test(r.helo) && r.noReverseDns;
  }
  return hit;
}

const FROM_ADDR = parseHeaderRequest('From:addr') as HeaderRequest;

/** Escape a domain for a pattern, keeping `.` as a wildcard (the domain is used as a regex). */
function domainPattern(domain: string): string {
  return domain.replace(/[\\^$*+?()[\]{}|/]/g, '\\$&');
}

/**
 * `check_for_from_domain_in_received_headers(domain, 'true'|'false')`: the From
 * address is at `domain`, and some relay has both its rDNS and `by` in it (or not).
 */
function fromDomainInReceived(ctx: ScanContext, args: readonly (string | number)[]): boolean {
  const domain = strArg(args, 0) ?? '';
  const wantTrue = strArg(args, 1) === 'true';
  const key = `relay-checks:from-domain:${domain}`;
  let found = ctx.pluginState.get(key) as boolean | 'no-from' | undefined;
  if (found === undefined) {
    const from = headerText(ctx.msg, FROM_ADDR) ?? '';
    const esc = domainPattern(domain);
    if (!new RegExp(`\\b${esc}`, 'i').test(from)) found = 'no-from';
    else {
      const ph = ctx.msg.relays.pseudoHeaders;
      found = new RegExp(` rdns=\\S*\\b${esc} [^\\]]*by=\\S*\\b${esc} `).test(`${ph.trusted}\n${ph.untrusted}`);
    }
    ctx.pluginState.set(key, found);
  }
  if (found === 'no-from') return false;
  return wantTrue ? found : !found;
}

export const relayCheckEvals: readonly EvalDef[] = [
  { name: 'check_all_trusted', areas: ANY, fn: allTrusted },
  { name: 'check_no_relays', areas: ANY, fn: noRelays },
  { name: 'check_relays_unparseable', areas: ANY, fn: (ctx) => ctx.msg.relays.unparseable > 0 },
  { name: 'helo_ip_mismatch', areas: ANY, fn: (ctx) => heloIpMismatch(ctx.msg.relays.untrusted) },
  { name: 'check_for_numeric_helo', areas: ANY, fn: numericHelo },
  // Retired upstream: always false.
  { name: 'check_for_illegal_ip', areas: ANY, fn: () => false },
  { name: 'check_for_sender_no_reverse', areas: ANY, fn: senderNoReverse },
  { name: 'check_for_forged_received_trail', areas: ANY, fn: (ctx) => trailOf(ctx).fromMismatches > 1 },
  { name: 'check_for_forged_received_ip_helo', areas: ANY, fn: (ctx) => trailOf(ctx).ipHeloMismatches > 0 },
  { name: 'check_for_no_rdns_dotcom_helo', areas: ANY, fn: noRdnsDotcomHelo },
  { name: 'check_for_from_domain_in_received_headers', areas: ['header'], fn: fromDomainInReceived },
];
