/**
 * The sub-test of `check_rbl` / `check_rbl_sub` / `check_rbl_txt`: what an answer must be for
 * the rule to hit. SpamAssassin's Conf documentation gives three forms, and SpamAssassin 4.0.1
 * was observed (against a test DNS server) to read them so:
 * - a dotted quad (`127.0.0.2`): an A answer equal to it;
 * - a decimal number (`8`): a bitmask, hit when the A answer, read as a 32-bit number, shares a bit;
 * - anything else is a Perl regex on the answer (the address, or a TXT record's text); so
 *   `127.0.0.8-127.0.0.15` or `127.0.0.8/255.255.255.248` are regexes here, not a range or a mask
 *   (those forms belong to `urirhssub`, see uri-subtest.ts);
 * - no sub-test: any answer.
 * An A answer outside 127.0.0.0/8 hits nothing, whatever the sub-test.
 */
import { translatePerlRegex } from '../regex/perl-regex';
import { ipv4ToInt, isListingAddress } from './blocklist';
import { answerTexts, recordsOfType, type DnsAnswer } from './types';

export type RblSubtest =
  | { readonly kind: 'any' }
  | { readonly kind: 'address'; readonly address: string }
  | { readonly kind: 'bitmask'; readonly mask: number }
  | { readonly kind: 'regex'; readonly re: RegExp };

/** Read a sub-test (undefined or '' for none); an error message when its regex cannot be used. */
export function parseRblSubtest(text: string | undefined): RblSubtest | { error: string } {
  if (text === undefined || text === '') return { kind: 'any' };
  if (/^\d+\.\d+\.\d+\.\d+$/.test(text)) return { kind: 'address', address: text };
  if (/^\d+$/.test(text)) return { kind: 'bitmask', mask: Number(text) };
  const t = translatePerlRegex(text, '', true);
  if ('error' in t) return { error: `sub-test ${text}: ${t.error}` };
  return { kind: 'regex', re: t.re };
}

/** What a sub-test is matched against: listing addresses of an A answer, texts of a TXT answer. */
export function rblAnswerValues(answer: DnsAnswer): string[] {
  if (answer.status !== 'NOERROR') return [];
  if (answer.type === 'TXT') return answerTexts(answer);
  return recordsOfType(answer, 'A').map((r) => r.address).filter(isListingAddress);
}

/** The first value the sub-test accepts (for the report's `_RBL_` tag), or undefined. */
export function rblSubtestMatch(sub: RblSubtest, values: readonly string[]): string | undefined {
  return values.find((v) => {
    switch (sub.kind) {
      case 'any':
        return true;
      case 'address':
        return v === sub.address;
      case 'bitmask': {
        const n = ipv4ToInt(v);
        return n !== undefined && (n & sub.mask) >>> 0 !== 0;
      }
      case 'regex':
        sub.re.lastIndex = 0;
        return sub.re.test(v);
    }
  });
}
