/** `all_from_addrs` and `all_to_addrs` (message/list-addresses.ts), memoised per scan for the list evals. */
import type { ScanContext } from '../engine/context';
import { fromAddrsOf, toAddrsOf } from '../message/list-addresses';

/** Sender addresses (see fromAddrsOf). */
export function allFromAddrs(ctx: ScanContext): readonly string[] {
  return ctx.memo('lists:from-addrs', () => fromAddrsOf(ctx.msg));
}

/** Recipient addresses (see toAddrsOf). */
export function allToAddrs(ctx: ScanContext): readonly string[] {
  return ctx.memo('lists:to-addrs', () => toAddrsOf(ctx.msg));
}
