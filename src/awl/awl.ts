/**
 * The auto-welcomelist: pull a message's score toward its sender's history.
 *
 * As SpamAssassin 4.0.1 documents and does (observed):
 * - the sender is the first From address, lower-cased, plus the originating
 *   network (key.ts); without a From address the AWL does nothing;
 * - the score it works on is the message's score before the AWL, from the rules
 *   that run before it (priority <= 1000, the AWL rule's) minus rules with
 *   `tflags noautolearn`; Bayes (`tflags learn`) and `userconf` rules count;
 * - with a history (count > 0, mean = totscore / count):
 *   `delta = (mean - score) * auto_welcomelist_factor`, the AWL pseudo-rule's
 *   score (listed only when not 0); without one, delta is 0;
 * - then this score (not score + delta) is added to the history: count + 1,
 *   totscore + score;
 * - an entry with no IP (`none`, e.g. from `--add-addr-to-welcomelist`) is moved
 *   to the first network the address is seen from: its totals carry over, and it
 *   and every other entry of the address are dropped;
 * - a hit of a rule with `tflags noawl` turns the AWL off for the message.
 */
import type { CompiledRuleSet } from '../engine/scanner';
import { ruleLookup } from '../engine/rule-lookup';
import type { ScanResult } from '../engine/types';
import { headerText, parseHeaderRequest, type HeaderRequest } from '../message/header-access';
import type { Message } from '../message/types';
import { awlAddress, awlIpKey, NO_IP, originatingIp } from './key';
import type { AwlSettings } from './settings';
import type { AddrKey, AddrListStore } from './store';

/** Priority of SpamAssassin's AWL rule (60_awl.cf): rules after it are not in the score it sees. */
export const AWL_PRIORITY = 1000;

/** Who sent a message, as the AWL sees it. */
export interface AwlSender {
  /** The first From address (any case); undefined or '' when there is none. */
  readonly from: string | undefined;
  /** The originating IP (key.ts `originatingIp`); undefined when none is public. */
  readonly ip: string | undefined;
  /** The DKIM signing domain, used only with `auto_welcomelist_distinguish_signed`. */
  readonly signedBy?: string;
}

/** What the AWL did for one message. */
export interface AwlResult {
  /** The AWL pseudo-rule's score, rounded to 3 decimals; 0 = no hit. */
  readonly delta: number;
  /** The sender's mean score before this message (`_AWLMEAN_`); undefined without history. */
  readonly mean: number | undefined;
  /** Messages in the history before this one (`_AWLCOUNT_`). */
  readonly count: number;
  /** The score the AWL worked on and stored. */
  readonly score: number;
  /** The entry used. */
  readonly key: AddrKey;
  /** True when this score was added to the history. */
  readonly stored: boolean;
}

export type AwlConf = Pick<AwlSettings, 'factor' | 'ipv4MaskLen' | 'ipv6MaskLen' | 'distinguishSigned'>;

/** The score pull itself: `(mean - score) * factor`, rounded to 3 decimals as rule scores are. */
export function awlDelta(mean: number | undefined, score: number, factor: number): number {
  if (mean === undefined) return 0;
  const d = Math.round((mean - score) * factor * 1000) / 1000;
  return d === 0 ? 0 : d; // no -0
}

/** The store key for a sender, or undefined when it has no usable From address. */
export function awlKey(sender: AwlSender, conf: AwlConf): AddrKey | undefined {
  const email = awlAddress(sender.from ?? '');
  if (!/\S/.test(email)) return undefined;
  return {
    email,
    ip: awlIpKey(sender.ip, conf.ipv4MaskLen, conf.ipv6MaskLen),
    signedBy: conf.distinguishSigned ? (sender.signedBy ?? '').toLowerCase() : '',
  };
}

/**
 * Look the sender up, compute the AWL delta for `score`, and (unless
 * `learn: false`) add `score` to the history, all in one store transaction.
 * undefined when the message has no From address (the AWL does not apply).
 */
export async function awlAdjust(
  store: AddrListStore,
  sender: AwlSender,
  score: number,
  conf: AwlConf,
  opts: { readonly learn?: boolean; readonly now?: number } = {},
): Promise<AwlResult | undefined> {
  const key = awlKey(sender, conf);
  if (!key) return undefined;
  const learn = opts.learn ?? true;
  return store.atomically(async (tx) => {
    const entry = await tx.get(key);
    let count = entry?.count ?? 0;
    let total = entry?.totalScore ?? 0;
    if (count === 0 && key.ip !== NO_IP) {
      const noIp = await tx.get({ ...key, ip: NO_IP });
      if (noIp && noIp.count > 0) {
        count = noIp.count;
        total = noIp.totalScore;
        if (learn) {
          await tx.removeAddress(key.email, key.signedBy);
          await tx.put(key, count, total, opts.now);
        }
      }
    }
    if (count < 0 || !Number.isFinite(count) || !Number.isFinite(total)) {
      // Damaged history: start over, as SpamAssassin resets bad data.
      count = 0;
      total = 0;
      if (learn) await tx.put(key, 0, 0, opts.now);
    }
    const mean = count > 0 ? total / count : undefined;
    if (learn) await tx.addScore(key, score, opts.now);
    return { delta: awlDelta(mean, score, conf.factor), mean, count, score, key, stored: learn };
  });
}

/** One hit as the AWL weighs it. */
export interface AwlScoredHit {
  readonly score: number;
  readonly tflags?: ReadonlySet<string>;
  /** The rule's priority (0 when unset). */
  readonly priority?: number;
}

/** The AWL's view of a scan's score. */
export interface AwlInput {
  /** What the AWL works on and stores: hits with priority <= 1000, without `tflags noautolearn`. */
  readonly score: number;
  /** The message's score when the AWL runs (priority <= 1000, noautolearn rules included): `_AWLPRESCORE_`. */
  readonly preScore: number;
  /** A hit has `tflags noawl`: the AWL neither adjusts nor stores. */
  readonly skip: boolean;
}

/** The score the AWL works on (and the score before it), from the hits. */
export function awlInputScore(hits: readonly AwlScoredHit[], awlPriority = AWL_PRIORITY): AwlInput {
  let score = 0;
  let pre = 0;
  let skip = false;
  for (const h of hits) {
    if (h.tflags?.has('noawl')) skip = true;
    if ((h.priority ?? 0) > awlPriority) continue;
    pre += h.score;
    if (!h.tflags?.has('noautolearn')) score += h.score;
  }
  return { score: Math.round(score * 1000) / 1000, preScore: Math.round(pre * 1000) / 1000, skip };
}

/** `awlInputScore` over a scan's hits, reading tflags and priorities from its rule set (the AWL's own hit, if listed, is left out). */
export function awlInputFromScan(result: ScanResult, rules: CompiledRuleSet, awlRuleName = 'AWL'): AwlInput {
  const find = ruleLookup(rules);
  const hits: AwlScoredHit[] = [];
  for (const h of result.hits) {
    if (h.name === awlRuleName) continue;
    const r = find(h.name);
    hits.push({ score: h.score, tflags: r?.tflags, priority: r?.priority });
  }
  return awlInputScore(hits);
}

const FROM_ADDR = parseHeaderRequest('From:addr') as HeaderRequest;

/** The sender of a parsed message: its first From address and its originating IP. */
export function awlSenderOf(msg: Message, signedBy?: string): AwlSender {
  return { from: headerText(msg, FROM_ADDR), ip: originatingIp(msg.relays), signedBy };
}
