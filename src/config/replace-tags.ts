/**
 * ReplaceTags: `<TAG>` templates in the patterns of rules named by
 * `replace_rules`. A pattern may pick a `<pre X>`, `<inter X>` and `<post X>`;
 * each `<...>` piece gets pre before and post after it, inter fills the gap
 * between two adjacent pieces, and known tags are replaced by their values.
 * Tag values may name other tags: expansion repeats (a few passes at most).
 */
import type { ReplaceTags } from './draft';

const MAX_PASSES = 6;

function takeSetter(src: string, kind: string): { src: string; name: string | undefined } {
  const re = new RegExp(`<${kind} (.+?)>`);
  const m = re.exec(src);
  if (!m) return { src, name: undefined };
  return { src: src.slice(0, m.index) + src.slice(m.index + m[0].length), name: m[1] };
}

/** Expand tags in `pattern`; unknown tags are left as written (a literal `<X>`). */
export function expandReplaceTags(pattern: string, rt: ReplaceTags): { pattern: string; unknown: string[] } {
  const unknown = new Set<string>();
  let src = pattern;
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    const pre = takeSetter(src, 'pre');
    const post = takeSetter(pre.src, 'post');
    const inter = takeSetter(post.src, 'inter');
    src = inter.src;
    const lookup = (table: Map<string, string>, kind: string, name: string | undefined): string => {
      if (name === undefined) return '';
      const v = table.get(name);
      if (v === undefined) unknown.add(`${kind} ${name}`);
      return v ?? '';
    };
    const preV = lookup(rt.pre, 'pre', pre.name);
    const postV = lookup(rt.post, 'post', post.name);
    const interV = lookup(rt.inter, 'inter', inter.name);
    // Odd indexes are `<...>` pieces, even ones the text around them.
    const pieces = src.split(/(<[^<>]+>)/);
    let again = false;
    for (let i = 0; i < pieces.length; i++) {
      const p = pieces[i]!;
      if (i % 2 === 0) {
        if (p === '' && i > 0 && i < pieces.length - 1) pieces[i] = interV;
        continue;
      }
      const value = rt.tags.get(p.slice(1, -1));
      if (value !== undefined && /<[^>]+>/.test(value)) again = true;
      pieces[i] = preV + (value ?? p) + postV;
    }
    src = pieces.join('');
    if (!again) break;
  }
  return { pattern: src, unknown: [...unknown] };
}
