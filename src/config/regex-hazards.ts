/**
 * Lint for patterns prone to catastrophic backtracking. The classic shape is
 * an unbounded quantifier applied to a group whose own unbounded repetition
 * can end the group, e.g. `(a+)+`, `(\w+\s?)*`, `(?:x|.*)+`: a failing match
 * then tries exponentially many ways to split the input. A mandatory atom after
 * the inner repetition (`(?:[^.]+\.)+`) pins each split and is not reported.
 * A heuristic: it reports, it does not prove.
 */

const QUANT = /^(?:[*+?]|\{\d*(?:,\d*)?\})/;

interface Frame {
  start: number;
  /** Since the last mandatory atom of this branch, an unbounded repetition happened. */
  tail: boolean;
  /** Some finished branch ended in an unbounded repetition. */
  anyBranchTail: boolean;
}

function quantAt(p: string, i: number): { unbounded: boolean; optional: boolean; possessive: boolean; len: number } | undefined {
  const m = QUANT.exec(p.slice(i));
  if (!m) return undefined;
  const q = m[0];
  const unbounded = q === '*' || q === '+' || /^\{\d*,\}$/.test(q);
  const optional = q === '*' || q === '?' || /^\{0?(?:,\d*)?\}$/.test(q);
  const possessive = p[i + q.length] === '+';
  const len = q.length + (possessive || p[i + q.length] === '?' ? 1 : 0);
  return { unbounded, optional, possessive, len };
}

/** Reasons `pattern` may backtrack catastrophically (empty: nothing found). */
export function backtrackingHazards(pattern: string): string[] {
  const out: string[] = [];
  const stack: Frame[] = [];
  let top: Frame = { start: 0, tail: false, anyBranchTail: false };
  const atomDone = (i: number, innerTail: boolean): number => {
    const q = quantAt(pattern, i);
    if (!q) {
      top.tail = innerTail; // a mandatory atom (its own tail carries over)
      return i;
    }
    if (q.unbounded) top.tail = true;
    else if (!q.optional) top.tail = innerTail;
    return i + q.len;
  };
  let i = 0;
  while (i < pattern.length) {
    const c = pattern[i]!;
    if (c === '\\') {
      i = atomDone(i + 2, false);
      continue;
    }
    if (c === '[') {
      let j = i + 1;
      if (pattern[j] === '^') j++;
      if (pattern[j] === ']') j++;
      while (j < pattern.length && pattern[j] !== ']') j += pattern[j] === '\\' ? 2 : 1;
      i = atomDone(j + 1, false);
      continue;
    }
    if (c === '(') {
      stack.push(top);
      top = { start: i, tail: false, anyBranchTail: false };
      i++;
      continue;
    }
    if (c === '|') {
      top.anyBranchTail ||= top.tail;
      top.tail = false;
      i++;
      continue;
    }
    if (c === ')') {
      const inner = top;
      const innerTail = inner.tail || inner.anyBranchTail;
      top = stack.pop() ?? { start: 0, tail: false, anyBranchTail: false };
      const q = quantAt(pattern, i + 1);
      if (q?.unbounded && innerTail && !q.possessive) {
        out.push(`nested unbounded quantifiers in '${pattern.slice(inner.start, i + 1 + q.len)}'`);
      }
      i = atomDone(i + 1, innerTail);
      continue;
    }
    i = atomDone(i + 1, false);
  }
  return out;
}
