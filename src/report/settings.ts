/**
 * From the loaded configuration to the options markup and reports run with:
 * the X-Spam header list (add_header / remove_header / clear_headers /
 * report_safe 0, replayed in the order read), rewrite_header, report templates,
 * report_safe and the template values (report_contact, report_hostname, ...).
 */
import { hostname as osHostname } from 'node:os';
import type { RuleSet } from '../config/compile';
import { HEADER_OPS_OPTION, optBool, optList, optNumber, optString, type OptionValues } from '../options/option-values';
import type { AddedHeader } from './added-headers';
import type { MarkupOptions } from './markup';
import { HAMLET_VERSION, HAMLET_SUBVERSION } from '../util/version';

/** Everything a check needs besides the rules: markup layout and the values tags show. */
export interface ReportSettings extends MarkupOptions {
  readonly version: string;
  readonly subversion: string;
  /** `report_hostname` or this machine's name (`_HOSTNAME_`). */
  readonly reportHostname: string;
  /** `report_contact` (`_CONTACTADDRESS_`). */
  readonly contact: string;
  /** `report_wrap_width`. */
  readonly reportWidth: number;
}

/** The Checker-Version header every list starts with (SpamAssassin cannot remove it either). */
const CHECKER: AddedHeader = { name: 'Checker-Version', template: 'hamlet _VERSION_ (_SUBVERSION_) on _HOSTNAME_' };

/** Applied before the configuration's header lines: SpamAssassin's usual four. */
const DEFAULT_OPS = [
  'clear_headers ',
  'add_header all Checker-Version hamlet _VERSION_ (_SUBVERSION_) on _HOSTNAME_',
  'add_header spam Flag _YESNOCAPS_',
  'add_header all Level _STARS(*)_',
  'add_header all Status "_YESNO_, score=_SCORE_ required=_REQD_ tests=_TESTS_ autolearn=_AUTOLEARN_ version=_VERSION_"',
];

/** Used when the configuration has no `report` line at all. */
export const DEFAULT_REPORT_TEMPLATE = [
  'Spam detection software, running on the system "_HOSTNAME_",',
  'has_YESNO(, NOT)_ identified this incoming email as_YESNO( possible,)_ spam.  The original',
  'message has been attached to this so you can view it or label',
  'similar future email.  If you have any questions, see',
  '_CONTACTADDRESS_ for details.',
  '',
  'Content preview:  _PREVIEW_',
  '',
  'Content analysis details:   (_SCORE_ points, _REQD_ required)',
  '',
  ' pts rule name              description',
  '---- ---------------------- --------------------------------------------------',
  '_SUMMARY_',
].map((l) => l + '\n').join('');

/** Used when the configuration has no `unsafe_report` line at all. */
export const DEFAULT_UNSAFE_REPORT_TEMPLATE = [
  'The original message was not completely plain text, and may be unsafe to',
  'open with some email clients; in particular, it may contain a virus,',
  'or confirm that your address can receive spam.  If you wish to view',
  'it, it may be safer to save it to a file and open it with an editor.',
].map((l) => l + '\n').join('');

/** `\t` and `\n` escapes of an add_header template; `\\` is a backslash, other escapes vanish. */
function unescapeTemplate(s: string): string {
  return s
    .split('\\\\')
    .map((piece) => piece.replace(/\\t/g, '\t').replace(/\\n/g, '\n').replace(/\\[\s\S]/g, ''))
    .join('\\');
}

const unquote = (s: string): string => /^"(.*)"$/s.exec(s)?.[1] ?? s;

type Lists = { spam: AddedHeader[]; ham: AddedHeader[] };

function applyHeaderOp(lists: Lists, op: string): void {
  const sp = op.indexOf(' ');
  const key = op.slice(0, sp);
  const value = op.slice(sp + 1).trim();
  const which = (type: string): (keyof Lists)[] => (type === 'all' ? ['spam', 'ham'] : [type as keyof Lists]);
  if (key === 'clear_headers') {
    for (const k of ['spam', 'ham'] as const) lists[k] = lists[k].filter((h) => h.name.toLowerCase() === 'checker-version').slice(0, 1);
  } else if (key === 'add_header') {
    const m = /^(ham|spam|all)\s+([A-Za-z0-9_-]+)\s+(.*?)\s*$/s.exec(value);
    if (!m) return;
    const h: AddedHeader = { name: m[2]!, template: unescapeTemplate(unquote(m[3]!)) };
    for (const k of which(m[1]!)) lists[k] = [...lists[k].filter((x) => x.name.toLowerCase() !== h.name.toLowerCase()), h];
  } else if (key === 'remove_header') {
    const m = /^(ham|spam|all)\s+([A-Za-z0-9_-]+)/.exec(value);
    if (!m || m[2]!.toLowerCase() === 'checker-version') return;
    const name = m[2]!.toLowerCase();
    for (const k of which(m[1]!)) lists[k] = lists[k].filter((x) => x.name.toLowerCase() !== name);
  } else if (key === 'report_safe') {
    if (value === '0' && !lists.spam.some((h) => h.name.toLowerCase() === 'report')) lists.spam.push({ name: 'Report', template: '_REPORT_' });
  }
}

/** The spam and ham header lists the options describe. */
export function headerLists(o: OptionValues): { spam: readonly AddedHeader[]; ham: readonly AddedHeader[] } {
  const lists: Lists = { spam: [CHECKER], ham: [CHECKER] };
  // hamlet's defaults come first, as SpamAssassin's come from its first rules file; a clear_headers undoes them.
  for (const op of [...DEFAULT_OPS, ...optList(o, HEADER_OPS_OPTION)]) applyHeaderOp(lists, op);
  return lists;
}

/** `rewrite_header` lines: the last per header wins, an empty string removes it. */
function rewriteHeaders(o: OptionValues): MarkupOptions['rewriteHeader'] {
  const out: Partial<Record<'Subject' | 'From' | 'To', string>> = {};
  for (const line of optList(o, 'rewrite_header')) {
    const m = /^(\S+)\s*(.*)$/s.exec(line.trim());
    if (!m) continue;
    const hdr = m[1]![0]!.toUpperCase() + m[1]!.slice(1).toLowerCase();
    if (hdr !== 'Subject' && hdr !== 'From' && hdr !== 'To') continue;
    if (!/\S/.test(m[2]!)) delete out[hdr];
    else out[hdr] = hdr === 'Subject' ? m[2]! : m[2]!.replace(/\(/g, '[').replace(/\)/g, ']');
  }
  return out;
}

/** A template option: each line with its quotes removed and a newline added; undefined if never set. */
function template(o: OptionValues, name: string): string | undefined {
  if (o[name] === undefined) return undefined;
  return optList(o, name).map((l) => unquote(l) + '\n').join('');
}

/** Read the report settings from a rule set (or its options); `overrides` win (tests pass a fixed clock and host). */
export function markupOptionsFrom(rules: RuleSet | OptionValues, overrides: Partial<ReportSettings> = {}): ReportSettings {
  const o: OptionValues = 'compiled' in rules && 'lint' in rules ? (rules as RuleSet).options : (rules as OptionValues);
  const safe = optNumber(o, 'report_safe', 1);
  const lists = headerLists(o);
  return {
    reportSafe: safe === 0 || safe === 2 ? safe : 1,
    headersSpam: lists.spam,
    headersHam: lists.ham,
    rewriteHeader: rewriteHeaders(o),
    reportTemplate: template(o, 'report') ?? DEFAULT_REPORT_TEMPLATE,
    unsafeReportTemplate: template(o, 'unsafe_report') ?? DEFAULT_UNSAFE_REPORT_TEMPLATE,
    contentDescription: 'original message before hamlet',
    reportCharset: optString(o, 'report_charset')?.trim() || 'UTF-8',
    foldHeaders: optBool(o, 'fold_headers', true),
    copyHeaders: optList(o, 'report_safe_copy_headers'),
    product: `hamlet (version ${HAMLET_VERSION})`,
    hostname: osHostname(),
    reportHostname: optString(o, 'report_hostname')?.trim() || osHostname(),
    version: HAMLET_VERSION,
    subversion: HAMLET_SUBVERSION,
    contact: optString(o, 'report_contact')?.trim() ?? 'the administrator of that system',
    reportWidth: optNumber(o, 'report_wrap_width', 75),
    ...overrides,
  };
}
