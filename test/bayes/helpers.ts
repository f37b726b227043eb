/** Shared fixtures for the Bayes tests: synthetic messages, settings, temp databases. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bayesSettings, type BayesSettings } from '../../src/bayes/index';
import { parseMessage } from '../../src/message/parse';
import type { Message } from '../../src/message/types';

/** Default settings (English stop words, no ignored headers) with the given overrides. */
export function testSettings(opts: Record<string, string> = {}): BayesSettings {
  return bayesSettings(opts);
}

/** A temp folder removed after the test. */
export function tempDir(t: { after(fn: () => void): void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'hamlet-bayes-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

const SPAM_WORDS = ['viagra', 'lottery', 'winner', 'cheapest', 'mortgage', 'casino', 'refinance', 'millions', 'guaranteed', 'unclaimed'];
const HAM_WORDS = ['meeting', 'patch', 'kernel', 'review', 'lunch', 'deadline', 'compiler', 'thesis', 'agenda', 'release'];

/** A distinct synthetic message: class words, a unique token, a Message-ID. */
export function synthetic(kind: 'spam' | 'ham', i: number, date = 'Mon, 01 Jul 2002 12:00:00 +0000'): Message {
  const words = kind === 'spam' ? SPAM_WORDS : HAM_WORDS;
  const body = [words.join(' '), `unique${kind}${i}x`, `serial${i % 7}z`].join('\n');
  const raw = [
    `From: ${kind}${i} <${kind}${i}@${kind}.example.com>`,
    'To: user@example.org',
    `Subject: ${kind} number ${i}`,
    `Date: ${date}`,
    `Message-ID: <${kind}.${i}@example.com>`,
    '',
    body,
    '',
  ].join('\n');
  return parseMessage(Buffer.from(raw));
}

/** Everything an async iterable yields (a store's dump iterators). */
export async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}
