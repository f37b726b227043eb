/**
 * SpamAssassin 4's rule captures, on the pattern side: a named group `(?<NAME>...)` in a regex
 * rule sets the capture tag NAME when the rule hits, and `%{NAME}` in another rule's pattern
 * stands for the values captured (`\%{NAME}` is not a placeholder). Captured text is put into a
 * pattern as a literal (every non-word byte escaped), all values as one alternation, so the
 * substituted pattern has the shape the compiler audited: a fixed group of literals where the
 * placeholder was.
 */

/** Names of the groups a Perl pattern captures by name (`(?<N>`, `(?P<N>`, `(?'N'`), in order, once each. */
export function captureNames(pattern: string): string[] {
  const out: string[] = [];
  const re = /\\.|\(\?(?:P?<([A-Za-z_]\w*)>|'([A-Za-z_]\w*)')/gs;
  for (let m = re.exec(pattern); m; m = re.exec(pattern)) {
    const name = m[1] ?? m[2];
    if (name !== undefined && !out.includes(name)) out.push(name);
  }
  return out;
}

/** `%{NAME}` placeholders not escaped by a backslash; a placeholder is group 1 of a match that has it. */
const PLACEHOLDER = /\\.|%\{([A-Za-z_]\w*)\}/gs;

/** Tag names a pattern's `%{NAME}` placeholders refer to, once each. */
export function templateTags(pattern: string): string[] {
  const out: string[] = [];
  PLACEHOLDER.lastIndex = 0;
  for (let m = PLACEHOLDER.exec(pattern); m; m = PLACEHOLDER.exec(pattern)) {
    if (m[1] !== undefined && !out.includes(m[1])) out.push(m[1]);
  }
  return out;
}

/** One value as Perl regex source that matches it literally (as quotemeta: every non-word byte escaped). */
export function escapeTagValue(value: string): string {
  let out = '';
  for (const ch of value) {
    const c = ch.charCodeAt(0);
    if (/\w/.test(ch) && c < 0x80) out += ch;
    else if (c < 0x100) out += '\\x' + c.toString(16).padStart(2, '0');
    else out += `\\x{${c.toString(16)}}`;
  }
  return out;
}

/**
 * `pattern` with each placeholder replaced by its tag's values as a group of literal
 * alternatives; undefined when a tag has no value (the rule then does not match).
 */
export function fillTemplate(pattern: string, values: (tag: string) => readonly string[] | undefined): string | undefined {
  let missing = false;
  const out = pattern.replace(PLACEHOLDER, (whole, tag: string | undefined) => {
    if (tag === undefined) return whole;
    const v = values(tag);
    if (!v || v.length === 0) {
      missing = true;
      return whole;
    }
    return `(?:${v.map(escapeTagValue).join('|')})`;
  });
  return missing ? undefined : out;
}

/** The value the compiler puts in place of every tag to translate and audit a template rule's pattern. */
export const PROBE_VALUE = 'tag';
