/**
 * `-d`: undo markup. A `report_safe` wrapper gives back the encapsulated
 * original byte for byte; otherwise added X-Spam-* headers are removed and
 * headers saved as X-Spam-Prev-* are put back.
 */
import { parseMessage } from '../message/parse';
import { splitFields } from './markup';
import { escapeRegex } from '../util/escape-regex';

const ORIGINAL_PART = /^Content-Type:\s*(?:message\/rfc822|text\/plain);\s*x-spam-type=original/im;

/** The original inside a report_safe wrapper, or undefined when `raw` is not one. */
function unwrap(raw: Buffer): Buffer | undefined {
  const msg = parseMessage(raw);
  const root = msg.root;
  if (root.type !== 'multipart/mixed' || !root.typeParams['boundary']) return undefined;
  const boundary = root.typeParams['boundary'];
  const body = msg.bodyBytes.toString('latin1');
  const re = new RegExp(`^--${escapeRegex(boundary)}\\r?\\n`, 'gm');
  // Where each boundary line starts and its part begins, found in one pass.
  const lineAt: number[] = [];
  const partAt: number[] = [];
  for (let m = re.exec(body); m; m = re.exec(body)) {
    lineAt.push(m.index);
    partAt.push(m.index + m[0].length);
  }
  // The blank line that ends a part's head is looked up again only once a part starts past
  // it: searching from every boundary line made many of them before one blank line quadratic.
  const blankRe = /\r?\n\r?\n/g;
  let blankAt = -1;
  let blankLen = 0;
  for (let i = 0; i < partAt.length; i++) {
    const start = partAt[i]!;
    if (blankAt < start) {
      blankRe.lastIndex = start;
      const blank = blankRe.exec(body);
      if (!blank) break;
      blankAt = blank.index;
      blankLen = blank[0].length;
    }
    // The Content-Type line cannot run across the next boundary line, so the head is tested only up to it.
    const headEnd = Math.min(blankAt, lineAt[i + 1] ?? blankAt);
    if (!ORIGINAL_PART.test(body.slice(start, headEnd))) continue;
    const origStart = blankAt + blankLen;
    // Our trailer is exactly EOL "--boundary--" EOL EOL; fall back to the last boundary line.
    const eol = msg.lineEnding;
    const trailer = `${eol}--${boundary}--${eol}${eol}`;
    let end = body.endsWith(trailer) ? body.length - trailer.length : body.lastIndexOf(`${eol}--${boundary}`);
    if (end < origStart) end = body.length;
    const prefix = msg.mboxFrom !== undefined ? Buffer.from(msg.mboxFrom + msg.lineEnding, 'latin1') : Buffer.alloc(0);
    return Buffer.concat([prefix, Buffer.from(body.slice(origStart, end), 'latin1')]);
  }
  return undefined;
}

/** A field's name, lower-cased (undefined for a line without a colon). */
function fieldKey(field: string): string | undefined {
  const colon = field.indexOf(':');
  return colon < 0 ? undefined : field.slice(0, colon).toLowerCase();
}

/** Remove hamlet's (or SpamAssassin's) markup from a message. */
export function removeMarkup(raw: Buffer, subjectTag?: string): Buffer {
  const inner = unwrap(raw);
  if (inner) return inner;
  const msg = parseMessage(raw);
  const all = splitFields(msg.headerBytes.toString('latin1'));
  let separator = '';
  if (all.length > 0 && /^\s*$/.test(all[all.length - 1]!)) separator = all.pop()!;
  // X-Spam-Prev-X-Spam-* are stray fields that markup renamed in place: they get their names back there.
  const PREFIX = 'X-Spam-Prev-';
  const stray = (f: string): boolean => /^X-Spam-Prev-X-Spam-/i.test(f);
  const prev = all.filter((f) => /^X-Spam-Prev-/i.test(f) && !stray(f));
  let fields = all.filter((f) => stray(f) || !/^X-Spam-/i.test(f)).map((f) => (stray(f) ? f.slice(PREFIX.length) : f));
  // The first field of each name, kept up to date as fields are restored: a search per
  // restored field made many X-Spam-Prev-* fields quadratic.
  const firstOf = new Map<string, number>();
  fields.forEach((f, i) => {
    const key = fieldKey(f);
    if (key !== undefined && !firstOf.has(key)) firstOf.set(key, i);
  });
  // "(nonexistent)" drops every Subject so far; a restore keeps a field's name, so
  // Subjects before `subjectsSeen` are already dropped and each field is looked at once.
  const dropped = new Set<number>();
  let subjectsSeen = 0;
  for (const p of prev) {
    const restored = p.slice(PREFIX.length);
    const name = restored.slice(0, restored.indexOf(':')).toLowerCase();
    if (/^subject:\s*\(nonexistent\)\s*$/i.test(restored)) {
      for (; subjectsSeen < fields.length; subjectsSeen++) if (fieldKey(fields[subjectsSeen]!) === 'subject') dropped.add(subjectsSeen);
      firstOf.delete('subject');
      continue;
    }
    const i = firstOf.get(name);
    if (i !== undefined) fields[i] = restored;
    else {
      firstOf.set(name, fields.length);
      fields.push(restored);
    }
  }
  if (dropped.size > 0) fields = fields.filter((_, i) => !dropped.has(i));
  if (prev.length === 0 && subjectTag) {
    const tag = escapeRegex(subjectTag).replace(/_(?:HITS|SCORE|REQD)_/g, '\\d+\\.\\d');
    const tagged = new RegExp(`^Subject: ${tag} `, 'i');
    fields = fields.map((f) => f.replace(tagged, 'Subject: '));
  }
  const mbox = msg.mboxFrom !== undefined ? msg.mboxFrom + msg.lineEnding : '';
  return Buffer.concat([Buffer.from(mbox + fields.join('') + separator, 'latin1'), msg.bodyBytes]);
}
