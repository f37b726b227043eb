/**
 * What a check produces for the caller: the templates expanded, the message marked up, the
 * report; built lazily from a scan result. The check itself is src/check/ (`check`,
 * `checkMessage`).
 */
import type { ScanOptions } from '../engine/scanner';
import type { ScanResult } from '../engine/types';
import type { Message } from '../message/types';
import { markupMessage } from './markup';
import type { ReportSettings } from './settings';
import type { HitDetails } from './summary';
import { expandTags, type TagInput } from './tags';

export { markupOptionsFrom, type ReportSettings } from './settings';

/** Per-call choices; all optional. */
export interface CheckOptions {
  /** From `markupOptionsFrom(rules)`; computed per call when omitted (compute it once for many messages). */
  readonly settings?: ReportSettings;
  readonly scan?: ScanOptions;
  /** `_AUTOLEARN_`: `disabled` unless the caller ran autolearn. */
  readonly autolearn?: string;
  readonly autolearnScore?: number;
  /** Bayes probability, when Bayes ran (`_BAYES_`). */
  readonly bayes?: number;
  /** Extra lines under a rule in the report table, by rule name. */
  readonly details?: HitDetails;
  /** Extra or overriding template tags (spamd's `REMOTEHOSTNAME`, plugins' tags). */
  readonly extraTags?: Readonly<Record<string, string>>;
}

/** What one check produced. */
export interface CheckOutcome {
  readonly msg: Message;
  readonly result: ScanResult;
  /** What the templates were expanded with (to expand more templates later). */
  readonly tags: TagInput;
  /** The message as `hamlet` prints it: X-Spam headers, rewritten headers, report_safe wrapper. */
  readonly marked: Buffer;
  /** The report (`-t` appends it; spamd's REPORT body): the `report` template expanded. */
  readonly report: string;
  /** The header block of `marked`, up to and including its blank line (spamd's HEADERS). */
  readonly headers: string;
}

/** The values templates show for one scan. */
export function tagInput(msg: Message, result: ScanResult, settings: ReportSettings, opts: CheckOptions = {}): TagInput {
  return {
    result,
    msg,
    version: settings.version,
    subversion: settings.subversion,
    hostname: settings.reportHostname,
    contact: settings.contact,
    autolearn: opts.autolearn ?? 'disabled',
    autolearnScore: opts.autolearnScore,
    bayes: opts.bayes,
    details: opts.details,
    reportWidth: settings.reportWidth,
    extra: opts.extraTags,
  };
}

/**
 * The report text: the `report` template expanded, ending in exactly one blank
 * line, or `(no report template found)` when the template is empty.
 */
export function reportText(tags: TagInput, settings: ReportSettings): string {
  const text = expandTags(settings.reportTemplate || '(no report template found)', tags);
  return text.replace(/\n*$/, '\n\n');
}

/** The header block of a marked message (binary string), with its blank line. */
export function headerBlock(marked: Buffer): string {
  const s = marked.toString('latin1');
  const m = /\r?\n\r?\n/.exec(s);
  return m ? s.slice(0, m.index + m[0].length) : s;
}

/**
 * Expand the templates and mark the message up for a scan result (the check pipeline's last
 * step; see src/check/steps.ts).
 */
export function markCheckedMessage(msg: Message, result: ScanResult, settings: ReportSettings, opts: CheckOptions = {}): CheckOutcome {
  const tags = tagInput(msg, result, settings, opts);
  // Built on first read: spamd's CHECK/SYMBOLS/REPORT send no message, and the
  // markup is a measurable share of a scan's CPU.
  let marked: Buffer | undefined;
  let report: string | undefined;
  let headers: string | undefined;
  return {
    msg,
    result,
    tags,
    get marked(): Buffer {
      return (marked ??= markupMessage(msg, tags, settings));
    },
    get report(): string {
      return (report ??= reportText(tags, settings));
    },
    get headers(): string {
      return (headers ??= headerBlock(this.marked));
    },
  };
}
