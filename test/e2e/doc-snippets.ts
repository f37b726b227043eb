/**
 * The configuration blocks of docs/tutorial-postfix-amavis.md, by name: each fenced block that
 * follows a `<!-- snippet: NAME -->` line. The end-to-end test writes these into its own
 * configuration, so the tutorial is what the test runs.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const TUTORIAL = join(__dirname, '..', '..', '..', 'docs', 'tutorial-postfix-amavis.md');

/** Every snippet of a Markdown text. */
export function snippets(markdown: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of markdown.matchAll(/^<!-- snippet: (\S+) -->\n```[^\n]*\n([\s\S]*?)^```$/gm)) out.set(m[1]!, m[2]!);
  return out;
}

/** One snippet of the tutorial; throws when the tutorial lost it (the test then fails, not skips). */
export function snippet(name: string): string {
  const s = snippets(readFileSync(TUTORIAL, 'utf8')).get(name);
  if (s === undefined) throw new Error(`${TUTORIAL}: no snippet "${name}"`);
  return s;
}

/** Replace each `from` (a literal) with `to`, failing when one is absent: a changed tutorial must change the test. */
export function substitute(text: string, pairs: readonly (readonly [string, string])[]): string {
  let out = text;
  for (const [from, to] of pairs) {
    if (!out.includes(from)) throw new Error(`tutorial snippet no longer contains "${from}":\n${text}`);
    out = out.split(from).join(to);
  }
  return out;
}
