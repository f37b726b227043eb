/**
 * `parse_dkim_uris` (default on): the signing domains of a message's DKIM-Signature headers,
 * which SpamAssassin 4.0.1 adds to the hosts its URI blocklists are asked about. Observed: each
 * header's `d=` (not `i=`), lower-cased, whether or not the signature verifies; `uri` rules do
 * not see them.
 */
import type { Message } from '../message/types';
import { dkimTags } from './dkim-signatures';

/** The `d=` domains of `msg`'s DKIM-Signature headers, in header order, each once. */
export function dkimUriDomains(msg: Message): string[] {
  const out: string[] = [];
  for (const h of msg.headers) {
    if (h.key !== 'dkim-signature') continue;
    const d = dkimTags(h.raw.replace(/\r?\n[ \t]+/g, ' ')).get('d')?.toLowerCase();
    if (d && !out.includes(d)) out.push(d);
  }
  return out;
}
