/**
 * Facts about the Received chain that the relay model does not carry:
 * how many headers no known shape could read, and whether a hop's MTA
 * looked up reverse DNS and found none.
 */
import type { ScanContext } from '../engine/context';
import { headersNamed } from '../message/headers';
import { parseReceived } from '../message/received';
import type { Relay } from '../message/types';

/**
 * Local hand-overs SpamAssassin recognises and ignores but the relay parser
 * leaves unread (so they must not count as unparseable): sendmail submission
 * `(from user@localhost) by host`, juno's `(jqueuemail)`, sendmail's
 * `localhost (localhost [[UNIX: localhost]])` and Content Technologies
 * gateways, which record no IP.
 */
const LOCAL_PAREN_FROM: readonly RegExp[] = [/^\S+@localhost\) by \S+ /, /^[^\s@]+@[^)]+\) by \S+\(jqueuemail\) id [^\s;]+/];
const LOCAL_FROM: readonly RegExp[] = [/^localhost \(localhost \[\[UNIX: localhost\]\]\) by /, /^\S+ \(\S+\) by \S+ \(Content Technologies /];

/** True for Received values SpamAssassin skips on purpose (see LOCAL_PAREN_FROM). */
export function isKnownLocalHandover(value: string): boolean {
  const s = value.replace(/\s+/g, ' ').trim();
  if (s.startsWith('(from ')) return LOCAL_PAREN_FROM.some((re) => re.test(s.slice('(from '.length)));
  if (s.startsWith('from ')) return LOCAL_FROM.some((re) => re.test(s.slice('from '.length)));
  return false;
}

const UNPARSEABLE_KEY = 'relay-checks:unparseable';

/**
 * Received headers that parse to nothing at all. Unlike `RelayChain.skipped`,
 * headers recognised as local deliveries or mailbox fetches do not count:
 * SpamAssassin ignores those silently and only counts headers it cannot read.
 */
export function countUnparseable(ctx: ScanContext): number {
  let n = ctx.pluginState.get(UNPARSEABLE_KEY) as number | undefined;
  if (n === undefined) {
    n = 0;
    for (const h of headersNamed(ctx.msg.headers, 'received')) {
      const line = h.value.replace(/\r?\n[ \t]+/g, ' ');
      if (parseReceived(line) === undefined && !isKnownLocalHandover(line)) n++;
    }
    ctx.pluginState.set(UNPARSEABLE_KEY, n);
  }
  return n;
}

const IPISH = String.raw`[0-9A-Fa-f.:]+`;
const r = (src: string): RegExp => new RegExp(src.replace(/IP/g, IPISH));

/**
 * Shapes (of the text after `from `) and whether their MTA always records the
 * reverse lookup, so that an empty rDNS means "the host has none" rather than
 * "not written down". First match decides; no match means "not looked up".
 */
const LOOKUP_SHAPES: readonly (readonly [RegExp, boolean])[] = [
  // Domino never records the rDNS; Exim only when it has one.
  [/ \(Lotus Domino |Exim/, false],
  // qmail writes `unknown` itself when it was not told the name.
  [r(String.raw`^\S+(?: \((?:HELO|EHLO) \S*\))? \((?:\S+@)?\[?IP\]?\)(?: \(envelope-sender <\S+>\))? by \S+(?: \(.+\))* with (?:.* )?(?:SMTP|QMQP)(?! id )`), false],
  // Postfix / sendmail `helo (unknown [ip])`.
  [r(String.raw`^\S+ \(unknown ?\[IP\]`), true],
  // sendmail `helo ([ip])`, `helo (ident@[ip])`.
  [r(String.raw`^\S+ \(\[IP(?:[.:]\d+)?\]\).*? by \S+ `), true],
  [r(String.raw`^\S+ \((?:IDENT:)?\S*@\[IP\].*\) by \S+ \(`), true],
  [r(String.raw`^\S+ \[IP\] by \S+ \[IP\] with `), true],
  // Other qmail-like shapes: `unknown (HELO x) (ip)`, `unknown (ip)`.
  [r(String.raw`^\S+ \((?:HELO|EHLO) [^)]*\) \((?:\S*@)?\[?IP\]?\).* by \S+ `), true],
  [r(String.raw`^\S+ \((?:\S*@)?\[?IP\]?\).* by \S+ `), true],
];

/**
 * The relay's MTA looked up the connecting IP and found no name.
 * The relay model does not keep "looked up" per shape, so this recognises the
 * shapes from the header text (a `noReverseDns` flag on `Relay`, set by the
 * Received parser, would make this exact).
 */
export function hasNoReverseDns(relay: Relay): boolean {
  if (relay.rdns !== '') return false;
  const s = relay.source.replace(/\s+/g, ' ').trim().replace(/^from /i, '');
  for (const [re, lookedUp] of LOOKUP_SHAPES) if (re.test(s)) return lookedUp;
  return false;
}
