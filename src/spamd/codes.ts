/**
 * The status codes spamd puts on the wire (sysexits.h values) and hamletd's
 * coded errors. A `SpamdError` is one reply line: `SPAMD/1.0 <code> <text>`.
 */

/** sysexits codes, as spamd and spamc use them. */
export const EX = {
  OK: 0,
  USAGE: 64,
  DATAERR: 65,
  NOINPUT: 66,
  NOUSER: 67,
  NOHOST: 68,
  UNAVAILABLE: 69,
  SOFTWARE: 70,
  OSERR: 71,
  OSFILE: 72,
  CANTCREAT: 73,
  IOERR: 74,
  TEMPFAIL: 75,
  PROTOCOL: 76,
  NOPERM: 77,
  CONFIG: 78,
  TIMEOUT: 79,
} as const;

/** Machine-readable error names tests and logs can assert on. */
export type SpamdErrorCode =
  | 'HAMLET_ERR_SPAMD_BAD_REQUEST_LINE'
  | 'HAMLET_ERR_SPAMD_BAD_HEADER'
  | 'HAMLET_ERR_SPAMD_TOO_MANY_HEADERS'
  | 'HAMLET_ERR_SPAMD_CLOSED_EARLY'
  | 'HAMLET_ERR_SPAMD_LENGTH'
  | 'HAMLET_ERR_SPAMD_LENGTH_MISMATCH'
  | 'HAMLET_ERR_SPAMD_COMPRESS'
  | 'HAMLET_ERR_SPAMD_TELL'
  | 'HAMLET_ERR_SPAMD_TELL_DISABLED'
  | 'HAMLET_ERR_SPAMD_TOO_BIG'
  | 'HAMLET_ERR_SPAMD_TIMEOUT'
  | 'HAMLET_ERR_SPAMD_REQUEST_TIMEOUT'
  | 'HAMLET_ERR_SPAMD_DROPPED'
  | 'HAMLET_ERR_SPAMD_REFUSED'
  | 'HAMLET_ERR_SPAMD_SHUTDOWN'
  | 'HAMLET_ERR_SPAMD_CHILD_TIMEOUT'
  | 'HAMLET_ERR_SPAMD_BUSY'
  | 'HAMLET_ERR_SPAMD_INTERNAL';

/** A request that gets an error line instead of an answer. */
export class SpamdError extends Error {
  constructor(
    readonly code: SpamdErrorCode,
    /** The sysexits status sent on the wire. */
    readonly status: number,
    /** What follows the status on the wire, e.g. `Bad header line: (too many headers)`. */
    readonly text: string,
    /** What the log line adds (the offending client text), never sent. */
    readonly note?: string,
  ) {
    super(text);
    this.name = 'SpamdError';
  }

  /** The reply line, as spamd sends it. */
  line(): Buffer {
    return Buffer.from(`SPAMD/1.0 ${this.status} ${this.text}\r\n`, 'latin1');
  }
}

/** `76 Bad header line: <detail>`: spamd's answer to anything malformed. */
export function badHeader(code: SpamdErrorCode, detail: string, note?: string): SpamdError {
  return new SpamdError(code, EX.PROTOCOL, `Bad header line: ${detail}`, note);
}

/** `69 Service Unavailable: <detail>`. */
export function unavailable(code: SpamdErrorCode, detail: string): SpamdError {
  return new SpamdError(code, EX.UNAVAILABLE, `Service Unavailable: ${detail}`);
}

/** `79 Timeout: <detail>`. */
export function timeout(code: SpamdErrorCode, detail: string): SpamdError {
  return new SpamdError(code, EX.TIMEOUT, `Timeout: ${detail}`);
}
