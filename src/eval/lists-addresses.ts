/** `all_from_addrs` and `all_to_addrs` (message/list-addresses.ts), memoised per scan for the list evals. */
import type { ScanContext } from '../engine/context';
import { fromAddrsOf, toAddrsOf } from '../message/list-addresses';

function memo(ctx: ScanContext, key: string, make: () => string[]): readonly string[] {
  let out = ctx.pluginState.get(key) as string[] | undefined;
  if (!out) ctx.pluginState.set(key, (out = make()));
  return out;
}

/** Sender addresses (see fromAddrsOf). */
export function allFromAddrs(ctx: ScanContext): readonly string[] {
  return memo(ctx, 'lists:from-addrs', () => fromAddrsOf(ctx.msg));
}

/** Recipient addresses (see toAddrsOf). */
export function allToAddrs(ctx: ScanContext): readonly string[] {
  return memo(ctx, 'lists:to-addrs', () => toAddrsOf(ctx.msg));
}
