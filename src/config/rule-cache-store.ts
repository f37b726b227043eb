/**
 * The rule-set cache's files. One file per key: a magic string, the length of a JSON header
 * (the key, the inputs it was built from, the payload's length and checksum), then the payload.
 * A file is trusted only whole: wrong magic, key, length or checksum and it is ignored. Files are
 * written to a temporary name in the same directory and renamed over, so two builders racing
 * leave one good file. The cache holds code-like data (regexes, eval names, scores), so its
 * directory and files must belong to the user running hamlet and be writable by nobody else,
 * and a cache file that is a symlink is not followed.
 */
import { crc32 } from 'node:zlib';
import { digest, type InputEntry } from './rule-cache-inputs';
import { readFramedFile, writeFramedFile } from '../util/private-files';

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

/**
 * The payload's checksum, against damage (a write cut short is caught by its length; who may
 * write the file is settled by its owner and mode). CRC-32 where Node has it (20.15): hashing
 * 8 MB with SHA-256 cost ~17 ms of a one-shot run, CRC-32 under 1 ms.
 */
function payloadSum(payload: Buffer): string {
  return typeof crc32 === 'function' ? `crc32:${crc32(payload).toString(16)}` : digest(payload);
}

/** Read a cache file whole and check its framing; a string says why it is not usable. */
export function readEntry(file: string): CacheEntry | string {
  const got = readFramedFile(file, MAGIC, MAX_BYTES);
  if (typeof got === 'string') return got === 'missing' ? 'no cache file' : got === 'wrong magic' ? 'not a rule cache file' : got;
  const h = got.header as Header;
  const payload = got.body;
  if (typeof h?.key !== 'string' || !Array.isArray(h.inputs)) return 'corrupt header';
  if (payload.length !== h.payloadLength) return 'truncated payload';
  if (payloadSum(payload) !== h.payloadDigest) return 'payload checksum mismatch';
  return { key: h.key, inputs: h.inputs, payload };
}

/** Write a cache file atomically; an error message when it could not be. */
export function writeEntry(dir: string, name: string, entry: CacheEntry): string | undefined {
  const header: Header = { key: entry.key, inputs: entry.inputs, payloadLength: entry.payload.length, payloadDigest: payloadSum(entry.payload) };
  return writeFramedFile(dir, name, MAGIC, header, [entry.payload]);
}
