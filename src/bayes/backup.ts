/**
 * sa-learn's text formats: `--backup` / `--restore` (v, t and s lines) and
 * `--dump magic|data` (`%3.3f %10u %10u %10u  %s`).
 */
import { openSync, readSync, closeSync } from 'node:fs';
import { tokenProbability } from './classifier';
import { BayesError } from './errors';
import { hashToHex, hexToHash, tokenHash } from './hash';
import { DB_VERSION, type BayesStore, type SeenFlag, type TokenCounts } from './store';

/** Write a backup, line by line, through `out`. */
export async function backup(store: BayesStore, out: (chunk: string) => void): Promise<void> {
  const v = await store.vars();
  out(`v\t${DB_VERSION}\tdb_version # this must be the first line!!!\nv\t${v.nspam}\tnum_spam\nv\t${v.nham}\tnum_nonspam\n`);
  let buf = '';
  for await (const [h, t] of store.allTokens()) {
    buf += `t\t${t.spam}\t${t.ham}\t${t.atime}\t${hashToHex(h)}\n`;
    if (buf.length > 65536) {
      out(buf);
      buf = '';
    }
  }
  for await (const [id, flag] of store.allSeen()) buf += `s\t${flag}\t${id}\n`;
  out(buf);
}

/** Lines of a file, read in chunks (backups can be large). */
function* fileLines(path: string): Generator<string> {
  const fd = path === '-' ? 0 : openSync(path, 'r');
  const buf = Buffer.alloc(1 << 20);
  let rest = '';
  try {
    for (;;) {
      const n = readSync(fd, buf, 0, buf.length, null);
      if (n === 0) break;
      const text = rest + buf.toString('latin1', 0, n);
      const lines = text.split('\n');
      rest = lines.pop()!;
      yield* lines;
    }
    if (rest !== '') yield rest;
  } finally {
    if (fd !== 0) closeSync(fd);
  }
}

export interface RestoreResult {
  tokens: number;
  seen: number;
  nspam: number;
  nham: number;
  skipped: number;
}

/**
 * Replace the database with a backup. The file is read and checked first; the
 * database is replaced in one transaction only when the whole file is valid.
 */
export async function restore(store: BayesStore, path: string, now = Math.floor(Date.now() / 1000)): Promise<RestoreResult> {
  const tokens = new Map<number, TokenCounts>();
  const seen = new Map<string, SeenFlag>();
  let version: number | undefined;
  let nspam: number | undefined;
  let nham: number | undefined;
  let skipped = 0;
  let lineNo = 0;
  for (const raw of fileLines(path)) {
    const line = raw.replace(/\r$/, '');
    lineNo++;
    if (lineNo === 1) {
      const m = /^v\s+(\d+)\s+db_version/.exec(line);
      if (!m) throw new BayesError('HAMLET_ERR_BAYES_BACKUP_FORMAT', `${path}:1: database version must be the first line of a backup`);
      version = Number(m[1]);
      if (version !== 2 && version !== 3) {
        throw new BayesError('HAMLET_ERR_BAYES_BACKUP_FORMAT', `${path}:1: database version ${version} is unsupported, must be 2 or 3`);
      }
      continue;
    }
    if (/^v\s+/.test(line)) {
      const [, value, name] = line.split(/\s+/, 3) as [string, string, string | undefined];
      if (name === 'num_spam') nspam = Number(value) || 0;
      else if (name === 'num_nonspam') nham = Number(value) || 0;
      else skipped++;
    } else if (/^t\s+/.test(line)) {
      const parts = line.split(/\s+/);
      const spam = Math.max(0, Number(parts[1]) || 0);
      const ham = Math.max(0, Number(parts[2]) || 0);
      let atime = Number(parts[3]) || 0;
      const tok = parts.slice(4).join(' ');
      if (spam === 0 && ham === 0) {
        skipped++;
        continue;
      }
      if (atime > now) atime = now;
      // Version 2 backups hold the tokens themselves, version 3 their hashes in hex.
      const h = version! < 3 ? tokenHash(tok) : hexToHash(tok);
      if (Number.isNaN(h)) {
        skipped++;
        continue;
      }
      tokens.set(h, { spam, ham, atime });
    } else if (/^s\s+/.test(line)) {
      const m = /^s\s+(\S+)\s+(.*)$/.exec(line);
      if (!m || (m[1] !== 'h' && m[1] !== 's') || m[2] === '') {
        skipped++;
        continue;
      }
      seen.set(m[2]!, m[1]);
    } else if (line !== '') skipped++;
  }
  if (version === undefined) throw new BayesError('HAMLET_ERR_BAYES_BACKUP_FORMAT', `${path}: empty backup file`);
  if (nspam === undefined || nham === undefined) {
    throw new BayesError('HAMLET_ERR_BAYES_BACKUP_FORMAT', `${path}: num_spam / num_nonspam lines missing`);
  }
  await store.write((w) => w.replaceAll({ nspam: nspam!, nham: nham! }, tokens, seen));
  return { tokens: tokens.size, seen: seen.size, nspam, nham, skipped };
}

const fmt = (prob: number, a: number, b: number, c: number, text: string): string =>
  `${prob.toFixed(3)} ${String(a).padStart(10)} ${String(b).padStart(10)} ${String(c).padStart(10)}  ${text}\n`;

/** `--dump magic` lines. */
export async function dumpMagic(store: BayesStore): Promise<string> {
  const v = await store.vars();
  return [
    fmt(0, 0, v.dbVersion, 0, 'non-token data: bayes db version'),
    fmt(0, 0, v.nspam, 0, 'non-token data: nspam'),
    fmt(0, 0, v.nham, 0, 'non-token data: nham'),
    fmt(0, 0, v.ntokens, 0, 'non-token data: ntokens'),
    fmt(0, 0, v.oldestAtime, 0, 'non-token data: oldest atime'),
    fmt(0, 0, v.newestAtime, 0, 'non-token data: newest atime'),
    fmt(0, 0, v.lastJournalSync, 0, 'non-token data: last journal sync atime'),
    fmt(0, 0, v.lastExpire, 0, 'non-token data: last expiry atime'),
    fmt(0, 0, v.lastAtimeDelta, 0, 'non-token data: last expire atime delta'),
    fmt(0, 0, v.lastExpireReduce, 0, 'non-token data: last expire reduction count'),
  ].join('');
}

/** `--dump data` lines (token hashes in hex, optionally filtered by a regex on the hex). */
export async function dumpData(store: BayesStore, out: (chunk: string) => void, filter?: RegExp): Promise<void> {
  const v = await store.vars();
  let buf = '';
  for await (const [h, t] of store.allTokens()) {
    const hex = hashToHex(h);
    if (filter && !filter.test(hex)) continue;
    const prob = tokenProbability(t.spam, t.ham, v.nspam, v.nham) || 0.5;
    buf += fmt(prob, t.spam, t.ham, t.atime, hex);
    if (buf.length > 65536) {
      out(buf);
      buf = '';
    }
  }
  out(buf);
}
