/** The `X-Spam-*` header lines hamlet adds (`add_header`), expanded and folded as SpamAssassin does. */
import { expandTags, type TagInput } from './tags';
import { wrapText } from './wrap';

/** One `add_header` entry: the name after `X-Spam-` and its template. */
export interface AddedHeader {
  readonly name: string;
  readonly template: string;
}

/**
 * Fold an expanded header value: a value with newlines keeps them (as tab
 * continuations), a long one-line value wraps after spaces and commas at 79 columns.
 */
export function foldHeaderValue(name: string, value: string, fold = true): string {
  const data = value.replace(/(?:\r?\n)+$/, '');
  if (!fold) return data.replace(/\n/g, ' ');
  if (data.includes('\n')) return data.replace(/\s*\n\s*/g, '\n\t');
  // "!!" instead of ": " keeps the name and value from breaking apart.
  const wrapped = wrapText(`X-Spam-${name}!!${data}`, { prefix: '\t', width: 79, breakAt: /(?<=[\s,])/ }).replace(/^\s*\n/gm, '');
  return wrapped.slice(wrapped.indexOf('!!') + 2);
}

/** RFC 2047-encode the non-ASCII runs of a header value (UTF-8, Q or B, whichever is shorter). */
export function mimeEncodeHeader(text: string): string {
  if (!/[^\x09\x20-\x7e\r\n]/.test(text)) return text;
  return text
    .split(/(?<=\n)/)
    .map((line) => {
      if (/^[\x09\x20-\x7e]*\r?\n?$/.test(line)) return line;
      const eol = /\r?\n$/.exec(line)?.[0] ?? '';
      let body = line.slice(0, line.length - eol.length);
      const pre = /^[\x09\x20-\x7e]*[ \t]/.exec(body)?.[0] ?? '';
      body = body.slice(pre.length);
      const post = /[ \t][\x09\x20-\x7e]*$/.exec(body)?.[0] ?? '';
      body = body.slice(0, body.length - post.length);
      if (body === '') return pre + post + eol;
      const bytes = Buffer.from(body, 'utf8');
      let q = '';
      let escaped = 0; // bytes Q must escape, spaces not counted (they become "_")
      for (const b of bytes) {
        if (b === 0x20) q += '_';
        else if (b < 0x20 || b >= 0x7f || b === 0x3d || b === 0x3f || b === 0x5f) {
          q += '=' + b.toString(16).toUpperCase().padStart(2, '0');
          escaped++;
        } else q += String.fromCharCode(b);
      }
      // SpamAssassin's choice: Q while its length stays within 4/3 of the byte count plus 2/3 (B's size, unpadded).
      const useQ = bytes.length + escaped * 2 <= (4 * (bytes.length + 2)) / 3;
      const enc = useQ ? `=?UTF-8?Q?${q}?=` : `=?UTF-8?B?${bytes.toString('base64')}?=`;
      return pre + enc + post + eol;
    })
    .join('');
}

/** The header block to add: `X-Spam-Name: value\n` for each entry. */
export function addedHeaderLines(headers: readonly AddedHeader[], tags: TagInput, fold = true): string {
  let out = '';
  for (const h of headers) {
    const line = mimeEncodeHeader(foldHeaderValue(h.name, expandTags(h.template, tags), fold));
    out += `X-Spam-${h.name}: ${line}\n`;
  }
  return out;
}
