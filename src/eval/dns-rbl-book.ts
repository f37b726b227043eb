/**
 * What the DNSEval rules of one scan asked, kept in the scan's network state: each set's
 * queries (so `check_rbl_sub` reads the answers of its set's `check_rbl` queries and never
 * asks again), every query in start order (for the `_RBL_` tag), and the sub-tests each rule's
 * arguments parse to (once per compiled rule, not per scan).
 */
import type { NetScan } from '../dns/net-scan';
import { parseRblSubtest, rblAnswerValues, rblSubtestMatch, type RblSubtest } from '../dns/rbl-subtest';
import { answerAddresses, answerTexts } from '../dns/types';
import type { EvalArg } from '../engine/types';

/** One blocklist query: the name asked and its type. */
export interface RblQuery {
  readonly name: string;
  readonly type: 'A' | 'TXT';
}

/** A scan's DNSEval queries. */
export class RblBook {
  /** Queries by set name, each once, in start order. */
  readonly sets = new Map<string, RblQuery[]>();
  /** Every query once, in start order (the `_RBL_` tag lists their positive answers). */
  readonly all: RblQuery[] = [];
  /** What each rule asked, by its arguments (the start may have filtered by its tflags). */
  readonly byRule = new WeakMap<readonly EvalArg[], RblQuery[]>();
  private readonly seen = new Set<string>();
  tagDone = false;

  /** Start `q` for `set` (once per scan however many rules ask); false when policy refused it. */
  ask(net: NetScan, set: string, q: RblQuery): boolean {
    const key = `${q.type} ${q.name}`;
    if (!this.seen.has(key)) {
      if (!net.query(q.name, q.type)) return false;
      this.seen.add(key);
      this.all.push(q);
    }
    let list = this.sets.get(set);
    if (!list) this.sets.set(set, (list = []));
    if (!list.some((x) => x.name === q.name && x.type === q.type)) list.push(q);
    return true;
  }
}

const BOOK = 'dnseval';

/** The scan's book (created on first use). */
export function rblBook(net: NetScan): RblBook {
  return net.state(BOOK, () => new RblBook());
}

/** The positive values of a query's answer (none while pending, on error or when not listed). */
export function answerValues(net: NetScan, q: RblQuery): string[] {
  const a = net.lookup(q.name, q.type)?.result();
  return a ? rblAnswerValues(a) : [];
}

/** True when some query's answer has a value the sub-test accepts. */
export function anyListed(net: NetScan, queries: readonly RblQuery[], sub: RblSubtest): boolean {
  return queries.some((q) => rblSubtestMatch(sub, answerValues(net, q)) !== undefined);
}

const parsed = new WeakMap<readonly EvalArg[], RblSubtest | { error: string }>();

/** The sub-test in argument `i` of a rule's arguments, parsed once per compiled rule. */
export function subtestArg(args: readonly EvalArg[], i: number): RblSubtest | { error: string } {
  let p = parsed.get(args);
  if (!p) {
    const v = args[i];
    parsed.set(args, (p = parseRblSubtest(v === undefined ? undefined : String(v))));
  }
  return p;
}

/**
 * Fill the `_RBL_` tag once the answers are in: one line per query that got records,
 * `<dns:NAME> [v1, v2]` (`?type=TXT` after a TXT name), as SpamAssassin 4.0.1 was seen to
 * print it: every A record (even outside 127/8) or TXT text, whether or not a rule's sub-test
 * accepted it. (SpamAssassin lists the values in no fixed order; hamlet keeps the answer's.)
 */
export function fillRblTag(net: NetScan): void {
  const book = rblBook(net);
  if (book.tagDone) return;
  book.tagDone = true;
  const lines: string[] = [];
  for (const q of book.all) {
    const a = net.lookup(q.name, q.type)?.result();
    const values = a === undefined || a.status !== 'NOERROR' ? [] : q.type === 'TXT' ? answerTexts(a) : answerAddresses(a);
    if (values.length > 0) lines.push(`<dns:${q.name}${q.type === 'A' ? '' : `?type=${q.type}`}> [${values.join(', ')}]`);
  }
  if (lines.length > 0) net.tags.set('RBL', lines.join('\n'));
}
