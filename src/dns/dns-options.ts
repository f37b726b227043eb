/**
 * `dns_options`, as the Conf documentation describes it: `v4`, `v6`, `rotate`, `dns0x20` and
 * `edns[=N]` (`edns0` too), each negated by a `no` prefix, case-blind, separated by spaces or
 * commas; later lines change what they name. Defaults: v4, v6, norotate, nodns0x20, edns=4096.
 */

export interface DnsOptions {
  /** The resolver can return A records (v4) / AAAA records (v6). */
  readonly v4: boolean;
  readonly v6: boolean;
  readonly rotate: boolean;
  /** Random letter case in queries (not done by hamlet's resolver yet). */
  readonly dns0x20: boolean;
  /** UDP payload size offered by EDNS0; 512 means no EDNS0. */
  readonly ednsPayload: number;
}

export const DEFAULT_DNS_OPTIONS: DnsOptions = { v4: true, v6: true, rotate: false, dns0x20: false, ednsPayload: 4096 };

/** Apply one `dns_options` line to `base`; unknown words come back in `errors` (for lint, with file:line). */
export function applyDnsOptions(base: DnsOptions, text: string): { options: DnsOptions; errors: string[] } {
  const o = { ...base };
  const errors: string[] = [];
  for (const word of text.split(/[\s,]+/).filter(Boolean)) {
    const m = /^(no)?(v4|v6|rotate|dns0x20|edns0?)(?:=(\d+))?$/i.exec(word);
    if (!m || (m[3] !== undefined && !/^edns/i.test(m[2]!))) {
      errors.push(`dns_options: unknown option ${word}`);
      continue;
    }
    const on = m[1] === undefined;
    const name = m[2]!.toLowerCase();
    if (name.startsWith('edns')) {
      // No value means the conservative 1220 bytes; 512 is the floor (plain DNS).
      o.ednsPayload = on ? Math.max(512, m[3] === undefined ? 1220 : Number(m[3])) : 512;
    } else {
      o[name as 'v4' | 'v6' | 'rotate' | 'dns0x20'] = on;
    }
  }
  return { options: o, errors };
}
