/**
 * Header lookups for the HeaderEval checks, in SpamAssassin's `$pms->get` shapes:
 * byte strings (UTF-8 octets as latin1), '' for an absent header in scalar form.
 */
import type { ScanContext } from '../engine/context';
import { toByteString } from '../message/charset';
import { headerValues, parseHeaderRequest, type HeaderRequest } from '../message/header-access';

const requests = new Map<string, HeaderRequest>();

/** A header spec parsed once per process; throws on a bad spec (for specs written in code). */
export function request(spec: string): HeaderRequest {
  let req = requests.get(spec);
  if (!req) {
    const r = parseHeaderRequest(spec);
    if ('error' in r) throw new Error(`bad header request ${spec}: ${r.error}`);
    requests.set(spec, (req = r));
  }
  return req;
}

/**
 * Values as bytes. Raw values and addresses (parsed from raw text) already are
 * byte strings; decoded values are Unicode and need their UTF-8 form.
 */
function asBytes(req: HeaderRequest, values: readonly string[]): string[] {
  return req.raw || req.addr ? [...values] : values.map(toByteString);
}

/** List `get`: one byte string per instance (or per address / name). */
export function getHeaderList(ctx: ScanContext, spec: string): string[] {
  return ctx.memo(`header-eval:list:${spec}`, () => {
    const req = request(spec);
    return asBytes(req, headerValues(ctx.msg, req));
  });
}

/** Scalar `get`: instances concatenated (or the first address/name), undefined when absent; shared with header rules. */
export function getHeader(ctx: ScanContext, spec: string): string | undefined {
  return ctx.header(request(spec), spec);
}

/** Scalar `get` with SpamAssassin's default of '' for an absent header. */
export function getHeaderOr(ctx: ScanContext, spec: string): string {
  return getHeader(ctx, spec) ?? '';
}

const OCTET = '(?:1\\d\\d|2[0-4]\\d|25[0-5]|[1-9]\\d|\\d)';
const IPV4 = `${OCTET}\\.${OCTET}\\.${OCTET}\\.${OCTET}`;
const H = '[a-fA-F0-9]{1,4}';
const MAPPED_PREFIX = [
  `(?:${H}:){6}`,
  `::(?:${H}:){0,5}`,
  `(?:${H}:){1,5}:`,
  `${H}::(?:${H}:){1,4}`,
  `(?:${H}:){2}:(?:${H}:){1,3}`,
  `(?:${H}:){3}:(?:${H}:){1,2}`,
  `(?:${H}:){4}:${H}:`,
].join('|');
const PURE_V6 = [
  `(?:${H}:){7}${H}`,
  `:(?::${H}){1,7}`,
  `(?:${H}:){1,7}:`,
  `${H}:(?::${H}){1,6}`,
  `(?:${H}:){2}(?::${H}){1,5}`,
  `(?:${H}:){3}(?::${H}){1,4}`,
  `(?:${H}:){4}(?::${H}){1,3}`,
  `(?:${H}:){5}(?::${H}){1,2}`,
  `(?:${H}:){6}:${H}`,
  '::',
].join('|');

/**
 * SpamAssassin's IP_ADDRESS pattern source (IPv4, IPv4-mapped IPv6, IPv6). Case is
 * spelled out so it can sit inside case-sensitive patterns without the `i` flag.
 */
export const IP_ADDRESS = `(?:\\b(?<!:)${IPV4}\\b|(?:[Ii][Pp][Vv]6:|(?<![a-fA-F0-9:]))(?:(?:${MAPPED_PREFIX})${IPV4}|${PURE_V6})(?![a-fA-F0-9:]))`;
