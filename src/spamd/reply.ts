/**
 * spamd 4.0.1's success replies, byte for byte. Every reply is built whole so the
 * server can send it in one write (the npm client splits chunks on CRLF).
 *
 * - The status line is `SPAMD/1.1 0 EX_OK` on success, `SPAMD/1.0 0 EX_OK` for
 *   PROCESS/HEADERS below 1.2, `SPAMD/1.5 0 PONG` for PING.
 * - `Spam: True|False ; <score> / <required>`, one decimal each; REPORT_IFSPAM says Yes/No.
 * - From 1.3 on, bodies carry `Content-length` then `Spam`; 1.2 sends only
 *   Content-length for PROCESS/HEADERS; SYMBOLS below 1.3 ends in CRLF.
 */
import { fixed, tagScore } from '../report/format';
import type { Verb } from './request';

/** The three numbers every answer shows. */
export interface Verdict {
  readonly score: number;
  readonly required: number;
  readonly isSpam: boolean;
}

const OK = 'SPAMD/1.1 0 EX_OK\r\n';

/** The `Spam:` header value; a ham whose rounded score equals the threshold shows threshold - 0.1. */
export function spamValue(v: Verdict, yesNo = false): string {
  const word = yesNo ? (v.isSpam ? 'Yes' : 'No') : v.isSpam ? 'True' : 'False';
  return `${word} ; ${tagScore(v.score, v.required, v.isSpam)} / ${fixed(v.required, 1)}`;
}

/** CHECK: the status and the Spam header, at any version. */
export function checkReply(v: Verdict): Buffer {
  return Buffer.from(`${OK}Spam: ${spamValue(v)}\r\n\r\n`, 'latin1');
}

/** SYMBOLS: the comma-joined rule names. */
export function symbolsReply(v: Verdict, version: number, tests: readonly string[]): Buffer {
  const list = tests.join(',');
  return bodyReply(v, version, Buffer.from(version < 1.3 ? list + '\r\n' : list, 'latin1'), false);
}

/** REPORT, and REPORT_IFSPAM (empty body for ham). */
export function reportReply(v: Verdict, version: number, report: string, ifSpam: boolean): Buffer {
  const body = ifSpam && !v.isSpam ? Buffer.alloc(0) : Buffer.from(report, 'utf8');
  return bodyReply(v, version, body, ifSpam);
}

function bodyReply(v: Verdict, version: number, body: Buffer, yesNo: boolean): Buffer {
  const len = version >= 1.3 ? `Content-length: ${body.length}\r\n` : '';
  return Buffer.concat([Buffer.from(`${OK}${len}Spam: ${spamValue(v, yesNo)}\r\n\r\n`, 'latin1'), body]);
}

/** PROCESS (the marked message) and HEADERS (its header block). */
export function messageReply(v: Verdict, version: number, message: Buffer): Buffer {
  if (version < 1.2) return Buffer.concat([Buffer.from('SPAMD/1.0 0 EX_OK\r\n', 'latin1'), message]);
  const spam = version >= 1.3 ? `Spam: ${spamValue(v)}\r\n` : '';
  return Buffer.concat([Buffer.from(`${OK}Content-length: ${message.length}\r\n${spam}\r\n`, 'latin1'), message]);
}

/** PING. */
export function pongReply(): Buffer {
  return Buffer.from('SPAMD/1.5 0 PONG\r\n', 'latin1');
}

/** TELL: what was done (`local`, `remote`), then a blank line and an empty CRLF body. */
export function tellReply(didSet: readonly string[], didRemove: readonly string[]): Buffer {
  let s = OK;
  if (didSet.length > 0) s += `DidSet: ${didSet.join(',')}\r\n`;
  if (didRemove.length > 0) s += `DidRemove: ${didRemove.join(',')}\r\n`;
  return Buffer.from(s + '\r\n\r\n', 'latin1');
}

/** The verbs that need a scan, and what each needs from it. */
export type ScanNeed = 'verdict' | 'tests' | 'report' | 'marked' | 'headers';
export function needOf(verb: Verb): ScanNeed | undefined {
  switch (verb) {
    case 'CHECK':
      return 'verdict';
    case 'SYMBOLS':
      return 'tests';
    case 'REPORT':
    case 'REPORT_IFSPAM':
      return 'report';
    case 'PROCESS':
      return 'marked';
    case 'HEADERS':
      return 'headers';
    default:
      return undefined;
  }
}
