/**
 * multipart/alternative consistency: the text and HTML versions of one mail
 * should carry the same words. Spam often sends an unrelated text part.
 */
import type { ScanContext } from '../engine/context';
import { effectiveType } from '../message/body-text';
import type { HtmlRender } from '../message/html';
import type { Message, MimePart } from '../message/types';
import { numArg, strArg, type EvalDef } from './registry';

/** A leaf rendered as the body view renders it. */
export interface RenderedLeaf {
  readonly type: 'text/plain' | 'text/html';
  readonly text: string;
  /** The HTML parse, for HTML leaves with content. */
  readonly html: HtmlRender | undefined;
}

/** Rendered text of every text/plain and text/html leaf, reusing the message's own HTML renders. */
export function renderedLeaves(ctx: ScanContext): ReadonlyMap<MimePart, RenderedLeaf> {
  const cached = ctx.pluginState.get('body:rendered-leaves') as Map<MimePart, RenderedLeaf> | undefined;
  if (cached) return cached;
  const out = new Map<MimePart, RenderedLeaf>();
  const msg: Message = ctx.msg;
  const htmlParts = msg.htmlParts;
  let h = 0;
  for (const p of msg.leaves) {
    const type = effectiveType(p);
    if (type !== 'text/plain' && type !== 'text/html') continue;
    const text = p.text();
    // The parser rendered exactly the non-empty HTML leaves, in document order.
    const html = type === 'text/html' && text !== '' ? htmlParts[h++] : undefined;
    out.set(p, { type, text: html ? html.text : text, html });
  }
  ctx.pluginState.set('body:rendered-leaves', out);
  return out;
}

/** Parts below (and including) `p` in depth-first order. */
function descendants(p: MimePart): MimePart[] {
  const out: MimePart[] = [];
  const stack = [p];
  while (stack.length > 0) {
    const q = stack.pop()!;
    out.push(q);
    for (let i = q.children.length - 1; i >= 0; i--) stack.push(q.children[i]!);
  }
  return out;
}

const WORDISH = /[\p{L}\p{N}\p{M}\p{Pc}]/u;

/** Whitespace-separated tokens with a word character, counted (bullets and rules are not words). */
function countWords(text: string, into: Map<string, number>): void {
  for (const w of text.split(/\s+/)) {
    if (WORDISH.test(w)) into.set(w, (into.get(w) ?? 0) + 1);
  }
}

interface AltDiff {
  /** Highest percentage of HTML words missing from the text part, over all alternatives. */
  readonly diff: number;
  /** Distinct HTML and text words of the last alternative that had HTML words. */
  readonly htmlWords: number;
  readonly textWords: number;
}

/** An Exchange meeting request (alternative of exactly text/html and text/calendar) is normal. */
function isMeetingRequest(root: MimePart): boolean {
  return (
    root.type === 'multipart/alternative' &&
    root.children.length === 2 &&
    root.children[0]!.type === 'text/html' &&
    root.children[0]!.children.length === 0 &&
    root.children[1]!.type === 'text/calendar' &&
    root.children[1]!.children.length === 0
  );
}

function altDiff(ctx: ScanContext): AltDiff {
  const cached = ctx.pluginState.get('body:alt-diff') as AltDiff | undefined;
  if (cached) return cached;
  let result: AltDiff = { diff: 0, htmlWords: 0, textWords: 0 };
  const all = descendants(ctx.msg.root);
  const alts = all.filter((p) => p.type === 'multipart/alternative');
  if (alts.length > 0 && !isMeetingRequest(ctx.msg.root)) {
    const rendered = renderedLeaves(ctx);
    let { diff, htmlWords, textWords } = result;
    for (const alt of alts) {
      const html = new Map<string, number>();
      const text = new Map<string, number>();
      for (const p of descendants(alt)) {
        if (!p.type.startsWith('text')) continue;
        const r = rendered.get(p);
        if (!r) continue;
        if (r.type === 'text/html') {
          countWords(r.text, html);
          // An image-only HTML part still says something the text part may not.
          if (html.size === 0 && r.html?.inside.has('img')) html.set('\n', 1);
        } else countWords(r.text, text);
      }
      const orig = html.size;
      if (orig === 0) continue;
      htmlWords = orig;
      textWords = text.size;
      for (const [w, n] of text) {
        const m = html.get(w);
        if (m !== undefined && m - n < 1) html.delete(w);
      }
      diff = Math.max(diff, (html.size / orig) * 100);
    }
    result = { diff, htmlWords, textWords };
  }
  ctx.pluginState.set('body:alt-diff', result);
  return result;
}

export const bodyAltDiffEvals: readonly EvalDef[] = [
  {
    name: 'multipart_alternative_difference',
    areas: ['body'],
    fn: (ctx, args) => {
      const { diff } = altDiff(ctx);
      const min = numArg(args, 0, 0);
      const max = strArg(args, 1);
      return (min === 0 || diff > min) && (max === undefined || max === 'undef' || diff <= numArg(args, 1, Infinity));
    },
  },
  {
    name: 'multipart_alternative_difference_count',
    areas: ['body'],
    fn: (ctx, args) => {
      const { htmlWords, textWords } = altDiff(ctx);
      if (!(htmlWords > numArg(args, 1, 0))) return false;
      return textWords / htmlWords > numArg(args, 0, 0);
    },
  },
];
