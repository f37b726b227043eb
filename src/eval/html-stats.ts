/**
 * HTMLEval: tests over what the HTML renderer measured in each HTML part
 * (tags seen, ratios of invalid or non-element tags, rendered length, flags).
 * A message hits when any of its HTML parts does.
 */
import type { ScanContext } from '../engine/context';
import type { HtmlRender } from '../message/html';
import { numArg, strArg, type EvalDef } from './registry';

/** A named statistic of one part, as SpamAssassin's HTML results name them; undefined when not measured. */
function stat(h: HtmlRender, name: string): number | undefined {
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

/** Boolean tests (`html_test`). */
function flag(h: HtmlRender, name: string): boolean {
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
    case 'closed_html':
      return s.closedHtml;
    case 'closed_body':
      return s.closedBody;
    case 'uri_truncated':
      return s.uriTruncated;
    default:
      return false; // font_low_contrast, font_invalid_color: colours are not tracked yet
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
      return parts(ctx).some((h) => flag(h, name));
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
        const v = stat(h, name);
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
