/** Body checks (SpamAssassin BodyEval). */
import type { ScanContext } from '../engine/context';
import { effectiveType, splitShortParagraphs } from '../message/body-text';
import type { MimePart } from '../message/types';
import { renderedLeaves } from './body-alt-diff';
import { numArg, type EvalDef } from './registry';

/** Lines of a chunk, each keeping its newline (a trailing piece without one counts too). */
const linesOf = (chunk: string): string[] => chunk.match(/[^\n]*\n|[^\n]+$/g) ?? [];

/** Percentage of blank lines in the decoded text parts; -1 when there are fewer than `minLines` lines. */
function blankLineRatio(ctx: ScanContext, minLines: number): number {
  const key = `body:blank-ratio:${minLines}`;
  const cached = ctx.pluginState.get(key) as number | undefined;
  if (cached !== undefined) return cached;
  let lines = 0;
  let blank = 0;
  for (const chunk of ctx.rawBodyLines()) {
    for (const line of linesOf(chunk)) {
      lines++;
      if (!/[^ \t\n\r\f\v]/.test(line)) blank++;
    }
  }
  const ratio = lines < minLines ? -1 : (100 * blank) / lines;
  ctx.pluginState.set(key, ratio);
  return ratio;
}

/**
 * The highest spaces-per-other-character percentage of any body line over 5
 * characters (100 when spaces dominate): text spread out one letter per column.
 */
function verticalWords(ctx: ScanContext): number {
  const cached = ctx.pluginState.get('body:vertical-words') as number | undefined;
  if (cached !== undefined) return cached;
  let best = -1;
  for (const line of ctx.bodyLines()) {
    if (line.length <= 5) continue;
    let spaces = 0;
    for (let i = 0; i < line.length; i++) if (line.charCodeAt(i) === 0x20) spaces++;
    const others = line.length - spaces;
    const pct = spaces > others || others === 0 ? 100 : Math.floor((100 * spaces) / others);
    if (pct > best) best = pct;
  }
  ctx.pluginState.set('body:vertical-words', best);
  return best;
}

/** Labels of a pump-and-dump stock sheet ("Symbol:", "Target price:"...), after folding to a-z. */
const STOCK_LABEL =
  /(^trad(?:e|ing)date|company(?:name)?|s\w?(?:t\w?o\w?c\w?k|y\w?m(?:\w?b\w?o\w?l)?)|t(?:arget|icker)|(?:opening|current)p(?:rice)?|p(?:rojected|osition)|expectations|weeks?high|marketperformance|(?:year|week|month|day|price)(?:target|estimates?)|sector|r(?:ecommendation|ating))$/;

function firstTextPlain(root: MimePart): MimePart | undefined {
  const stack = [root];
  while (stack.length > 0) {
    const p = stack.pop()!;
    if (p.type === 'text/plain') return p;
    for (let i = p.children.length - 1; i >= 0; i--) stack.push(p.children[i]!);
  }
  return undefined;
}

/** Distinct stock-sheet labels (`Label: value` lines) in the first text/plain part. */
function stockInfo(ctx: ScanContext): number {
  const cached = ctx.pluginState.get('body:stock-info') as number | undefined;
  if (cached !== undefined) return cached;
  const hits = new Set<string>();
  const part = firstTextPlain(ctx.msg.root);
  const text = part && effectiveType(part) === 'text/plain' ? part.text() : part ? renderedLeaves(ctx).get(part)?.text : undefined;
  // Short chunks keep the label regex from running over huge lines.
  for (const chunk of text ? splitShortParagraphs(text) : []) {
    for (const m of chunk.matchAll(/^\s*([^:\s][^:\n]{2,29})\s*:\s*\S/gm)) {
      const label = m[1]!.toLowerCase().replace(/[^a-z]/g, '');
      const hit = STOCK_LABEL.exec(label);
      if (hit) hits.add(hit[1]!);
    }
  }
  ctx.pluginState.set('body:stock-info', hits.size);
  return hits.size;
}

export const bodyCheckEvals: readonly EvalDef[] = [
  {
    name: 'check_body_length',
    areas: ['body'],
    // The undecoded body as received, line endings included.
    fn: (ctx, args) => ctx.msg.bodyBytes.length <= numArg(args, 0, 0),
  },
  {
    name: 'check_blank_line_ratio',
    areas: ['body'],
    fn: (ctx, args) => {
      const min = numArg(args, 0, 0);
      const max = numArg(args, 1, 100);
      const minLines = numArg(args, 2, 1);
      const r = blankLineRatio(ctx, minLines < 1 ? 1 : minLines);
      return (min === 0 && r <= max) || (r > min && r <= max);
    },
  },
  {
    name: 'tvd_vertical_words',
    areas: ['body'],
    fn: (ctx, args) => {
      const v = verticalWords(ctx);
      const maxArg = numArg(args, 1, 101);
      // A max of 100 must still admit the 100 of an all-spaces line.
      const max = maxArg >= 100 ? 101 : maxArg;
      return v >= numArg(args, 0, 0) && v < max;
    },
  },
  {
    name: 'check_stock_info',
    areas: ['body'],
    fn: (ctx, args) => {
      const min = numArg(args, 0, 0);
      return min === 0 || stockInfo(ctx) >= min;
    },
  },
];
