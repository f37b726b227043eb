/** `_PREVIEW_`: the first lines of the rendered body, tidied and wrapped for the report. */
import { toByteString } from '../message/charset';
import type { Message } from '../message/types';
import { wrapText } from './wrap';

/**
 * Lengths (the 200-character trim, the wrap width) count UTF-8 bytes, as
 * SpamAssassin's do, so the work is done on the UTF-8 bytes and decoded at the end.
 */
export function contentPreview(msg: Message): string {
  const lines = msg.bodyText.slice(1).map(toByteString); // the first line is the Subject
  let str = '';
  for (let i = 0; i < lines.length && i < 3 && str.length < 200; i++) str += lines[i];
  // A huge line is trimmed back to about 200 characters.
  str = str.replace(/^(.{200}).+$/gm, '$1 [...]');
  str = str.replace(/\n$/, '') + '\n';
  str = str
    .replace(/-----Original Message-----.*$/gm, '')
    .replace(/This is a multi-part message in MIME format\./g, '')
    .replace(/[-_*.]{10,}/g, '')
    .replace(/\s+/g, ' ');
  // Wrap as if "Content preview:  " preceded it, so it lines up in the template.
  const wrapped = wrapText(str, { prefix: '  ', first: 'Content preview:  ', width: 75, overflow: true }).replace(/^Content preview:\s+/, '');
  return Buffer.from(wrapped, 'latin1').toString('utf8');
}
