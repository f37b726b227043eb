/**
 * Files of a per-user cache directory that hold code-like data (the compiled rule set, V8's
 * code cache): whoever can write them decides what hamlet runs. So the directory and each file
 * must belong to the user running hamlet and be writable by nobody else, a file that is a
 * symlink is not followed, and files are written to a temporary name in the same directory
 * and renamed over, so a reader (or a second writer) never sees half a file. A framed file is
 * a magic string, the length of a JSON header, the header, then the body.
 */
import { closeSync, constants, fstatSync, lstatSync, openSync, readSync, renameSync, rmSync, writeFileSync, type Stats } from 'node:fs';
import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { makeDirs } from './make-dirs';

/**
 * The cache directory by platform convention: `$HAMLET_CACHE_DIR`, else `$XDG_CACHE_HOME/hamlet`
 * (an absolute one, as the XDG spec asks), else `~/.cache/hamlet`.
 */
export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env, home: string = homedir()): string {
  if (env.HAMLET_CACHE_DIR) return env.HAMLET_CACHE_DIR;
  const xdg = env.XDG_CACHE_HOME;
  return xdg && isAbsolute(xdg) ? join(xdg, 'hamlet') : join(home, '.cache', 'hamlet');
}

/** Why `st` (of a cache directory or file) must not be trusted, if it must not. */
export function untrusted(st: Stats, what: string): string | undefined {
  const uid = process.geteuid?.();
  if (uid !== undefined && st.uid !== uid) return `${what} belongs to uid ${st.uid}, not ${uid}`;
  if ((st.mode & 0o022) !== 0) return `${what} is writable by others`;
  return undefined;
}

/** Create the directory (0700) when missing (unless `create` is false); why it cannot be used, if it cannot. */
export function preparePrivateDir(dir: string, create = true): string | undefined {
  try {
    if (create) makeDirs(dir, 0o700);
    const st = lstatSync(dir);
    if (!st.isDirectory()) return `${dir} is not a directory`;
    return untrusted(st, dir);
  } catch (e) {
    return `cannot use ${dir}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`;
  }
}

function readAll(fd: number, size: number): Buffer {
  const buf = Buffer.allocUnsafe(size);
  let at = 0;
  while (at < size) {
    const n = readSync(fd, buf, at, size - at, null);
    if (n === 0) break;
    at += n;
  }
  return at === size ? buf : buf.subarray(0, at);
}

/** A private file's bytes (not through a symlink, owned and writable only by us, at most `maxBytes`); else why not ('missing' when absent). */
export function readPrivateFile(file: string, maxBytes: number): Buffer | string {
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDONLY | constants.O_NOFOLLOW);
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'missing' : `cannot open ${file}: ${(e as Error).message}`;
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) return `${file} is not a file`;
    const bad = untrusted(st, file);
    if (bad) return bad;
    if (st.size > maxBytes) return `${file} is too large`;
    return readAll(fd, st.size);
  } finally {
    closeSync(fd);
  }
}

let tmpCount = 0;

/** Write `dir/name` atomically (mode 0600); an error message when it could not be. */
export function writePrivateFile(dir: string, name: string, data: Buffer | readonly Buffer[]): string | undefined {
  const tmp = join(dir, `.${name}.${process.pid}.${process.hrtime.bigint()}.${tmpCount++}.tmp`);
  try {
    // 'wx': a fresh file of ours, never an existing one (nor through a symlink).
    writeFileSync(tmp, Buffer.isBuffer(data) ? data : Buffer.concat(data as Buffer[]), { mode: 0o600, flag: 'wx' });
    renameSync(tmp, join(dir, name));
    return undefined;
  } catch (e) {
    rmSync(tmp, { force: true });
    return `cannot write ${join(dir, name)}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`;
  }
}

/** A framed file's parts. */
export interface Framed {
  readonly header: unknown;
  readonly body: Buffer;
}

/** Read a private framed file (see the file comment); else why not ('missing' when absent). */
export function readFramedFile(file: string, magic: Buffer, maxBytes: number): Framed | string {
  const bytes = readPrivateFile(file, maxBytes);
  if (typeof bytes === 'string') return bytes;
  if (bytes.length < magic.length + 4 || !bytes.subarray(0, magic.length).equals(magic)) return 'wrong magic';
  const headerLength = bytes.readUInt32LE(magic.length);
  const start = magic.length + 4;
  if (start + headerLength > bytes.length) return 'truncated header';
  try {
    return { header: JSON.parse(bytes.toString('utf8', start, start + headerLength)) as unknown, body: bytes.subarray(start + headerLength) };
  } catch {
    return 'corrupt header';
  }
}

/** Write a private framed file atomically; an error message when it could not be. */
export function writeFramedFile(dir: string, name: string, magic: Buffer, header: unknown, body: readonly Buffer[]): string | undefined {
  const head = Buffer.from(JSON.stringify(header), 'utf8');
  const len = Buffer.alloc(4);
  len.writeUInt32LE(head.length);
  return writePrivateFile(dir, name, [magic, len, head, ...body]);
}
