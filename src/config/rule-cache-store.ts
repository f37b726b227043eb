/**
 * The rule-set cache's files. One file per key: a magic string, the length of a JSON header
 * (the key, the inputs it was built from, the payload's length and digest), then the payload.
 * A file is trusted only whole: wrong magic, key, length or digest and it is ignored. Files are
 * written to a temporary name in the same directory and renamed over, so two builders racing
 * leave one good file. The cache holds code-like data (regexes, eval names, scores), so its
 * directory and files must belong to the user running hamlet and be writable by nobody else,
 * and a cache file that is a symlink is not followed.
 */
import { closeSync, constants, fstatSync, lstatSync, openSync, readSync, renameSync, rmSync, writeFileSync, type Stats } from 'node:fs';
import { join } from 'node:path';
import { digest, type InputEntry } from './rule-cache-inputs';
import { makeDirs } from '../util/make-dirs';

const MAGIC = Buffer.from('HAMLETRC1\n', 'latin1');
/** Largest header or payload accepted (a stock rule set is a few MB). */
const MAX_BYTES = 256 * 1024 * 1024;

/** The parts of a cache file. */
export interface CacheEntry {
  readonly key: string;
  readonly inputs: readonly InputEntry[];
  readonly payload: Buffer;
}

interface Header {
  readonly key: string;
  readonly inputs: readonly InputEntry[];
  readonly payloadLength: number;
  readonly payloadDigest: string;
}

/** Why `st` (of a cache directory or file) must not be trusted, if it must not. */
function untrusted(st: Stats, what: string): string | undefined {
  const uid = process.geteuid?.();
  if (uid !== undefined && st.uid !== uid) return `${what} belongs to uid ${st.uid}, not ${uid}`;
  if ((st.mode & 0o022) !== 0) return `${what} is writable by others`;
  return undefined;
}

/** Create the cache directory when missing; why it cannot be used, if it cannot. */
export function prepareDir(dir: string): string | undefined {
  try {
    makeDirs(dir, 0o700);
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

/** Read a cache file whole and check its framing; a string says why it is not usable. */
export function readEntry(file: string): CacheEntry | string {
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDONLY | constants.O_NOFOLLOW);
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no cache file' : `cannot open ${file}: ${(e as Error).message}`;
  }
  let bytes: Buffer;
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) return `${file} is not a file`;
    const bad = untrusted(st, file);
    if (bad) return bad;
    if (st.size > MAX_BYTES) return `${file} is too large`;
    bytes = readAll(fd, st.size);
  } finally {
    closeSync(fd);
  }
  if (bytes.length < MAGIC.length + 4 || !bytes.subarray(0, MAGIC.length).equals(MAGIC)) return 'not a rule cache file';
  const headerLength = bytes.readUInt32LE(MAGIC.length);
  const start = MAGIC.length + 4;
  if (start + headerLength > bytes.length) return 'truncated header';
  let h: Header;
  try {
    h = JSON.parse(bytes.toString('utf8', start, start + headerLength)) as Header;
  } catch {
    return 'corrupt header';
  }
  const payload = bytes.subarray(start + headerLength);
  if (typeof h.key !== 'string' || !Array.isArray(h.inputs)) return 'corrupt header';
  if (payload.length !== h.payloadLength) return 'truncated payload';
  if (digest(payload) !== h.payloadDigest) return 'payload checksum mismatch';
  return { key: h.key, inputs: h.inputs, payload };
}

let tmpCount = 0;

/** Write a cache file atomically; an error message when it could not be. */
export function writeEntry(dir: string, name: string, entry: CacheEntry): string | undefined {
  const header: Header = { key: entry.key, inputs: entry.inputs, payloadLength: entry.payload.length, payloadDigest: digest(entry.payload) };
  const head = Buffer.from(JSON.stringify(header), 'utf8');
  const len = Buffer.alloc(4);
  len.writeUInt32LE(head.length);
  const tmp = join(dir, `.${name}.${process.pid}.${process.hrtime.bigint()}.${tmpCount++}.tmp`);
  try {
    // 'wx': a fresh file of ours, never an existing one (nor through a symlink).
    writeFileSync(tmp, Buffer.concat([MAGIC, len, head, entry.payload]), { mode: 0o600, flag: 'wx' });
    renameSync(tmp, join(dir, name));
    return undefined;
  } catch (e) {
    rmSync(tmp, { force: true });
    return `cannot write ${join(dir, name)}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`;
  }
}
