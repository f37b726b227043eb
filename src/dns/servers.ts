/**
 * Where queries go: `dns_server` entries (`ip`, `ip:port`, `[ipv6]:port`) or the
 * `nameserver` lines of /etc/resolv.conf, with the resolv.conf `options` the resolver uses.
 */
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';

/** One name server. */
export interface DnsServer {
  /** IPv4 or IPv6 literal (an IPv6 scope `%if` kept). */
  readonly address: string;
  readonly port: number;
  readonly family: 4 | 6;
}

/** What /etc/resolv.conf says that the resolver uses. */
export interface ResolvConf {
  readonly servers: readonly DnsServer[];
  /** `options timeout:n`, seconds per try (glibc's default 5). */
  readonly timeoutSec: number;
  /** `options attempts:n`, rounds over the server list (glibc's default 2). */
  readonly attempts: number;
  /** `options rotate`: start each query at the next server. */
  readonly rotate: boolean;
  /** `options use-vc`: always TCP. */
  readonly useTcp: boolean;
}

const DEFAULT_PORT = 53;

/**
 * Read a server spec as `dns_server` takes it; returns an error message when it is not an
 * address. An IPv6 address with a port must be bracketed, as SpamAssassin requires.
 */
export function parseServerSpec(spec: string): DnsServer | string {
  const text = spec.trim();
  let host = text;
  let portText: string | undefined;
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(text);
  if (bracketed) {
    host = bracketed[1]!;
    portText = bracketed[2];
  } else {
    const v4port = /^([^:]+):(\d+)$/.exec(text);
    if (v4port) {
      host = v4port[1]!;
      portText = v4port[2];
    }
  }
  const family = isIP(host.replace(/%.*$/, ''));
  if (family !== 4 && family !== 6) return `not an IP address: ${spec}`;
  const port = portText === undefined ? DEFAULT_PORT : Number(portText);
  if (!Number.isInteger(port) || port < 1 || port > 65535) return `bad port in ${spec}`;
  return { address: host, port, family };
}

/** Parse resolv.conf text (comments `#` and `;`, later `options` lines add to earlier ones). */
export function parseResolvConf(text: string): ResolvConf {
  const servers: DnsServer[] = [];
  let timeoutSec = 5;
  let attempts = 2;
  let rotate = false;
  let useTcp = false;
  for (const rawLine of text.split('\n')) {
    const line = rawLine.replace(/[#;].*$/, '').trim();
    const [keyword, ...args] = line.split(/\s+/);
    if (keyword === 'nameserver' && args[0]) {
      const s = parseServerSpec(args[0]);
      // resolv.conf has no port syntax; a bad line is ignored, as the C library does.
      if (typeof s !== 'string') servers.push(s);
    } else if (keyword === 'options') {
      for (const opt of args) {
        const [name, value] = opt.split(':');
        const n = Number(value);
        // glibc's bounds: timeout at most 30 s, attempts at most 5.
        if (name === 'timeout' && Number.isInteger(n) && n >= 1) timeoutSec = Math.min(n, 30);
        else if (name === 'attempts' && Number.isInteger(n) && n >= 1) attempts = Math.min(n, 5);
        else if (name === 'rotate') rotate = true;
        else if (name === 'use-vc' || name === 'usevc') useTcp = true;
      }
    }
  }
  // With no nameserver line the C library asks the local host.
  if (servers.length === 0) servers.push({ address: '127.0.0.1', port: DEFAULT_PORT, family: 4 });
  return { servers, timeoutSec, attempts, rotate, useTcp };
}

/** Read and parse a resolv.conf file; an unreadable file reads as an empty one. */
export function readResolvConf(path = '/etc/resolv.conf'): ResolvConf {
  let text = '';
  try {
    text = readFileSync(path, 'latin1');
  } catch {
    // No file: the same defaults the C library uses.
  }
  return parseResolvConf(text);
}
