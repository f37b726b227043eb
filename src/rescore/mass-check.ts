/**
 * SpamAssassin's mass-check log lines, so a site's existing masses/ tools (hit-frequencies,
 * the score optimisers) can read a hamlet run: after a `#` header, one line per message,
 *
 *   Y 15 /path/to/msg RULE_A,RULE_B,__SUB time=1040812345,bayes=0.99,scantime=0,format=f,reuse=no
 *
 * `Y` when the message scored as spam and `.` when not (the verdict, not the label: the
 * label is which log it is in), the score as a whole number (truncated, `%2d`), the id with
 * white space made `_`, the rules and sub-rules hit, sorted and comma-joined, then the extras.
 */
import type { ScannedMessage } from './scan-corpus';

/** The header lines mass-check starts a log with (ours say what ran). */
export function massCheckHeader(switches: string, when = new Date()): string {
  return `# mass-check results from hamlet-rescore, on ${when.toUTCString()}\n# Switches: '${switches}'\n`;
}

/** One message's line, scored with `score` (the rules as loaded, or as fitted). */
export function massCheckLine(m: ScannedMessage, score: number, threshold: number): string {
  const yorn = Math.round(score * 1000) / 1000 >= threshold ? 'Y' : '.';
  const whole = Math.trunc(score);
  const tests = [...m.tests, ...m.subtests].sort().join(',');
  const extra: string[] = [];
  if (m.time !== undefined) extra.push(`time=${m.time}`);
  if (m.bayes !== undefined) extra.push(`bayes=${m.bayes}`);
  extra.push(`scantime=${Math.round(m.scanSeconds)}`, `format=${m.format}`, 'reuse=no');
  return `${yorn} ${String(whole).padStart(2)} ${m.id.replace(/\s/g, '_')} ${tests} ${extra.join(',')}\n`;
}
