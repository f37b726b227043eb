/**
 * HashBL's query arguments, as SpamAssassin's HashBL documentation gives them, with details
 * observed from SpamAssassin 4.0.1 against a test DNS server:
 * - the list: `zone` or `zone/A` / `zone/TXT`;
 * - OPTS, slash-separated: the hash (`raw`, `md5` and `sha1` in hex, `sha256` in lower-case
 *   base32 without padding), `case` (else values are lower-cased before hashing), `max=N`
 *   (default 10), `shuffle`, and per-eval flags (`nodot`, `notag`, `user`, `host`, `domain`,
 *   `num`...). Empty OPTS means the eval's defaults;
 * - a value is asked as `<hash>.<zone>`; a raw value that is not a DNS name (an URL) is not asked;
 * - the sub-test is a regex on the answer (default `^127\.`).
 */
import { nodeCrypto } from '../util/node-crypto';
import { translatePerlRegex } from '../regex/perl-regex';

export type HashKind = 'raw' | 'md5' | 'sha1' | 'sha256';

/** A parsed OPTS string. */
export interface HashblOpts {
  readonly hash: HashKind;
  readonly keepCase: boolean;
  readonly max: number;
  readonly shuffle: boolean;
  /** Every flag given (`nodot`, `notag`, `domain`, `num`...). */
  readonly flags: ReadonlySet<string>;
}

/** A list argument: its zone and the record type asked. */
export interface HashblList {
  readonly zone: string;
  readonly type: 'A' | 'TXT';
}

export function parseHashblList(text: string): HashblList | { error: string } {
  const m = /^([^/\s]+?)\.?(?:\/(A|TXT))?$/i.exec(text.trim());
  if (!m) return { error: `bad list ${text}` };
  return { zone: m[1]!.toLowerCase(), type: (m[2]?.toUpperCase() ?? 'A') as 'A' | 'TXT' };
}

const HASHES: readonly HashKind[] = ['raw', 'md5', 'sha1', 'sha256'];

/** Read OPTS (`dflt` when empty or missing). */
export function parseHashblOpts(text: string | undefined, dflt: string): HashblOpts | { error: string } {
  const parts = (text === undefined || text.trim() === '' ? dflt : text).split('/').map((p) => p.trim().toLowerCase()).filter((p) => p !== '');
  let hash: HashKind | undefined;
  let max = 10;
  const flags = new Set<string>();
  for (const p of parts) {
    const mx = /^max=(\d+)$/.exec(p);
    if (mx) max = Number(mx[1]);
    else if ((HASHES as readonly string[]).includes(p)) hash = p as HashKind;
    else flags.add(p);
  }
  if (!hash) return { error: `OPTS ${text ?? ''} name no hash (raw, md5, sha1 or sha256)` };
  return { hash, keepCase: flags.has('case'), max, shuffle: flags.has('shuffle'), flags };
}

const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';

function base32(bytes: Buffer): string {
  let out = '';
  let acc = 0;
  let bits = 0;
  for (const b of bytes) {
    acc = ((acc << 8) | b) & 0xffff;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(acc >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += BASE32[(acc << (5 - bits)) & 31];
  return out;
}

/** A DNS name's labels: what a raw value must look like to be asked. */
const DNS_NAME = /^[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?(?:\.[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?)*$/i;

/** The label(s) a value is asked as, or undefined when a raw value cannot be a DNS name. */
export function hashblLabel(value: string, opts: HashblOpts): string | undefined {
  const v = opts.keepCase ? value : value.toLowerCase();
  switch (opts.hash) {
    case 'raw':
      return DNS_NAME.test(v.replace(/@/g, 'x').replace(/\+/g, 'x')) ? v : undefined;
    case 'md5':
    case 'sha1':
      return nodeCrypto().createHash(opts.hash).update(v, 'latin1').digest('hex');
    case 'sha256':
      return base32(nodeCrypto().createHash('sha256').update(v, 'latin1').digest());
  }
}

/** The values to ask, each once: at most `max`, chosen at random among more when `shuffle`. */
export function pickValues(values: readonly string[], opts: HashblOpts, random: () => number = Math.random): string[] {
  const list = [...new Set(values)];
  if (list.length <= opts.max) return list;
  if (opts.shuffle) {
    for (let i = list.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [list[i], list[j]] = [list[j]!, list[i]!];
    }
  }
  return list.slice(0, opts.max);
}

/** The answer regex (default `^127\.`). */
export function parseHashblSubtest(text: string | undefined): RegExp | { error: string } {
  const t = translatePerlRegex(text === undefined || text === '' ? '^127\\.' : text, '', true);
  return 'error' in t ? { error: `sub-test ${text ?? ''}: ${t.error}` } : t.re;
}
