/**
 * HTMLEval: tests over what the HTML renderer measured in each HTML part
 * (tags seen, ratios of invalid or non-element tags, rendered length, flags).
 * A message hits when any of its HTML parts does.
 */
import type { ScanContext } from '../engine/context';
import type { HtmlRender } from '../message/html';
import { numArg, strArg, type EvalDef } from './registry';

/** A named statistic of one part, as SpamAssassin's HTML results name them; undefined when not measured. */
export function htmlStat(h: HtmlRender, name: string): number | undefined {
  const s = h.stats;
  switch (name) {
    case 'length':
      return s.length;
    case 'max_size':
      return s.maxSize;
    case 'min_size':
      return s.minSize;
    case 'image_area':
      return s.imageArea;
    case 'non_space_len':
      return s.nonSpaceLen;
    case 'html_length':
      return s.htmlLength;
    case 'backhair_count':
      return s.backhair.size;
    case 'closed_extra_ratio':
      return s.tags > 0 ? s.closedExtra / s.tags : undefined;
    case 'bad_tag_ratio':
      return s.tags > 0 && s.elements > 0 ? (s.tags - s.elements) / s.tags : undefined;
    case 'non_element_ratio':
      return s.tagsSeen > 0 && s.elementsSeen > 0 ? (s.tagsSeen - s.elementsSeen) / s.tagsSeen : undefined;
    case 'obfuscation_ratio':
      return s.tags > 0 ? s.obfuscation / s.tags : undefined;
    default:
      return undefined;
  }
}

/** Boolean tests (`html_test`); a name SpamAssassin never records as a result is false. */
export function htmlFlag(h: HtmlRender, name: string): boolean {
  const s = h.stats;
  switch (name) {
    case 'html':
      return true;
    case 'embeds':
      return s.embeds;
    case 'font_face_bad':
      return s.fontFaceBad;
    case 'form_action_mailto':
      return s.formActionMailto;
    case 'uri_truncated':
      return s.uriTruncated;
    case 'font_low_contrast':
      return s.fontLowContrast;
    case 'font_invalid_color':
      return s.fontInvalidColor;
    default:
      // closed_html / closed_body are measured but never reach SpamAssassin's results either.
      return false;
  }
}

const parts = (ctx: ScanContext): readonly HtmlRender[] => ctx.msg.htmlParts;

export const htmlStatEvals: readonly EvalDef[] = [
  {
    name: 'html_tag_exists',
    areas: ['body'],
    fn: (ctx, args) => {
      const tag = strArg(args, 0)?.toLowerCase();
      return tag !== undefined && parts(ctx).some((h) => h.inside.has(tag));
    },
  },
  {
    name: 'html_test',
    areas: ['body'],
    fn: (ctx, args) => {
      const name = strArg(args, 0) ?? '';
      return parts(ctx).some((h) => htmlFlag(h, name));
    },
  },
  {
    name: 'html_range',
    areas: ['body'],
    fn: (ctx, args) => {
      const name = strArg(args, 0) ?? '';
      const min = numArg(args, 1, 0);
      const max = numArg(args, 2, Infinity);
      return parts(ctx).some((h) => {
        const v = htmlStat(h, name);
        return v !== undefined && v > min && v <= max;
      });
    },
  },
  {
    name: 'html_image_only',
    areas: ['body'],
    fn: (ctx, args) => {
      const min = numArg(args, 0, 0);
      const max = numArg(args, 1, Infinity);
      return parts(ctx).some((h) => h.inside.has('img') && h.stats.length > min && h.stats.length <= max);
    },
  },
];
