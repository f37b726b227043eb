/**
 * Template tags (`_SCORE_`, `_TESTS(,)_`, `_STARS(*)_`, ...) as in add_header
 * and report templates. Unknown tags are left as written, as SpamAssassin does.
 */
import type { ScanResult } from '../engine/types';
import type { Message } from '../message/types';
import { envelopeFrom, headerText, parseHeaderRequest, type HeaderRequest } from '../message/header-access';
import { fixed, tagScore } from './format';
import type { MarkupOptions } from './markup';
import { contentPreview } from './preview';
import { summaryTable, terseReport, type HitDetails } from './summary';

/** Everything tags may show about one scan. */
export interface TagInput {
  readonly result: ScanResult;
  readonly msg: Message;
  readonly version: string;
  readonly subversion: string;
  readonly hostname: string;
  readonly contact: string;
  /** `autolearn=` value: `disabled`, `no`, `ham`, `spam`, `unavailable`, ... */
  readonly autolearn: string;
  readonly autolearnScore?: number;
  /** Bayes probability, when Bayes ran. */
  readonly bayes?: number;
  readonly details?: HitDetails;
  readonly reportWidth?: number;
  /** Extra or overriding tags (plugins, spamd's REMOTEHOSTNAME, ...). */
  readonly extra?: Readonly<Record<string, string>>;
}

const FROM_ADDR: HeaderRequest = { name: 'From', raw: false, addr: true, displayName: false, first: false, last: false };

type TagFn = (t: TagInput, arg: string | undefined) => string;

const yesNo = (t: TagInput, arg: string | undefined): string => {
  if (arg === undefined) return t.result.isSpam ? 'Yes' : 'No';
  // _YESNO(yes-text,no-text)_
  const [y = '', n = ''] = arg.split(',', 2);
  return t.result.isSpam ? y : n;
};

const score = (t: TagInput, pad: string | undefined): string => {
  const s = tagScore(t.result.score, t.result.required, t.result.isSpam);
  if (pad !== undefined && /^(?:0+| +)$/.test(pad)) {
    const count = pad.length + 3 - s.length;
    if (count > 0) return pad.slice(0, count) + s;
  }
  return s;
};

const TAGS: Readonly<Record<string, TagFn>> = {
  YESNO: yesNo,
  YESNOCAPS: (t, a) => yesNo(t, a).toUpperCase(),
  SCORE: score,
  HITS: score,
  REQD: (t) => fixed(t.result.required, 1),
  VERSION: (t) => t.version,
  SUBVERSION: (t) => t.subversion,
  HOSTNAME: (t) => t.hostname,
  CONTACTADDRESS: (t) => t.contact,
  BAYES: (t) => (t.bayes === undefined ? '0.5' : t.bayes.toFixed(4)),
  STARS: (t, a) => {
    const n = Math.min(50, Math.trunc(t.result.score));
    return n > 0 ? (a || '*').repeat(n) : '';
  },
  AUTOLEARN: (t) => t.autolearn,
  AUTOLEARNSCORE: (t) => String(t.autolearnScore ?? 0),
  TESTS: (t, a) => t.result.tests.join(a ?? ',') || 'none',
  // Sub-rules in code-point order, each listed once per hit (SUBTESTSCOLLAPSED: NAME(count)).
  SUBTESTS: (t, a) => subtests(t).flatMap(([n, c]) => Array<string>(c).fill(n)).join(a ?? ',') || 'none',
  SUBTESTSCOLLAPSED: (t, a) => subtests(t).map(([n, c]) => (c > 1 ? `${n}(${c})` : n)).join(a ?? ',') || 'none',
  TESTSSCORES: (t, a) => t.result.hits.map((h) => `${h.name}=${h.score}`).sort().join(a ?? ',') || 'none',
  PREVIEW: (t) => contentPreview(t.msg),
  SUMMARY: (t) => summaryTable(t.result.hits, t.details, t.reportWidth),
  REPORT: (t) => '\n' + terseReport(t.result.hits, t.details, t.reportWidth),
  DATE: () => rfc2822Date(new Date()),
  FIRSTTRUSTEDIP: (t) => t.msg.relays.trusted[t.msg.relays.trusted.length - 1]?.ip ?? '',
  FIRSTTRUSTEDREVIP: (t) => reverseIp(t.msg.relays.trusted[t.msg.relays.trusted.length - 1]?.ip),
  LASTEXTERNALIP: (t) => t.msg.relays.external[0]?.ip ?? '',
  LASTEXTERNALREVIP: (t) => reverseIp(t.msg.relays.external[0]?.ip),
  RELAYSTRUSTED: (t) => t.msg.relays.pseudoHeaders.trusted,
  RELAYSUNTRUSTED: (t) => t.msg.relays.pseudoHeaders.untrusted,
  RELAYSINTERNAL: (t) => t.msg.relays.pseudoHeaders.internal,
  RELAYSEXTERNAL: (t) => t.msg.relays.pseudoHeaders.external,
  SENDERDOMAIN: (t) => domainOf(envelopeFrom(t.msg)),
  AUTHORDOMAIN: (t) => domainOf(headerText(t.msg, FROM_ADDR)),
  TIMING: (t) => `total ${Math.round(t.result.ms)} ms - `,
  LASTEXTERNALRDNS: (t) => t.msg.relays.external[0]?.rdns ?? '',
  LASTEXTERNALHELO: (t) => t.msg.relays.external[0]?.helo ?? '',
  REMOTEHOSTNAME: () => 'localhost',
  REMOTEHOSTADDR: () => '127.0.0.1',
  HEADER: (t, a) => {
    if (!a) return '';
    const req = parseHeaderRequest(a);
    return 'error' in req ? '' : (headerText(t.msg, req) ?? '');
  },
};

/** Tags of plugins and stores hamlet does not run here: SpamAssassin shows them empty too. */
for (const name of ['RULESVERSION', 'TOKENSUMMARY', 'BAYESTC', 'BAYESTCLEARNED', 'BAYESTCSPAMMY', 'BAYESTCHAMMY', 'HAMMYTOKENS',
  'SPAMMYTOKENS', 'DCCB', 'DCCR', 'PYZOR', 'RBL', 'LANGUAGES', 'SUBJPREFIX', 'ASN', 'ASNCIDR', 'AWL', 'AWLMEAN', 'AWLCOUNT',
  'AWLPRESCORE']) {
  (TAGS as Record<string, TagFn>)[name] ??= () => '';
}

const showsSubtestsMemo = new WeakMap<MarkupOptions, boolean>();

/**
 * Whether a template of `o` shows sub-rule hits (`_SUBTESTS_`, `_SUBTESTSCOLLAPSED_`): the scan
 * must then decide every sub-rule, not only those its metas needed (`ScanOptions.allSubrules`).
 */
export function showsSubtests(o: MarkupOptions): boolean {
  let v = showsSubtestsMemo.get(o);
  if (v === undefined) {
    const templates = [o.reportTemplate, o.unsafeReportTemplate, ...o.headersSpam.map((h) => h.template), ...o.headersHam.map((h) => h.template), ...Object.values(o.rewriteHeader)];
    v = templates.some((t) => t !== undefined && /_SUBTESTS(?:COLLAPSED)?[_(]/.test(t));
    showsSubtestsMemo.set(o, v);
  }
  return v;
}

function subtests(t: TagInput): [string, number][] {
  return [...t.result.counts].filter(([n, c]) => n.startsWith('__') && c > 0).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

function reverseIp(ip: string | undefined): string {
  if (!ip) return '';
  if (ip.includes(':')) return ip; // SpamAssassin reverses IPv4 only
  return ip.split('.').reverse().join('.');
}

function domainOf(addr: string | undefined): string {
  const at = addr?.lastIndexOf('@') ?? -1;
  return at < 0 ? '' : addr!.slice(at + 1).trim().toLowerCase();
}

/** Expand every `_TAG_` / `_TAG(arg)_` in `template`. */
export function expandTags(template: string, input: TagInput): string {
  return template.replace(/_([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*)(?:\((.*?)\))?_/g, (whole, name: string, arg: string | undefined) => {
    const extra = input.extra?.[name];
    if (extra !== undefined) return extra;
    // Tags captured by rules: their values, space-separated (SpamAssassin's rule captures).
    const captured = input.result.captures?.get(name);
    if (captured !== undefined) return captured.join(' ');
    const fn = TAGS[name];
    return fn ? fn(input, arg) : whole;
  });
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `Sun, 22 Nov 2026 12:12:44 +0000` in local time with its offset. */
export function rfc2822Date(d: Date): string {
  const off = -d.getTimezoneOffset();
  const sign = off >= 0 ? '+' : '-';
  const abs = Math.abs(off);
  const p2 = (n: number) => String(n).padStart(2, '0');
  return `${DAYS[d.getDay()]}, ${p2(d.getDate())} ${MONTHS[d.getMonth()]} ${d.getFullYear()} ${p2(d.getHours())}:${p2(d.getMinutes())}:${p2(d.getSeconds())} ${sign}${p2(Math.floor(abs / 60))}${p2(abs % 60)}`;
}
