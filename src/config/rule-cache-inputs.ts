/**
 * What a compiled rule set was built from, for the rule-set cache: every answer the file system
 * gave while configuration was read (which directories exist, which files a rules directory
 * listed, each file's content hash or its absence). A cached rule set is used only when every
 * answer is the same again.
 *
 * A file's content is judged by its hash. Re-reading and hashing every file on each start cost
 * ~10 ms of a one-shot run on the stock rules, so a file also keeps its stat as git's index does
 * (device, inode, size, mtime and ctime in ns, taken before it was read): when the stat is the
 * same again, the file is the one that was hashed, since any write or rename changes the ctime
 * or the inode, and the ctime cannot be set back. A stat is recorded only for a file whose ctime
 * was already RACY_MS old when it was read (util/stat-stamp.ts, git's "racily clean" rule): a file written just
 * before, within the file system's timestamp granularity, could change again without its stat
 * showing it, so such a file is hashed on every check.
 */
import { nodeCrypto } from '../util/node-crypto';
import { readFileSync } from 'node:fs';
import { statStamp } from '../util/stat-stamp';
import { DISK_FS, type ConfigFs } from './read';

/** One file-system answer: `dir` (is a directory), `list` (a listing), `file` (content hash, or '' for unreadable). */
export interface InputEntry {
  readonly op: 'dir' | 'list' | 'file';
  readonly path: string;
  readonly value: string;
  /** A `file`'s stat when it was read (see the file comment); absent when it was too recent to vouch for its content. */
  readonly stat?: string;
}

/** The hash used for inputs and payloads (native; with the CPU's SHA instructions sha256 is the fastest here). */
export function digest(data: string | Buffer, encoding: 'latin1' | 'utf8' = 'utf8'): string {
  const h = nodeCrypto().createHash('sha256');
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

  private note(op: InputEntry['op'], path: string, value: string, stat?: string): void {
    const key = op + NUL + path;
    const had = this.seen.get(key);
    if (had === undefined) this.seen.set(key, stat === undefined ? { op, path, value } : { op, path, value, stat });
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
    // Before the read: a write after it changes the ctime, so the stat cannot vouch for newer content.
    const st = this.fs === DISK_FS ? statStamp(path, 'file') : undefined;
    const t = this.fs.read(path);
    this.note('file', path, t === undefined ? '' : digest(t, 'latin1'), st?.settled === true && t !== undefined ? st.stamp : undefined);
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

/**
 * The first entry the file system now answers differently (a description), or undefined when all
 * hold. `hashed` hears of each file that had to be read (its stat did not vouch for it).
 */
export function changedInput(entries: readonly InputEntry[], fs: ConfigFs = DISK_FS, hashed?: (path: string) => void): string | undefined {
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
    } else if (e.stat !== undefined && fs === DISK_FS && statStamp(e.path, 'file')?.stamp === e.stat) continue;
    else {
      hashed?.(e.path);
      now = hashOf(e.path);
    }
    if (now !== e.value) return `${e.op === 'list' ? 'listing of' : e.op} ${e.path.split(NUL)[0]} changed`;
  }
  return undefined;
}
