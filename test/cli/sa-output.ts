/**
 * Helpers for comparing hamlet's output with real SpamAssassin's: run
 * `spamassassin`, and normalise what legitimately differs (product version,
 * dates, MIME boundaries) and what the engine does not reproduce yet (the order
 * of report rows and the eval detail lines under some rows).
 */
import { execFile, execFileSync } from 'node:child_process';

/** True when a real `spamassassin` is installed. */
export function haveSpamAssassin(): boolean {
  try {
    execFileSync('spamassassin', ['-V'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** `spamassassin -t -L` with `cf` lines on `input`; resolves to stdout as a binary string. */
export function runSpamAssassin(input: Buffer, cf: readonly string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const args = ['-t', '-L', ...cf.map((l) => `--cf=${l}`)];
    const child = execFile('spamassassin', args, { encoding: 'buffer', maxBuffer: 64 << 20 }, (err, stdout) => {
      if (err) reject(err);
      else resolve(stdout.toString('latin1'));
    });
    child.stdin!.end(input);
  });
}

/**
 * Product names, versions, the wrapper's date and the boundary replaced by placeholders. The
 * checker header names the program that ran (hamlet rewrites the stock template's name), so both
 * names become one placeholder there.
 */
export function normaliseProduct(s: string): string {
  return s
    .replace(/(?:SpamAssassin|hamlet) \d+\.\d+\.\d+ \(\d{4}-\d\d-\d\d\)/g, 'PRODUCT VERSION')
    .replace(/version=\d+\.\d+\.\d+/g, 'version=VERSION')
    .replace(/with (?:SpamAssassin|hamlet) \(version [\d.]+\);\n\t.*\n/g, 'with PRODUCT;\n\tDATE\n')
    .replace(/----------=_[0-9A-F]{8}\.[0-9A-F]{8}/g, 'BOUNDARY')
    .replace(/original message before (?:SpamAssassin|hamlet)/g, 'original message before PRODUCT');
}

/** Rows of a report table (a row and its continuation lines) sorted, eval detail lines (`[...]`) dropped. */
export function normaliseRows(s: string): string {
  const table = s.replace(/(---- ---------------------- -+\n)((?:.+\n)+)/g, (_m, head: string, body: string) => {
    const rows: string[] = [];
    for (const line of body.split('\n').filter((l) => l !== '')) {
      if (/^ {28}\[.*\]$/.test(line)) continue;
      if (/^ {28}/.test(line) && rows.length > 0) rows[rows.length - 1] += '\n' + line;
      else rows.push(line);
    }
    return head + rows.sort().join('\n') + '\n';
  });
  // The terse _REPORT_ form: "*  1.0 NAME desc" rows with "*      " continuations.
  return table.replace(/((?:^\t?\*.*\n)+)/gm, (block: string) => {
    const rows: string[] = [];
    for (const line of block.split('\n').filter((l) => l !== '')) {
      if (/^\t?\* {6}\[.*\]$/.test(line)) continue;
      if (/^\t?\* {6}/.test(line) && rows.length > 0) rows[rows.length - 1] += '\n' + line;
      else rows.push(line);
    }
    return rows.sort().join('\n') + '\n';
  });
}

/** The X-Spam-* fields of the (outer) header block, each with its folding, in order. */
export function xSpamFields(s: string): string[] {
  const head = s.slice(0, s.search(/\r?\n\r?\n/) + 1);
  return head.match(/^X-Spam-[^\n]*\n(?:[ \t][^\n]*\n)*/gm) ?? [];
}
