/**
 * Recipient-list shape: dictionary spammers send to alphabetically sorted
 * lists, or to many addresses that share their first letters or host prefix.
 */
import type { ScanContext } from '../engine/context';
import { getHeaderList } from './header-get';
import { numArg, type EvalDef } from './registry';

/** Experimentally tuned by SpamAssassin: list sizes and the prefix length compared. */
const SORTED_MIN = 7;
const SIMILAR_MIN = 5;
const PREFIX_LEN = 2;
const MAX_ADDRESSES = 256;

interface RecipientShape {
  readonly sorted: boolean;
  readonly similarity: number;
}

/** To/Cc addresses (Bcc added when those are few), adjacent repeats dropped. */
function recipientAddresses(ctx: ScanContext): string[] {
  const inputs: string[] = [];
  for (const spec of ['ToCc:addr', 'Bcc:addr']) {
    inputs.push(...getHeaderList(ctx, spec));
    if (inputs.length >= SIMILAR_MIN) break;
  }
  const out: string[] = [];
  let prev = '';
  for (const cur of inputs) {
    // SpamAssassin's loop stops at the first empty (or "0") address.
    if (cur === '' || cur === '0') break;
    if (cur.toLowerCase() !== prev.toLowerCase()) out.push((prev = cur));
    if (out.length === MAX_ADDRESSES) break;
  }
  return out;
}

/** Share of address pairs with the same 2-char user prefix, plus pairs on different hosts with the same 2-char host prefix. */
function similarity(addrs: readonly string[]): number {
  const user = addrs.map((a) => a.slice(0, PREFIX_LEN));
  // Addresses without '@' contribute no host, which shifts later hosts to earlier slots: kept for parity.
  const fqhn = addrs.flatMap((a) => {
    const i = a.indexOf('@');
    return i < 0 ? [] : [a.slice(i + 1)];
  });
  const host = fqhn.map((h) => h.slice(0, PREFIX_LEN));
  let hits = 0;
  let pairs = 0;
  for (let i = 0; i < addrs.length; i++) {
    for (let j = i + 1; j < addrs.length; j++) {
      if (user[i] === user[j]) hits++;
      if ((host[i] ?? '') === (host[j] ?? '') && (fqhn[i] ?? '') !== (fqhn[j] ?? '')) hits++;
      pairs++;
    }
  }
  return hits / pairs;
}

function recipientShape(ctx: ScanContext): RecipientShape {
  return ctx.memo('header-eval:recipients', () => {
    const addrs = recipientAddresses(ctx);
    const joined = addrs.join(',');
    const sorted = addrs.length >= SORTED_MIN && joined === [...addrs].sort().join(',');
    return { sorted, similarity: addrs.length >= SIMILAR_MIN ? similarity(addrs) : 0 };
  });
}

/** Similarity of the recipients is in [min, max) ('undef' leaves a side open). */
function similarRecipients(ctx: ScanContext, args: readonly (string | number)[]): boolean {
  const s = recipientShape(ctx).similarity;
  return s >= numArg(args, 0, -Infinity) && s < numArg(args, 1, Infinity);
}

export const headerRecipientEvals: readonly EvalDef[] = [
  { name: 'sorted_recipients', areas: ['header'], fn: (ctx) => recipientShape(ctx).sorted },
  { name: 'similar_recipients', areas: ['header'], fn: similarRecipients },
];
