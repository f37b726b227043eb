/**
 * `-d`: undo markup. A `report_safe` wrapper gives back the encapsulated
 * original byte for byte; otherwise added X-Spam-* headers are removed and
 * headers saved as X-Spam-Prev-* are put back.
 */
import { parseMessage } from '../message/parse';
import { splitFields } from './markup';
import { escapeRegex } from '../util/escape-regex';

/** The original inside a report_safe wrapper, or undefined when `raw` is not one. */
function unwrap(raw: Buffer): Buffer | undefined {
  const msg = parseMessage(raw);
  const root = msg.root;
  if (root.type !== 'multipart/mixed' || !root.typeParams['boundary']) return undefined;
  const boundary = root.typeParams['boundary'];
  const body = msg.bodyBytes.toString('latin1');
  const re = new RegExp(`^--${escapeRegex(boundary)}\\r?\\n`, 'gm');
  for (let m = re.exec(body); m; m = re.exec(body)) {
    const start = m.index + m[0].length;
    const blank = /\r?\n\r?\n/.exec(body.slice(start));
    if (!blank) break;
    const partHead = body.slice(start, start + blank.index);
    if (!/^Content-Type:\s*(?:message\/rfc822|text\/plain);\s*x-spam-type=original/im.test(partHead)) continue;
    const origStart = start + blank.index + blank[0].length;
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
  for (const p of prev) {
    const restored = p.slice(PREFIX.length);
    const name = restored.slice(0, restored.indexOf(':')).toLowerCase();
    if (/^subject:\s*\(nonexistent\)\s*$/i.test(restored)) {
      fields = fields.filter((f) => !/^Subject:/i.test(f));
      continue;
    }
    const i = fields.findIndex((f) => f.toLowerCase().startsWith(name + ':'));
    if (i >= 0) fields[i] = restored;
    else fields.push(restored);
  }
  if (prev.length === 0 && subjectTag) {
    const tag = escapeRegex(subjectTag).replace(/_(?:HITS|SCORE|REQD)_/g, '\\d+\\.\\d');
    fields = fields.map((f) => f.replace(new RegExp(`^Subject: ${tag} `, 'i'), 'Subject: '));
  }
  const mbox = msg.mboxFrom !== undefined ? msg.mboxFrom + msg.lineEnding : '';
  return Buffer.concat([Buffer.from(mbox + fields.join('') + separator, 'latin1'), msg.bodyBytes]);
}
