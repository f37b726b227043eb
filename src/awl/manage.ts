/**
 * The persistent address list's management commands (`spamassassin
 * --add-addr-to-welcomelist` and friends). As in SpamAssassin 4.0.1 (observed):
 * each first drops every entry of the address (all networks), then adding
 * writes one entry without a network, `addr|ip=none`, counted once with a total
 * of -100 (welcome) or +100 (block). The first message from the address later
 * moves that entry to its network (awl.ts), so it pulls that message hard.
 */
import { parseAddressList } from '../message/address';
import { headerValues, parseHeaderRequest, type HeaderRequest } from '../message/header-access';
import type { Message } from '../message/types';
import { awlAddress, NO_IP } from './key';
import type { AddrListStore } from './store';

/** The score an added address starts with (SpamAssassin's `add_known_good_address` / `_bad_`). */
export const WELCOME_SCORE = -100;
export const BLOCK_SCORE = 100;

export type AddrListAction = 'welcome' | 'block' | 'remove';

/** The line `spamassassin` prints for each address (the address as given). */
export function addrListMessage(action: AddrListAction, addr: string): string {
  const what = action === 'welcome' ? 'adding address to welcomelist' : action === 'block' ? 'adding address to blocklist' : 'removing address';
  return `SpamAssassin auto-welcomelist: ${what}: ${addr}`;
}

/** Drop the address's entries, then (unless removing) add it with the action's score. False when `addr` is blank. */
export async function modifyAddress(store: AddrListStore, addr: string, action: AddrListAction, now?: number): Promise<boolean> {
  const email = awlAddress(addr);
  if (!/\S/.test(email)) return false;
  await store.atomically(async (tx) => {
    await tx.removeAddress(email);
    if (action !== 'remove') await tx.addScore({ email, ip: NO_IP, signedBy: '' }, action === 'welcome' ? WELCOME_SCORE : BLOCK_SCORE, now);
  });
  return true;
}

/** `--add-addr-to-welcomelist` (3.x: `--add-addr-to-whitelist`). */
export function addToWelcomelist(store: AddrListStore, addr: string, now?: number): Promise<boolean> {
  return modifyAddress(store, addr, 'welcome', now);
}

/** `--add-addr-to-blocklist` (3.x: `--add-addr-to-blacklist`). */
export function addToBlocklist(store: AddrListStore, addr: string, now?: number): Promise<boolean> {
  return modifyAddress(store, addr, 'block', now);
}

/** `--remove-addr-from-welcomelist` (3.x: `--remove-addr-from-whitelist`). */
export function removeFromWelcomelist(store: AddrListStore, addr: string): Promise<boolean> {
  return modifyAddress(store, addr, 'remove');
}

/** Headers `-W` / `--add-to-blocklist` / `-R` take addresses from, in SpamAssassin's order (observed). */
const ADDRESS_HEADERS = ['To', 'From', 'Cc', 'Reply-To', 'Sender', 'Errors-To', 'Mail-Followup-To'];
const HEADER_REQS = ADDRESS_HEADERS.map((h) => parseHeaderRequest(h) as HeaderRequest);
const BODY_ADDRESS = /[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*@(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}/gi;

/**
 * Every address in a message, for `-W` (`--add-to-welcomelist`),
 * `--add-to-blocklist` and `-R` (`--remove-from-welcomelist`): the To, From, Cc,
 * Reply-To, Sender, Errors-To and Mail-Followup-To headers, then addresses in the
 * body text (not the Subject), each once. Resent-*, Bcc and Return-Path are not read.
 */
export function addressesInMail(msg: Message): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  const add = (a: string): void => {
    const k = a.toLowerCase();
    if (a !== '' && !seen.has(k)) {
      seen.add(k);
      out.push(a);
    }
  };
  for (const req of HEADER_REQS) {
    for (const v of headerValues(msg, req)) for (const a of parseAddressList(v)) if (a.address) add(a.address);
  }
  for (const line of msg.bodyText.slice(1)) for (const m of line.matchAll(BODY_ADDRESS)) add(m[0]);
  return out;
}
