/**
 * What a compiled rule set was built from, for the rule-set cache: every answer the file system
 * gave while configuration was read (which directories exist, which files a rules directory
 * listed, each file's content hash or its absence). A cached rule set is used only when every
 * answer is the same again; files are re-read and hashed each time, never judged by mtime.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { DISK_FS, type ConfigFs } from './read';

/** One file-system answer: `dir` (is a directory), `list` (a listing), `file` (content hash, or '' for unreadable). */
export interface InputEntry {
  readonly op: 'dir' | 'list' | 'file';
  readonly path: string;
  readonly value: string;
}

/** The hash used for inputs and payloads (native; with the CPU's SHA instructions sha256 is the fastest here). */
export function digest(data: string | Buffer, encoding: 'latin1' | 'utf8' = 'utf8'): string {
  const h = createHash('sha256');
  if (typeof data === 'string') h.update(data, encoding);
  else h.update(data);
  return h.digest('base64');
}

const NUL = '\u0000';

/** A ConfigFs that records what it answered; `consistent` is false when one question got two answers (a file changed during the read). */
export class RecordingFs implements ConfigFs {
  private readonly seen = new Map<string, InputEntry>();
  consistent = true;

  constructor(private readonly fs: ConfigFs = DISK_FS) {}

  private note(op: InputEntry['op'], path: string, value: string): void {
    const key = op + NUL + path;
    const had = this.seen.get(key);
    if (had === undefined) this.seen.set(key, { op, path, value });
    else if (had.value !== value) this.consistent = false;
  }

  isDir(path: string): boolean {
    const d = this.fs.isDir(path);
    this.note('dir', path, d ? '1' : '0');
    return d;
  }

  list(dir: string, ext: string): string[] {
    const l = this.fs.list(dir, ext);
    this.note('list', dir + NUL + ext, l.join(NUL));
    return l;
  }

  read(path: string): string | undefined {
    const t = this.fs.read(path);
    this.note('file', path, t === undefined ? '' : digest(t, 'latin1'));
    return t;
  }

  /** The answers, in the order first asked. */
  entries(): InputEntry[] {
    return [...this.seen.values()];
  }
}

function hashFile(path: string): string {
  try {
    return digest(readFileSync(path));
  } catch {
    return '';
  }
}

/** The first entry the file system now answers differently (a description), or undefined when all hold. */
export function changedInput(entries: readonly InputEntry[], fs: ConfigFs = DISK_FS): string | undefined {
  // Bytes hash as their Latin-1 text does, without decoding megabytes of rules to strings.
  const hashOf = fs === DISK_FS ? hashFile : (path: string): string => {
    const t = fs.read(path);
    return t === undefined ? '' : digest(t, 'latin1');
  };
  for (const e of entries) {
    let now: string;
    if (e.op === 'dir') now = fs.isDir(e.path) ? '1' : '0';
    else if (e.op === 'list') {
      const [dir, ext] = e.path.split(NUL) as [string, string];
      now = fs.list(dir, ext).join(NUL);
    } else now = hashOf(e.path);
    if (now !== e.value) return `${e.op === 'list' ? 'listing of' : e.op} ${e.path.split(NUL)[0]} changed`;
  }
  return undefined;
}
