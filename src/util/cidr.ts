/**
 * Network lists as SpamAssassin writes them (`trusted_networks 10/8 !10.1.2.3 192.168.
 * [::1]/128`): the first entry that contains an address decides, `!` entries exclude.
 */
import { isIP } from 'node:net';

interface NetEntry {
  readonly negate: boolean;
  readonly v6: boolean;
  readonly bits: bigint;
  readonly prefix: number;
  readonly text: string;
}

/** An ordered, parsed network list. */
export class NetSet {
  private readonly entries: NetEntry[] = [];

  /** Add one entry; returns an error message when it cannot be read. */
  add(spec: string): string | undefined {
    const e = parseNet(spec);
    if (typeof e === 'string') return e;
    this.entries.push(e);
    return undefined;
  }

  get size(): number {
    return this.entries.length;
  }

  /** True when the first entry containing `ip` is not negated. */
  contains(ip: string): boolean {
    const addr = parseAddress(ip);
    if (!addr) return false;
    for (const e of this.entries) {
      if (e.v6 !== addr.v6) continue;
      const width = e.v6 ? 128 : 32;
      const shift = BigInt(width - e.prefix);
      if (addr.bits >> shift === e.bits >> shift) return !e.negate;
    }
    return false;
  }
}

function parseAddress(ip: string): { v6: boolean; bits: bigint } | undefined {
  let s = ip.replace(/^\[|\]$/g, '').replace(/^IPv6:/i, '');
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(s);
  if (mapped) s = mapped[1]!;
  const kind = isIP(s);
  if (kind === 4) return { v6: false, bits: s.split('.').reduce((a, o) => (a << 8n) | BigInt(Number(o)), 0n) };
  if (kind === 6) return { v6: true, bits: ipv6Bits(s) };
  return undefined;
}

function ipv6Bits(s: string): bigint {
  let text = s;
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4) {
    const o = v4[1]!.split('.').map(Number);
    text = text.slice(0, -v4[1]!.length) + ((o[0]! << 8) | o[1]!).toString(16) + ':' + ((o[2]! << 8) | o[3]!).toString(16);
  }
  const [head, tail] = text.includes('::') ? text.split('::') : [text, undefined];
  const h = head ? head.split(':') : [];
  const t = tail !== undefined && tail !== '' ? tail.split(':') : [];
  const groups = tail === undefined ? h : [...h, ...Array(8 - h.length - t.length).fill('0'), ...t];
  return groups.reduce((a, g) => (a << 16n) | BigInt(parseInt(g || '0', 16)), 0n);
}

function parseNet(spec: string): NetEntry | string {
  let s = spec.trim();
  const negate = s.startsWith('!');
  if (negate) s = s.slice(1);
  let prefix: number | undefined;
  const slash = s.lastIndexOf('/');
  if (slash >= 0) {
    prefix = Number(s.slice(slash + 1));
    s = s.slice(0, slash);
    if (!Number.isInteger(prefix)) return `bad prefix length in "${spec}"`;
  }
  s = s.replace(/^\[|\]$/g, '');
  if (/^[\d.]+$/.test(s)) {
    // Partial IPv4 forms: `10.`, `10/8`, `192.168`.
    const octets = s.replace(/\.$/, '').split('.').filter((o) => o !== '');
    if (octets.length === 0 || octets.length > 4 || octets.some((o) => Number(o) > 255)) return `bad IPv4 network "${spec}"`;
    while (octets.length < 4) octets.push('0');
    const bits = octets.reduce((a, o) => (a << 8n) | BigInt(Number(o)), 0n);
    const p = prefix ?? (s.replace(/\.$/, '').split('.').length * 8);
    if (p < 0 || p > 32) return `bad prefix length in "${spec}"`;
    return { negate, v6: false, bits, prefix: p, text: spec };
  }
  const addr = parseAddress(s);
  if (!addr || !addr.v6) return `cannot read network "${spec}"`;
  const p = prefix ?? 128;
  if (p < 0 || p > 128) return `bad prefix length in "${spec}"`;
  return { negate, v6: true, bits: addr.bits, prefix: p, text: spec };
}
