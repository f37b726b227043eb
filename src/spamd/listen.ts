/** `-i/--listen` values as spamd reads them: `*`, `host`, `host:port`, `[v6]:port`, `v6`, `/unix/path`. */
import type { ListenSpec } from './server';

export interface ListenDefaults {
  readonly port: number;
  readonly tls?: { readonly key: Buffer; readonly cert: Buffer };
  readonly socketMode?: number;
}

/** One listen value; `undefined` when it cannot be read. */
export function parseListen(value: string, d: ListenDefaults): ListenSpec | undefined {
  const v = value.trim();
  if (v.startsWith('/')) return { kind: 'unix', path: v, mode: d.socketMode };
  const tcp = (host: string, port: number | undefined): ListenSpec => ({ kind: 'tcp', host: host === '' || host === '*' ? '::' : host, port: port ?? d.port, tls: d.tls });
  const portOf = (p: string): number | undefined => (/^\d+$/.test(p) && Number(p) < 65536 ? Number(p) : undefined);
  let m = /^\[([0-9a-fA-F:.]*)\](?::(\d+))?$/.exec(v);
  if (m) return m[2] !== undefined && portOf(m[2]) === undefined ? undefined : tcp(m[1]!, m[2] === undefined ? undefined : portOf(m[2]));
  if ((v.match(/:/g) ?? []).length >= 2) return tcp(v, undefined); // bare IPv6, no port
  m = /^([^:]*)(?::(\d*))?$/.exec(v);
  if (!m) return undefined;
  if (m[2] !== undefined && m[2] !== '' && portOf(m[2]) === undefined) return undefined;
  return tcp(m[1]!, m[2] ? portOf(m[2]) : undefined);
}
