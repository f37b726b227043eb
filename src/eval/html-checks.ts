/**
 * HTML and link checks (SpamAssassin HTMLEval beyond html-stats.ts, URIEval,
 * HTTPSMismatch). Each looks at every HTML part's results and hits when one
 * part does.
 */
import { regexArg, validateRegexArg } from './regex-arg';
import type { ScanContext } from '../engine/context';
import { headerText, parseHeaderRequest, type HeaderRequest } from '../message/header-access';
import type { HtmlRender } from '../message/html';
import { htmlAnchorGroups, httpsHttpMismatch, httpsIpMismatch, linkDomainOptions } from './html-links';
import { htmlFlag, htmlStat } from './html-stats';
import { numArg, strArg, type EvalDef } from './registry';

const SUBJECT = parseHeaderRequest('Subject') as HeaderRequest;
/** SpamAssassin's length cap for one URI; a canonical URI this long was cut. */
const MAX_URI_LENGTH = 8192;

const parts = (ctx: ScanContext): readonly HtmlRender[] => ctx.msg.htmlParts;

/** The strings of one text class of a part (`comment`, `anchor`, `title`, `script`, `uri`). */
function textClass(h: HtmlRender, name: string): readonly string[] {
  switch (name) {
    case 'comment':
      return h.commentSources;
    case 'anchor':
      return h.anchors.map((a) => a.text);
    case 'title':
      return h.titles;
    case 'script':
      return h.scripts;
    case 'uri':
      return [...new Set([...h.links.map((l) => l.url), ...h.anchors.map((a) => a.href)])];
    default:
      return [];
  }
}

/**
 * `value OP number` as the rules write it (`'< 512'`, `'!= 0'`). Rules may only
 * use comparison characters, digits and spaces; anything else never matches.
 */
export function compareExpr(value: number, expr: string): boolean {
  const m = /^\s*(==|!=|<=|>=|<|>)\s*([-+]?\s*\d+)\s*$/.exec(expr);
  if (!m) return false;
  const n = Number(m[2]!.replace(/\s+/g, ''));
  switch (m[1]) {
    case '==':
      return value === n;
    case '!=':
      return value !== n;
    case '<=':
      return value <= n;
    case '>=':
      return value >= n;
    case '<':
      return value < n;
    default:
      return value > n;
  }
}

/** A result value by name for html_eval: numbers as measured, set flags as 1. */
function resultValue(h: HtmlRender, name: string): number | undefined {
  return htmlStat(h, name) ?? (htmlFlag(h, name) ? 1 : undefined);
}

const ANY = /(?:)/;

function textMatch(ctx: ScanContext, args: readonly (string | number)[], want: boolean): boolean {
  // No pattern matches everything, as an empty one does.
  const re = regexArg(args, 1) ?? (args[1] === undefined ? ANY : null);
  const name = strArg(args, 0) ?? '';
  if (!re) return false;
  return parts(ctx).some((h) =>
    textClass(h, name).some((s) => {
      re.lastIndex = 0;
      return re.test(s) === want;
    }),
  );
}

export const htmlCheckEvals: readonly EvalDef[] = [
  {
    name: 'html_text_match',
    areas: ['body'],
    fn: (ctx, args) => textMatch(ctx, args, true),
    validate: validateRegexArg(1, true),
  },
  {
    name: 'html_text_not_match',
    areas: ['body'],
    fn: (ctx, args) => textMatch(ctx, args, false),
    validate: validateRegexArg(1, true),
  },
  {
    name: 'html_eval',
    areas: ['body'],
    fn: (ctx, args) => {
      const name = strArg(args, 0) ?? '';
      const expr = strArg(args, 1) ?? '';
      if (!/^[<>=!\-+ 0-9]+$/.test(expr)) return false;
      return parts(ctx).some((h) => {
        const v = resultValue(h, name);
        return v !== undefined && compareExpr(v, expr);
      });
    },
  },
  {
    name: 'html_tag_balance',
    areas: ['body'],
    fn: (ctx, args) => {
      const tag = strArg(args, 0) ?? '';
      const expr = strArg(args, 1) ?? '';
      if (!/^[a-zA-Z0-9]+$/.test(tag) || !/^[<>=!\-+ 0-9]+$/.test(expr)) return false;
      return parts(ctx).some((h) => {
        const open = h.inside.get(tag);
        return open !== undefined && compareExpr(open, expr);
      });
    },
  },
  {
    name: 'html_image_ratio',
    areas: ['body'],
    fn: (ctx, args) => {
      const min = numArg(args, 0, 0);
      const max = numArg(args, 1, Infinity);
      return parts(ctx).some((h) => {
        if (h.stats.imageArea <= 0) return false;
        const ratio = h.stats.nonSpaceLen / h.stats.imageArea;
        return ratio > min && ratio <= max;
      });
    },
  },
  {
    name: 'html_title_subject_ratio',
    areas: ['body'],
    fn: (ctx, args) => {
      // SpamAssassin measures the subject with its trailing newline.
      const raw = headerText(ctx.msg, SUBJECT);
      if (raw === undefined || raw === '') return false;
      const subject = raw.endsWith('\n') ? raw : raw + '\n';
      const limit = numArg(args, 0, Infinity);
      return parts(ctx).some((h) => {
        let max = 0;
        for (const t of h.titles) if (t !== '' && t !== '0') max = Math.max(max, t.length / subject.length);
        return max > limit;
      });
    },
  },
  {
    // The charsets SpamAssassin collects from <meta> never reach the results it
    // tests, so this check cannot hit there; it never hits here either.
    name: 'html_charset_faraway',
    areas: ['body'],
    fn: () => false,
  },
  {
    name: 'check_iframe_src',
    areas: ['body'],
    fn: (ctx) => parts(ctx).some((h) => h.links.some((l) => l.tag === 'iframe')),
  },
  {
    name: 'check_https_ip_mismatch',
    areas: ['body'],
    fn: (ctx) => parts(ctx).some((h) => httpsIpMismatch(htmlAnchorGroups(h))),
  },
  {
    name: 'check_uri_truncated',
    areas: ['body'],
    fn: (ctx) =>
      parts(ctx).some((h) => h.stats.uriTruncated) || ctx.msg.uris.some((u) => u.cleaned.some((c) => c.length >= MAX_URI_LENGTH)),
  },
  {
    name: 'check_https_http_mismatch',
    areas: ['body'],
    fn: (ctx, args) => {
      const min = numArg(args, 0, 0) || 1;
      const max = args.length > 1 ? numArg(args, 1, Infinity) : Infinity;
      const domains = linkDomainOptions(ctx.settings.options);
      return parts(ctx).some((h) => {
        const r = httpsHttpMismatch(htmlAnchorGroups(h), domains);
        return r.hit && r.anchors >= min && r.anchors < max;
      });
    },
  },
];
