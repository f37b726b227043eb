/**
 * Reading one SPAMC request from a byte stream, as spamd 4.0.1 reads it:
 * `VERB SPAMC/x.y`, header lines, a blank line, the message. Framed by
 * `Content-length` when present, else by the end of the stream. Pure: bytes
 * in, a request or a `SpamdError` out; sockets and clocks live in server.ts.
 *
 * Facts measured against spamd 4.0.1 (see test/spamd/request.test.ts):
 * - the verb is upper-case and one of the nine; anything else is answered with
 *   the whole request line; the version is read as a number (`abc` is 0);
 * - version 1.0 and below have no header block: the message starts right after
 *   the request line; PING and SKIP below 1.5 are a single line;
 * - header names are matched case-sensitively (`Content-Length` is ignored);
 *   a header line may end in LF, but only a CRLF line ends the block;
 * - at most 255 headers; the last of a repeated header wins;
 * - a `User` holding a C0 control character is refused (DEL and bytes >= 0x80 pass).
 */
import { inflateSync } from 'node:zlib';
import { badHeader, SpamdError, unavailable } from './codes';

/** The nine verbs of SPAMC/1.5. */
export type Verb = 'CHECK' | 'SYMBOLS' | 'REPORT' | 'REPORT_IFSPAM' | 'PROCESS' | 'HEADERS' | 'PING' | 'SKIP' | 'TELL';
export const VERBS: ReadonlySet<string> = new Set<Verb>(['CHECK', 'SYMBOLS', 'REPORT', 'REPORT_IFSPAM', 'PROCESS', 'HEADERS', 'PING', 'SKIP', 'TELL']);

/** What a TELL asks for (`Set`/`Remove` are read on the substrings `local` and `remote`). */
export interface TellRequest {
  readonly messageClass: string | undefined;
  readonly setLocal: boolean;
  readonly setRemote: boolean;
  readonly removeLocal: boolean;
  readonly removeRemote: boolean;
}

/** One complete request. */
export interface SpamdRequest {
  readonly verb: Verb;
  /** The version as spamd compares it (a number; unreadable text is 0). */
  readonly version: number;
  readonly versionText: string;
  /** Request headers by name as sent (last one wins). */
  readonly headers: ReadonlyMap<string, string>;
  /** `User`, when sent and not empty. */
  readonly user: string | undefined;
  /** The message, inflated when it came with `Compress: zlib`. */
  readonly body: Buffer;
  readonly compressed: boolean;
  readonly tell: TellRequest | undefined;
}

/** Limits that keep one client from holding unbounded memory. */
export interface ReaderLimits {
  /** Largest message (after inflating), bytes. */
  readonly maxBytes: number;
  /** Longest request or header line, bytes (default 8 KiB). */
  readonly maxLine?: number;
  /** TELL allowed (`--allow-tell`). */
  readonly allowTell?: boolean;
}

/** The reader's answer after each push: wait for more, a request, or an error to send. */
export type ReadResult = { readonly kind: 'more' } | { readonly kind: 'request'; readonly request: SpamdRequest } | { readonly kind: 'error'; readonly error: SpamdError };

export const MAX_HEADERS = 255;
const MORE: ReadResult = { kind: 'more' };
const LF = 0x0a;

/** The message spamd answers a too-big request with (not a spamd error: spamd has no limit). */
export function tooBig(limit: number): SpamdError {
  return new SpamdError('HAMLET_ERR_SPAMD_TOO_BIG', 65, `Message too big: larger than ${limit} bytes`);
}

/** Reads one request; feed it chunks, then `end()` at end of stream. */
export class RequestReader {
  private phase: 'line' | 'headers' | 'body' | 'done' = 'line';
  private pending: Buffer = Buffer.alloc(0);
  private verb: Verb = 'CHECK';
  private versionText = '';
  private version = 0;
  private readonly headers = new Map<string, string>();
  private headerCount = 0;
  private expected: number | undefined;
  private compressed = false;
  private readonly chunks: Buffer[] = [];
  private received = 0;

  constructor(private readonly limits: ReaderLimits) {}

  /** True once the request line and headers are in (the body may still be coming). */
  get headersDone(): boolean {
    return this.phase === 'body' || this.phase === 'done';
  }

  /** Bytes of the body received so far. */
  get bodyBytes(): number {
    return this.received;
  }

  push(chunk: Buffer): ReadResult {
    if (this.phase === 'done') return MORE;
    if (this.phase === 'body') return this.takeBody(chunk);
    this.pending = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    return this.readLines();
  }

  /** The client closed its side (or the whole connection). */
  end(): ReadResult {
    if (this.phase === 'done') return MORE;
    if (this.phase === 'line') return this.fail(badHeader('HAMLET_ERR_SPAMD_CLOSED_EARLY', '(closed before headers)'));
    if (this.phase === 'headers') return this.fail(badHeader('HAMLET_ERR_SPAMD_CLOSED_EARLY', '(EOF during headers)'));
    if (this.expected !== undefined && this.received < this.expected) return this.fail(mismatch(this.expected, this.received));
    return this.finish(Buffer.concat(this.chunks));
  }

  private readLines(): ReadResult {
    const maxLine = this.limits.maxLine ?? 8192;
    for (;;) {
      const nl = this.pending.indexOf(LF);
      if (nl < 0) {
        if (this.pending.length > maxLine) return this.fail(badHeader('HAMLET_ERR_SPAMD_BAD_HEADER', '(header line too long)'));
        return MORE;
      }
      const raw = this.pending.subarray(0, nl + 1);
      this.pending = this.pending.subarray(nl + 1);
      const r = this.phase === 'line' ? this.requestLine(raw) : this.headerLine(raw);
      if (r) return r;
      if (this.phase === 'body') {
        const rest = this.pending;
        this.pending = Buffer.alloc(0);
        return this.takeBody(rest);
      }
      if (this.phase === 'done') return this.finish(Buffer.alloc(0));
    }
  }

  private requestLine(raw: Buffer): ReadResult | undefined {
    const line = raw.toString('latin1').replace(/\r?\n$/, '');
    const m = /^\s*([A-Z_]+)\s+SPAMC\/(.*)$/.exec(line);
    if (!m || !VERBS.has(m[1]!)) return this.fail(badHeader('HAMLET_ERR_SPAMD_BAD_REQUEST_LINE', line));
    this.verb = m[1] as Verb;
    this.versionText = m[2]!;
    const v = parseFloat(this.versionText);
    this.version = Number.isFinite(v) ? v : 0;
    if (this.verb === 'PING' || this.verb === 'SKIP') this.phase = this.version >= 1.5 ? 'headers' : 'done';
    else this.phase = this.version > 1.0 ? 'headers' : 'body';
    return undefined;
  }

  private headerLine(raw: Buffer): ReadResult | undefined {
    if (raw.length === 2 && raw[0] === 0x0d) return this.endOfHeaders();
    const line = raw.toString('latin1').replace(/\r?\n$/, '');
    // Perl's `.` (spamd's) takes a CR inside a value; JS's `.` does not.
    const m = /^([^:]+):\s*([^\n]*)$/.exec(line);
    if (!m) return this.fail(badHeader('HAMLET_ERR_SPAMD_BAD_HEADER', "(header not in 'Name: value' format)"));
    if (++this.headerCount > MAX_HEADERS) return this.fail(badHeader('HAMLET_ERR_SPAMD_TOO_MANY_HEADERS', '(too many headers)'));
    this.headers.set(m[1]!, m[2]!);
    return undefined;
  }

  private endOfHeaders(): ReadResult | undefined {
    if (this.verb === 'PING' || this.verb === 'SKIP') {
      this.phase = 'done';
      return undefined;
    }
    const h = this.headers;
    const user = h.get('User');
    if (user !== undefined && /[\x00-\x1f]/.test(user)) {
      // spamd's check: a C0 control (NUL, CR, tab, ESC...) in User is refused; DEL and 8-bit bytes pass.
      return this.fail(badHeader('HAMLET_ERR_SPAMD_BAD_HEADER', '(User header contains control chars)', `User: ${user}`));
    }
    const len = h.get('Content-length');
    if (len !== undefined) {
      if (!/^\d+$/.test(len)) return this.fail(badHeader('HAMLET_ERR_SPAMD_LENGTH', '(Content-Length contains non-numeric bytes)'));
      this.expected = Number(len);
      if (this.expected > this.limits.maxBytes) return this.fail(tooBig(this.limits.maxBytes));
    }
    const compress = h.get('Compress');
    if (compress !== undefined) {
      if (compress.trim() !== 'zlib') return this.fail(badHeader('HAMLET_ERR_SPAMD_COMPRESS', `(compression type not supported: ${compress.trim()})`));
      if (len === undefined) return this.fail(unavailable('HAMLET_ERR_SPAMD_COMPRESS', 'Compress requires Content-length header'));
      this.compressed = true;
    }
    if (this.verb === 'TELL') {
      if (!this.limits.allowTell) return this.fail(unavailable('HAMLET_ERR_SPAMD_TELL_DISABLED', 'TELL commands are not enabled, set the --allow-tell switch.'));
      const t = tellOf(h);
      if (t.setLocal && t.removeLocal) return this.fail(badHeader('HAMLET_ERR_SPAMD_TELL', 'Unable to set local and remove local in the same operation.'));
      if (t.setRemote && t.removeRemote) return this.fail(badHeader('HAMLET_ERR_SPAMD_TELL', 'Unable to set remote and remove remote in the same operation.'));
    }
    this.phase = 'body';
    return undefined;
  }

  private takeBody(chunk: Buffer): ReadResult {
    if (chunk.length > 0) {
      this.chunks.push(chunk);
      this.received += chunk.length;
    }
    const n = this.expected;
    if (n === undefined) {
      if (this.received > this.limits.maxBytes) return this.fail(tooBig(this.limits.maxBytes));
      return MORE;
    }
    if (this.received < n) return MORE;
    const all = this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks);
    const extra = all.subarray(n);
    // spamd reads the body line by line: a line that runs past the count is a mismatch.
    // Bytes after a line that ends exactly at the count are left unread (the Perl and npm
    // clients send a CRLF there).
    if (extra.length > 0 && n > 0 && all[n - 1] !== LF) {
      const nl = extra.indexOf(LF);
      return this.fail(mismatch(n, n + (nl < 0 ? extra.length : nl + 1)));
    }
    return this.finish(all.subarray(0, n));
  }

  private finish(body: Buffer): ReadResult {
    this.phase = 'done';
    let message = body;
    if (this.compressed) {
      try {
        message = inflateSync(body, { maxOutputLength: this.limits.maxBytes });
      } catch (e) {
        const err = e as NodeJS.ErrnoException;
        if (err.code === 'ERR_BUFFER_TOO_LARGE') return this.fail(tooBig(this.limits.maxBytes));
        return this.fail(unavailable('HAMLET_ERR_SPAMD_COMPRESS', `zlib: ${err.message}`));
      }
    }
    const user = this.headers.get('User')?.trim();
    return {
      kind: 'request',
      request: {
        verb: this.verb,
        version: this.version,
        versionText: this.versionText,
        headers: this.headers,
        user: user ? user : undefined,
        body: message,
        compressed: this.compressed,
        tell: this.verb === 'TELL' ? tellOf(this.headers) : undefined,
      },
    };
  }

  private fail(error: SpamdError): ReadResult {
    this.phase = 'done';
    this.chunks.length = 0;
    this.pending = Buffer.alloc(0);
    return { kind: 'error', error };
  }
}

function mismatch(expected: number, got: number): SpamdError {
  return badHeader('HAMLET_ERR_SPAMD_LENGTH_MISMATCH', `(Content-Length mismatch: Expected ${expected} bytes, got ${got} bytes)`);
}

function tellOf(h: ReadonlyMap<string, string>): TellRequest {
  const set = h.get('Set') ?? '';
  const remove = h.get('Remove') ?? '';
  return {
    messageClass: h.get('Message-class')?.trim() || undefined,
    setLocal: set.includes('local'),
    setRemote: set.includes('remote'),
    removeLocal: remove.includes('local'),
    removeRemote: remove.includes('remote'),
  };
}

/** Read a whole request from one buffer (tests, and clients that send everything at once). */
export function readRequest(bytes: Buffer, limits: ReaderLimits, closed = true): ReadResult {
  const r = new RequestReader(limits);
  const first = r.push(bytes);
  if (first.kind !== 'more' || !closed) return first;
  return r.end();
}
