/**
 * The message sa-learn learns from: one already marked by a checker (it has an
 * `X-Spam-Checker-Version` field, from SpamAssassin or hamlet) is learned with the
 * markup taken off (the report_safe wrapper opened, X-Spam-* fields dropped), so the
 * report's words and headers do not become tokens.
 */
import { parseMessage } from '../message/parse';
import type { Message } from '../message/types';
import type * as RemoveMarkup from '../report/remove-markup';
import { lazy } from '../util/lazy';

/** Loaded on the first marked message: a learn worker starts ~10 ms sooner without the report modules. */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const markup = lazy(() => require('../report/remove-markup') as typeof RemoveMarkup);

export function learnableMessage(raw: Buffer): Message {
  const msg = parseMessage(raw);
  if (!msg.headers.some((h) => h.key === 'x-spam-checker-version')) return msg;
  return parseMessage(markup().removeMarkup(raw));
}
