/**
 * Header lookups in the forms rules use: `Name`, `Name:raw`, `:addr`, `:name`,
 * `:first`, `:last`, `ALL`, `ALL:raw`, `ToCc`, `EnvelopeFrom`, `MESSAGEID` and
 * the `X-Spam-Relays-*` pseudo-headers, with SpamAssassin's string shapes
 * (each decoded value ends in a newline; several instances are concatenated).
 */
import { parseAddressList } from './address';
import { decodeHeaderValue } from './encoded-words';
import type { HeaderField, Message } from './types';

/** A parsed header request: the name and its modifiers. Parse once per rule, not per message. */
export interface HeaderRequest {
  readonly name: string;
  readonly raw: boolean;
  readonly addr: boolean;
  readonly displayName: boolean;
  readonly first: boolean;
  readonly last: boolean;
}

const MODIFIERS = new Set(['raw', 'addr', 'name', 'first', 'last']);

/** Parse `Name:mod:mod`; unknown modifiers are an error the config linter reports. */
export function parseHeaderRequest(spec: string): HeaderRequest | { error: string } {
  const [name, ...mods] = spec.split(':');
  for (const m of mods) if (!MODIFIERS.has(m)) return { error: `unknown header modifier :${m}` };
  return {
    name: name ?? '',
    raw: mods.includes('raw'),
    addr: mods.includes('addr'),
    displayName: mods.includes('name'),
    first: mods.includes('first'),
    last: mods.includes('last'),
  };
}

function instances(headers: readonly HeaderField[], name: string, raw: boolean): string[] {
  const key = name.toLowerCase();
  const out: string[] = [];
  for (const f of headers) {
    if (f.key !== key) continue;
    out.push(raw ? f.raw.replace(/\r?\n[ \t]+/g, ' ') + '\n' : f.value + '\n');
  }
  return out;
}

/** `ALL`: every header as `Name: value\n` (decoded), or as written when raw. */
function allHeaders(headers: readonly HeaderField[], raw: boolean): string[] {
  return headers.map((f) => (raw ? `${f.name}:${f.raw}\n` : `${f.name}: ${f.value}\n`));
}

/**
 * `ALL-TRUSTED` / `-INTERNAL`: headers above (and including) the Received line just
 * below the last trusted/internal hop; `ALL-UNTRUSTED` / `-EXTERNAL`: that Received
 * line and everything below it.
 */
function headersByTrust(msg: Message, which: string, raw: boolean): string[] {
  const chain = msg.relays;
  const boundary = (which === 'TRUSTED' || which === 'UNTRUSTED' ? chain.lastTrustedIndex : chain.lastInternalIndex) + 1;
  const upper = which === 'TRUSTED' || which === 'INTERNAL';
  const all = allHeaders(msg.headers, raw);
  const out: string[] = [];
  let idx = -1;
  for (let i = 0; i < msg.headers.length; i++) {
    if (msg.headers[i]!.key === 'received') idx++;
    if (upper) {
      if (idx < boundary) out.push(all[i]!);
      else {
        out.push(all[i]!);
        break;
      }
    } else if (idx >= boundary) out.push(all[i]!);
  }
  return out;
}

/** The SMTP envelope sender, from the relays or from headers added before any relay. */
export function envelopeFrom(msg: Message): string | undefined {
  const chain = msg.relays;
  const hop = chain.untrusted[0] ?? chain.trusted[chain.trusted.length - 1];
  if (hop && hop.envfrom.indexOf('@') > 0) return hop.envfrom;
  const firstAddr = (name: string): string | undefined => {
    const f = msg.headers.find((h) => h.key === name);
    return f ? parseAddressList(f.raw)[0]?.address : undefined;
  };
  const xSender = firstAddr('x-sender');
  if (xSender?.includes('@') && msg.headers.some((h) => h.key === 'received' && h.raw.includes('(fetchmail'))) {
    return undefined;
  }
  // Any instance of the header below a Received line may have been added (or
  // rewritten) by a relay we cannot trust: the first instance is then not used.
  const firstReceived = msg.headers.findIndex((h) => h.key === 'received');
  for (const name of ['x-envelope-from', 'envelope-sender', 'return-path']) {
    const first = msg.headers.find((h) => h.key === name);
    if (first === undefined) continue;
    const addr = parseAddressList(first.raw)[0]?.address;
    if (addr === undefined) continue;
    if (firstReceived >= 0 && lastIndexOf(msg.headers, name) > firstReceived) {
      if (name === 'x-envelope-from') return undefined;
      continue;
    }
    return addr;
  }
  return undefined;
}

function lastIndexOf(headers: readonly HeaderField[], key: string): number {
  for (let i = headers.length - 1; i >= 0; i--) if (headers[i]!.key === key) return i;
  return -1;
}

const ALL_PART = /^ALL-(TRUSTED|INTERNAL|UNTRUSTED|EXTERNAL)$/;

/** `ALL` and its trust parts are whole header blocks: `:addr` / `:name` do not apply to them. */
const wholeBlock = (req: HeaderRequest): boolean => req.name === 'ALL' || ALL_PART.test(req.name);

/** The instance strings a request yields, before `:addr` / `:name` take them apart. */
function instanceLines(msg: Message, req: HeaderRequest): string[] {
  const { name } = req;
  const raw = req.raw || req.addr || req.displayName;
  let results: string[];
  if (name === 'ALL') return allHeaders(msg.headers, req.raw);
  const part = ALL_PART.exec(name);
  if (part) return headersByTrust(msg, part[1]!, req.raw);
  const lname = name.toLowerCase();
  if (lname === 'envelopefrom') {
    const e = envelopeFrom(msg);
    results = e === undefined ? [] : [e];
  } else if (lname.startsWith('x-spam-relays-')) {
    const ph = msg.relays.pseudoHeaders;
    const which = lname.slice('x-spam-relays-'.length);
    const v = which === 'trusted' ? ph.trusted : which === 'untrusted' ? ph.untrusted : which === 'internal' ? ph.internal : which === 'external' ? ph.external : undefined;
    results = v === undefined ? instances(msg.headers, name, raw) : [v];
  } else if (lname === 'tocc') {
    results = [...instances(msg.headers, 'To', raw), ...instances(msg.headers, 'Cc', raw)];
  } else if (name === 'MESSAGEID') {
    // Every instance of each (SpamAssassin reads them in list context): two Message-Ids give both.
    results = ['X-Message-Id', 'Resent-Message-Id', 'X-Original-Message-ID', 'Message-Id']
      .flatMap((n) => instances(msg.headers, n, raw))
      .filter((v) => v !== '');
  } else {
    results = instances(msg.headers, name, raw);
  }
  if (results.length === 0) return results;
  if (req.first) results = [results[0]!];
  else if (req.last) results = [results[results.length - 1]!];
  return results;
}

/** The addresses (`:addr`) or display names (`:name`) in `lines`, at most `limit` of them. */
function addressParts(lines: readonly string[], req: HeaderRequest, limit: number): string[] {
  const out: string[] = [];
  for (const line of lines) {
    for (const a of parseAddressList(line)) {
      if (req.addr) {
        if (a.address !== undefined) out.push(a.address);
      } else if (a.phrase !== undefined) {
        if (req.raw) out.push(a.phrase);
        else {
          let d = decodeHeaderValue(a.phrase, 'x-name');
          if (/\S/.test(d)) d = d.replace(/\s+/g, ' ').trim().replace(/^'(.*?)'$/, '$1');
          out.push(d);
        }
      }
      if (out.length >= limit) return out;
    }
  }
  return out;
}

/** The values a request yields, as a list (SpamAssassin's list-context `get`). */
export function headerValues(msg: Message, req: HeaderRequest): string[] {
  const lines = instanceLines(msg, req);
  if (lines.length === 0 || !(req.addr || req.displayName) || wholeBlock(req)) return lines;
  return addressParts(lines, req, Infinity);
}

/**
 * What a header rule matches: as `headerText`, except that `:addr` and `:name` give every
 * address (or name) of the header, one per line: SpamAssassin 4.0.1 was seen to match
 * `From:addr =~ /PAY/` and `/\n/` on `From: DONT@x.com, PAY@x.com`. At most 1,000 of them
 * (a message with 20,000 To lines is not parsed whole for one rule).
 */
export function headerRuleText(msg: Message, req: HeaderRequest): string | undefined {
  if (!(req.addr || req.displayName) || wholeBlock(req)) return headerText(msg, req);
  const lines = instanceLines(msg, req);
  if (lines.length === 0) return undefined;
  const vals = addressParts(lines, req, 1000);
  if (vals.length === 0) return undefined;
  return vals.map((v) => v.replace(/\n$/, '')).join('\n');
}

/**
 * The single string a header rule matches (SpamAssassin's scalar `get`): instances
 * concatenated, or for `:addr`/`:name`/`EnvelopeFrom` the first value without newline.
 * `undefined` when the header is absent (so `[if-unset: ...]` can apply).
 */
export function headerText(msg: Message, req: HeaderRequest): string | undefined {
  const lines = instanceLines(msg, req);
  if (lines.length === 0) return undefined;
  // Only the first address or name is wanted: parsing every one of 20,000 To lines to keep one is not.
  const vals = (req.addr || req.displayName) && !wholeBlock(req) ? addressParts(lines, req, 1) : lines;
  if (vals.length === 0) return undefined;
  if (req.addr || req.displayName || req.name.toLowerCase() === 'envelopefrom') return vals[0]!.replace(/\n$/, '');
  return vals.join('');
}
