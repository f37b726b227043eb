/** The per-rule report texts: `_SUMMARY_` (the `-t` table) and `_REPORT_` (the terse form). */
import type { RuleHit } from '../engine/types';
import { tablePoints } from './format';
import { wrapText } from './wrap';

/** The prefix SpamAssassin shows before a rule's description, by rule type. */
export function areaLabel(area: RuleHit['area']): string {
  switch (area) {
    case 'body':
      return 'BODY: ';
    case 'rawbody':
      return 'RAW: ';
    case 'full':
      return 'FULL: ';
    case 'uri':
      return 'URI: ';
    default:
      return '';
  }
}

/** Extra lines a hit carries (e.g. `[score: 0.9999]` for Bayes, the matched address for FREEMAIL_FROM). */
export interface HitDetails {
  readonly [rule: string]: readonly string[] | undefined;
}

function wrapDesc(desc: string, firstLen: number, prefix: string, width: number): string {
  return wrapText(desc, { prefix, first: ' '.repeat(firstLen), width }).replace(/^\s+/, '');
}

/** Detail messages split into chunks of 30-48 characters at spaces. */
function detailChunks(msg: string): string[] {
  const out: string[] = [];
  let rest = msg;
  for (let m = /^(.{30,48})\s/.exec(rest); m; m = /^(.{30,48})\s/.exec(rest)) {
    out.push(m[1]!);
    rest = rest.slice(m[0].length);
  }
  out.push(rest);
  return out;
}

/** `_SUMMARY_`: one row per hit in hit order, descriptions wrapped under the description column. */
export function summaryTable(hits: readonly RuleHit[], details: HitDetails = {}, width = 75): string {
  let out = '';
  for (const h of hits) {
    const pts = tablePoints(h.score);
    const area = h.label ?? areaLabel(h.area);
    const desc = wrapDesc(h.describe || 'No description available.', 3 + h.name.length + pts.length + area.length, ' '.repeat(28), width);
    out += `${pts} ${h.name.padEnd(22, ' ')} ${area}${desc}\n`;
    for (const msg of details[h.name] ?? []) {
      for (const chunk of detailChunks(msg)) {
        out += chunk.length > 47 ? `[${chunk}]`.padStart(78, ' ') + '\n' : `${' '.repeat(27)} [${chunk}]\n`;
      }
    }
  }
  return out;
}

/** `_REPORT_`: the terse `* pts NAME desc` form used by some templates. */
export function terseReport(hits: readonly RuleHit[], details: HitDetails = {}, width = 75): string {
  let out = '';
  for (const h of hits) {
    const pts = tablePoints(h.score);
    const area = h.label ?? areaLabel(h.area);
    const desc = wrapDesc(h.describe || 'No description available.', 4 + h.name.length + pts.length + area.length, '*      ', width);
    let terse = '';
    for (const msg of details[h.name] ?? []) for (const chunk of detailChunks(msg)) terse += `[${chunk}]\n`;
    out += `* ${pts} ${h.name} ${area}${desc}\n${terse ? '*      ' + terse : ''}`;
  }
  return out;
}
