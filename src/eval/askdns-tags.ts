/**
 * Tag values for askdns query templates. Tags the message gives (sender and author domains,
 * the last external relay, `HEADER(spec)`) are read from it; any other tag is one a network
 * area sets on the scan (`DKIMDOMAIN` from DKIM verification, `URIHOSTS` from URIDNSBL), read
 * from `net.tags` once that area is done. A tag may hold several values (space-separated):
 * a template then gives one query per combination.
 */
import type { NetScan } from '../dns/net-scan';
import { envelopeFrom, headerText, parseHeaderRequest, type HeaderRequest } from '../message/header-access';
import type { Message } from '../message/types';
import { reverseIp } from '../dns/blocklist';

const FROM_ADDR: HeaderRequest = { name: 'From', raw: false, addr: true, displayName: false, first: false, last: false };

const addressDomain = (addr: string | undefined): string => {
  const at = addr?.lastIndexOf('@') ?? -1;
  return at < 0 ? '' : addr!.slice(at + 1).trim().toLowerCase();
};

const MESSAGE_TAGS: Readonly<Record<string, (m: Message) => string>> = {
  SENDERDOMAIN: (m) => addressDomain(envelopeFrom(m)),
  AUTHORDOMAIN: (m) => addressDomain(headerText(m, FROM_ADDR)),
  LASTEXTERNALIP: (m) => m.relays.external[0]?.ip ?? '',
  LASTEXTERNALREVIP: (m) => reverseIp(m.relays.external[0]?.ip ?? '') ?? '',
  LASTEXTERNALRDNS: (m) => m.relays.external[0]?.rdns ?? '',
  LASTEXTERNALHELO: (m) => m.relays.external[0]?.helo ?? '',
};

/** True when the message alone gives the tag (no network area needs to finish first). */
export function isMessageTag(tag: string): boolean {
  return tag in MESSAGE_TAGS || tag.startsWith('HEADER(');
}

/** The values of `tag` for this scan (none when it is unset or empty). */
export function tagValues(net: NetScan, tag: string): string[] {
  let text: string | undefined;
  const header = /^HEADER\((.*)\)$/s.exec(tag);
  if (header) {
    const req = parseHeaderRequest(header[1]!);
    text = 'error' in req ? '' : headerText(net.msg, req);
  } else text = MESSAGE_TAGS[tag]?.(net.msg) ?? net.tags.get(tag);
  return (text ?? '').split(/\s+/).filter((v) => v !== '');
}

/** Every expansion of `template` (the cartesian product of its tags' values), each once. */
export function expandTemplate(template: string, tags: readonly string[], values: (tag: string) => readonly string[]): string[] {
  let names = [template];
  for (const tag of tags) {
    const vs = values(tag);
    const marker = `_${tag}_`;
    names = names.flatMap((n) => vs.map((v) => n.split(marker).join(v)));
  }
  return [...new Set(names)];
}
