/**
 * The labelled mail a rescoring run reads: `--ham` and `--spam` targets (files, folders,
 * Maildirs, mbox files, globs, as hamlet-learn reads them), one message at a time, and
 * where each falls: its cross-validation fold and whether it is held out.
 */
import { createHash } from 'node:crypto';
import { readMessages } from '../io/mailbox';
import { parseRfc822Date } from '../message/date';
import type { Message } from '../message/types';

/** One labelled message as read. */
export interface LabelledMessage {
  readonly id: string;
  readonly raw: Buffer;
  readonly spam: boolean;
  /** mass-check's format letter: `f` a file, `m` a message of an mbox. */
  readonly format: 'f' | 'm';
}

export interface CorpusTargets {
  readonly ham: readonly string[];
  readonly spam: readonly string[];
  /** Plain files are mbox files. */
  readonly mbox?: boolean;
  /** Why an input is not mail and is left out (an index file beside the messages), or undefined to keep it. */
  readonly notMail?: (raw: Buffer) => string | undefined;
  /** Told once per input left out. */
  readonly onSkip?: (id: string, why: string) => void;
}

/** Every ham, then every spam message the targets name (read lazily, so the corpus can be read again for a second pass). */
export function* labelledMessages(t: CorpusTargets): Generator<LabelledMessage> {
  for (const [targets, spam] of [[t.ham, false], [t.spam, true]] as const) {
    if (targets.length === 0) continue;
    for (const m of readMessages(targets, { mbox: t.mbox })) {
      const why = t.notMail?.(m.raw);
      if (why !== undefined) {
        t.onSkip?.(m.id, why);
        continue;
      }
      yield { id: m.id, raw: m.raw, spam, format: m.id.includes('#') ? 'm' : 'f' };
    }
  }
}

/** A number in [0, 1) from a message id: the stable stand-in for randomness in splits. */
export function idFraction(id: string, salt = ''): number {
  return createHash('sha1').update(salt).update(id).digest().readUInt32BE(0) / 2 ** 32;
}

/** The cross-validation fold of a message (0..k-1), from its id. */
export function foldOf(id: string, k: number): number {
  return Math.min(k - 1, Math.floor(idFraction(id, 'fold') * k));
}

/** Seconds since the epoch of the message's first Date header, when it parses. */
export function dateOf(msg: Message): number | undefined {
  const h = msg.headers.find((f) => f.key === 'date');
  return h ? parseRfc822Date(h.value) : undefined;
}

/** What the split needs of a message. */
export interface Splittable {
  readonly id: string;
  readonly spam: boolean;
  readonly time: number | undefined;
}

/**
 * Which messages are held out: in each class, the newest `fraction` of the dated messages
 * (so the fit is checked on mail that came after what it learned from), and of the undated
 * ones those whose id hashes below `fraction`.
 */
export function holdoutMask(msgs: readonly Splittable[], fraction: number): Uint8Array {
  const out = new Uint8Array(msgs.length);
  if (fraction <= 0) return out;
  for (const spam of [false, true]) {
    const dated: number[] = [];
    msgs.forEach((m, i) => {
      if (m.spam !== spam) return;
      if (m.time === undefined) out[i] = idFraction(m.id, 'holdout') < fraction ? 1 : 0;
      else dated.push(i);
    });
    dated.sort((a, b) => msgs[a]!.time! - msgs[b]!.time! || (msgs[a]!.id < msgs[b]!.id ? -1 : 1));
    const held = Math.round(dated.length * fraction);
    for (let k = dated.length - held; k < dated.length; k++) out[dated[k]!] = 1;
  }
  return out;
}
