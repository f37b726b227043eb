/** A scan result and template input for markup tests, without running a scan. */
import type { ScanResult } from '../../src/engine/types';
import { parseMessage } from '../../src/message/parse';
import type { MarkupOptions } from '../../src/report/markup';
import type { TagInput } from '../../src/report/tags';

/** The markup options tests do not vary: wording, product, host and a fixed clock. */
export const FIXED_MARKUP = {
  unsafeReportTemplate: 'The original message was not completely plain text.\n',
  contentDescription: 'original message before hamlet',
  product: 'hamlet (version 0.1.0)',
  hostname: 'test.example',
  now: new Date(Date.UTC(2026, 10, 22, 12, 0, 0)),
} as const satisfies Partial<MarkupOptions>;

/** One TEST_RULE hit: 9.8 points when spam, -1.5 when ham. */
export const fixedResult = (isSpam: boolean): ScanResult => ({
  score: isSpam ? 9.8 : -1.5,
  required: 5,
  isSpam,
  hits: [{ name: 'TEST_RULE', score: isSpam ? 9.8 : -1.5, describe: 'A test rule', area: 'body', count: 1 }],
  tests: ['TEST_RULE'],
  counts: new Map([['TEST_RULE', 1]]),
  scoreSet: 0,
  timedOut: false,
  ms: 1,
});

/** What templates show for `raw` scanned as `fixedResult(isSpam)`. */
export const fixedTags = (raw: Buffer, isSpam: boolean): TagInput => ({
  result: fixedResult(isSpam),
  msg: parseMessage(raw),
  version: '0.1.0',
  subversion: 'test',
  hostname: 'test.example',
  contact: 'postmaster',
  autolearn: 'disabled',
});
