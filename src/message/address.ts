/** Lenient address-list parsing for the `:addr` and `:name` header forms. */

export interface ParsedAddress {
  /** `user@host` (or a bare local part as written), undefined when the entry has none. */
  readonly address: string | undefined;
  /** Display name (quotes removed, comments dropped), or the comment when there is no name. */
  readonly phrase: string | undefined;
}

/**
 * Address-shaped text as SpamAssassin's header parser accepts it: a quoted or
 * plain local part, `@`, then a host (which may itself contain `@`; the address
 * is cut at the second `@` later) or a bracketed IP.
 */
const MAILISH = /^(?:"(?:[^"\\]|\\.)*"|[^@\s<>()[\],:;]+)@(?:[^"\s<>()[\],:;]+|\[[\d:.]+\])$/;

/** Mail-shaped and not one of the parser slips upstream rejects (`""@x`, a lone quote). */
function isAddress(s: string): boolean {
  return MAILISH.test(s) && !s.startsWith('""@') && s.split('"').length !== 2;
}

/**
 * The address inside `<...>`. Junk after a complete address (`<a@[1.2.3.4] [x]>`)
 * is dropped, as the fallback parser upstream does; a local part with spaces is no address.
 */
function angleAddress(inner: string): string | undefined {
  const text = stripComments(inner).text.trim();
  if (isAddress(text)) return text;
  const sp = text.search(/\s/);
  if (sp > 0 && text.lastIndexOf('@', sp) > 0) {
    const head = text.slice(0, sp);
    if (isAddress(head)) return head;
  }
  return undefined;
}

/** Split at top-level commas, keeping quoted strings, comments and angle brackets intact. */
function splitEntries(s: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let angle = false;
  let quoted = false;
  let cur = '';
  // Whether `cur` holds an '@' or a '<', kept as it grows: searching it at every colon was quadratic.
  let curAt = false;
  let curLt = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === '\\' && i + 1 < s.length) {
      const next = s[++i]!;
      cur += c + next;
      if (next === '@') curAt = true;
      else if (next === '<') curLt = true;
      continue;
    }
    if (quoted) {
      if (c === '"') quoted = false;
    } else if (c === '"' && depth === 0) quoted = true;
    else if (c === '(') depth++;
    else if (c === ')' && depth > 0) depth--;
    else if (depth === 0 && c === '<') angle = true;
    else if (depth === 0 && c === '>') angle = false;
    else if (depth === 0 && !angle && (c === ',' || c === ';')) {
      out.push(cur);
      cur = '';
      curAt = curLt = false;
      continue;
    } else if (depth === 0 && !angle && c === ':' && !curAt && !curLt) {
      cur = ''; // group name: "undisclosed-recipients:"
      continue;
    }
    cur += c;
    if (c === '@') curAt = true;
    else if (c === '<') curLt = true;
  }
  out.push(cur);
  return out;
}

/** Remove (comments), returning the text without them and the first comment's content. */
function stripComments(s: string): { text: string; comment: string | undefined } {
  let text = '';
  let comment: string | undefined;
  let depth = 0;
  let cur = '';
  let quoted = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (depth === 0) {
      if (c === '"') quoted = !quoted;
      if (!quoted && c === '(') {
        depth = 1;
        cur = '';
        continue;
      }
      text += c;
      continue;
    }
    if (c === '\\' && i + 1 < s.length) {
      cur += s[++i];
    } else if (c === '(') {
      depth++;
      cur += c;
    } else if (c === ')') {
      depth--;
      if (depth === 0) {
        if (comment === undefined) comment = cur;
      } else cur += c;
    } else cur += c;
  }
  return { text, comment };
}

/** Unquote a display-name phrase: quoted parts lose their quotes and escapes. */
function unquotePhrase(p: string): string {
  let out = '';
  for (let i = 0; i < p.length; i++) {
    const c = p[i]!;
    if (c === '"') continue;
    if (c === '\\' && i + 1 < p.length) {
      out += p[++i];
      continue;
    }
    out += c;
  }
  return out.trim();
}

/**
 * Parse an address-list header value (raw form: encoded words are decoded by the caller
 * for `:name`). Entries without anything address-like are dropped.
 */
export function parseAddressList(value: string): ParsedAddress[] {
  const results: ParsedAddress[] = [];
  if (!/\S/.test(value)) return results;
  for (const entry0 of splitEntries(value.replace(/\\\\/g, ''))) {
    const entry = entry0.replace(/\s+/g, ' ').trim();
    if (entry === '') continue;
    const lt = entry.lastIndexOf('<');
    const gt = entry.indexOf('>', lt);
    let address: string | undefined;
    let phrase: string | undefined;
    let comment: string | undefined;
    if (lt >= 0 && gt > lt) {
      address = angleAddress(entry.slice(lt + 1, gt));
      const before = stripComments(entry.slice(0, lt));
      const after = stripComments(entry.slice(gt + 1));
      phrase = unquotePhrase(before.text) || undefined;
      comment = before.comment ?? after.comment;
    } else {
      const sc = stripComments(entry);
      const bare = sc.text.trim();
      comment = sc.comment;
      if (isAddress(bare)) address = bare;
      else if (bare !== '') phrase = unquotePhrase(bare) || undefined;
    }
    if (address === undefined && phrase !== undefined && isAddress(phrase)) {
      address = phrase;
      phrase = undefined;
    }
    if (phrase !== undefined && phrase === address) phrase = undefined;
    if (phrase === undefined && comment !== undefined && comment.trim() !== '') phrase = comment.trim();
    if (address !== undefined) address = address.replace(/^([^@]*@[^@]*).*$/, '$1');
    if (address === undefined && phrase === undefined) continue;
    results.push({ address, phrase });
  }
  return results;
}
