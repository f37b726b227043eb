/** Parse the `eval:name(args)` form of rule definitions. */

export interface EvalCall {
  readonly name: string;
  /** Arguments as written, quotes removed. */
  readonly args: readonly string[];
}

const ARG = /^\s*(?:(['"])(.*?)\1|([\d.:A-Za-z_-]+?))\s*(?:,\s*|$)/s;
const CALL = /^eval:([A-Za-z_]\w*)\s*\((.*)\)\s*$/s;

/** Parse `eval:fn('a', "b", 3)`; a string result is the reason it is invalid. */
export function parseEvalCall(text: string): EvalCall | string {
  const m = CALL.exec(text.trim());
  if (!m) return `malformed eval call '${text}'`;
  const args: string[] = [];
  let rest = m[2]!;
  if (/^\s*$/.test(rest)) return { name: m[1]!, args };
  // A quoted string ends at a matching quote followed by a comma or the end (no escapes,
  // so regex arguments keep their backslashes); bare words are numbers, names, IPs.
  while (rest !== '') {
    const a = ARG.exec(rest);
    if (!a) return `cannot parse eval arguments of ${m[1]} near '${rest.trim()}'`;
    args.push(a[2] ?? a[3]!);
    rest = rest.slice(a[0].length);
  }
  return { name: m[1]!, args };
}
