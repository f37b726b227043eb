/**
 * A command's `--help` read back into parts (usage, description, options, the text after),
 * so the man pages are made from exactly what `--help` prints and cannot drift from it.
 * The shape is commander's: `Usage: ...`, the description, `Options:` with one option per
 * line (its terms, two or more spaces, its description, wrapped lines indented deeper), then
 * any text added after.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

export interface HelpOption {
  /** As printed: `-C, --configpath <dir>`. */
  readonly flags: string;
  readonly description: string;
}

export interface HelpText {
  readonly usage: string;
  readonly description: string;
  readonly options: readonly HelpOption[];
  /** Text after the option list (paragraphs), if any. */
  readonly after: string;
}

/** The three commands, by name. */
export const COMMANDS = ['hamlet', 'hamlet-learn', 'hamletd'] as const;

/** What `<command> --help` prints (stdout and stderr: hamletd writes its help where it logs). */
export function helpOf(command: string, root = join(__dirname, '..', '..', '..')): string {
  const r = spawnSync(process.execPath, [join(root, 'bin', `${command}.js`), '--help'], { encoding: 'utf8', timeout: 30_000 });
  if (r.status !== 0) throw new Error(`${command} --help exited with ${r.status}: ${r.stderr}`);
  // Defaults inside the package (its rules/) are shown relative to it, the same on every install.
  return (r.stdout + r.stderr).split(root).join('<package dir>');
}

/** Split `--help` output into its parts. */
export function parseHelp(text: string): HelpText {
  const lines = text.replace(/\r/g, '').split('\n');
  let i = 0;
  const usage = (lines[i++] ?? '').replace(/^Usage:\s*/, '');
  const description: string[] = [];
  while (i < lines.length && lines[i] !== 'Options:') description.push(lines[i++]!);
  i++; // Options:
  const options: { flags: string; description: string }[] = [];
  for (; i < lines.length; i++) {
    const line = lines[i]!;
    const start = /^ {2}(-\S.*?)(?: {2,}(.*))?$/.exec(line);
    if (start) {
      options.push({ flags: start[1]!.trim(), description: (start[2] ?? '').trim() });
    } else if (/^ {3,}\S/.test(line) && options.length > 0) {
      const last = options[options.length - 1]!;
      last.description = `${last.description} ${line.trim()}`.trim();
    } else break;
  }
  const after = lines.slice(i).join('\n').trim();
  return { usage, description: description.join('\n').trim(), options, after };
}

/** The option names in a flags string: `-C, --configpath <dir>` gives `-C` and `--configpath`. */
export function optionNames(flags: string): string[] {
  return flags.split(/[ ,]+/).filter((w) => /^--?[A-Za-z0-9][\w-]*$/.test(w));
}
