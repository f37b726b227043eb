/**
 * The request reader against what spamd 4.0.1 answered to the same bytes
 * (measured on this host: shared/reference section 6 and our own probes of
 * /usr/sbin/spamd, recorded here as the expected error lines).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deflateSync } from 'node:zlib';
import { readRequest, RequestReader, type ReadResult } from '../../src/spamd/request';

const LIMITS = { maxBytes: 1 << 20, allowTell: true };
const MSG = 'Subject: hi\r\n\r\nhello\r\n';
const req = (s: string | Buffer, closed = true, limits: { maxBytes: number; allowTell?: boolean } = LIMITS): ReadResult => readRequest(Buffer.isBuffer(s) ? s : Buffer.from(s, 'latin1'), limits, closed);
const errLine = (r: ReadResult): string => (r.kind === 'error' ? r.error.line().toString('latin1') : `(no error: ${r.kind})`);
const body = (r: ReadResult): string => (r.kind === 'request' ? r.request.body.toString('latin1') : `(not a request: ${errLine(r)})`);

const errors: [string, string | Buffer, string, boolean?][] = [
  ['unknown verb', `FOO SPAMC/1.5\r\n\r\n`, 'SPAMD/1.0 76 Bad header line: FOO SPAMC/1.5\r\n'],
  ['lower-case verb', `check SPAMC/1.5\r\n\r\n${MSG}`, 'SPAMD/1.0 76 Bad header line: check SPAMC/1.5\r\n'],
  ['no version', 'CHECK\r\n\r\n', 'SPAMD/1.0 76 Bad header line: CHECK\r\n'],
  ['short body', `CHECK SPAMC/1.5\r\nContent-length: 10\r\n\r\nhello`, 'SPAMD/1.0 76 Bad header line: (Content-Length mismatch: Expected 10 bytes, got 5 bytes)\r\n'],
  ['line runs past the count', `CHECK SPAMC/1.5\r\nContent-length: 3\r\n\r\n${MSG}`, 'SPAMD/1.0 76 Bad header line: (Content-Length mismatch: Expected 3 bytes, got 13 bytes)\r\n'],
  ['header without colon', `CHECK SPAMC/1.1\r\nfoo\r\n\r\n`, "SPAMD/1.0 76 Bad header line: (header not in 'Name: value' format)\r\n"],
  ['blank LF line does not end headers', `SYMBOLS SPAMC/1.5\nContent-length: 22\n\n${MSG}`, "SPAMD/1.0 76 Bad header line: (header not in 'Name: value' format)\r\n"],
  ['non-numeric length', `CHECK SPAMC/1.5\r\nContent-length: abc\r\n\r\n${MSG}`, 'SPAMD/1.0 76 Bad header line: (Content-Length contains non-numeric bytes)\r\n'],
  ['negative length', `CHECK SPAMC/1.5\r\nContent-length: -5\r\n\r\n${MSG}`, 'SPAMD/1.0 76 Bad header line: (Content-Length contains non-numeric bytes)\r\n'],
  ['length with trailing space', `CHECK SPAMC/1.5\r\nContent-length:  22 \r\n\r\n${MSG}`, 'SPAMD/1.0 76 Bad header line: (Content-Length contains non-numeric bytes)\r\n'],
  ['compress without length', `CHECK SPAMC/1.5\r\nCompress: zlib\r\n\r\n${MSG}`, 'SPAMD/1.0 69 Service Unavailable: Compress requires Content-length header\r\n'],
  ['compress gzip', `CHECK SPAMC/1.5\r\nCompress: gzip\r\nContent-length: 5\r\n\r\n${MSG}`, 'SPAMD/1.0 76 Bad header line: (compression type not supported: gzip)\r\n'],
  ['set and remove local', `TELL SPAMC/1.5\r\nMessage-class: spam\r\nSet: local\r\nRemove: local\r\nContent-length: 22\r\n\r\n${MSG}`, 'SPAMD/1.0 76 Bad header line: Unable to set local and remove local in the same operation.\r\n'],
  ['nothing sent', '', 'SPAMD/1.0 76 Bad header line: (closed before headers)\r\n'],
  ['PING 1.5 without its blank line', 'PING SPAMC/1.5\r\n', 'SPAMD/1.0 76 Bad header line: (EOF during headers)\r\n'],
  ['NUL and CR in User', `CHECK SPAMC/1.5\r\nUser: ev\x00il\rX\r\nContent-length: 22\r\n\r\n${MSG}`, 'SPAMD/1.0 76 Bad header line: (User header contains control chars)\r\n'],
  ['tab in User', `CHECK SPAMC/1.5\r\nUser: a\tb\r\nContent-length: 22\r\n\r\n${MSG}`, 'SPAMD/1.0 76 Bad header line: (User header contains control chars)\r\n'],
  ['too many headers', `CHECK SPAMC/1.5\r\n${Array.from({ length: 300 }, (_, i) => `X-H${i}: a\r\n`).join('')}Content-length: 22\r\n\r\n${MSG}`, 'SPAMD/1.0 76 Bad header line: (too many headers)\r\n'],
];

for (const [name, bytes, want] of errors) {
  test(`spamd's error line: ${name}`, () => assert.equal(errLine(req(bytes)), want));
}

test('TELL without --allow-tell', () => {
  const r = req(`TELL SPAMC/1.5\r\nMessage-class: spam\r\nSet: local\r\nContent-length: 22\r\n\r\n${MSG}`, true, { maxBytes: 1 << 20, allowTell: false });
  assert.equal(errLine(r), 'SPAMD/1.0 69 Service Unavailable: TELL commands are not enabled, set the --allow-tell switch.\r\n');
});

test('bad zlib data', () => {
  const r = req(`CHECK SPAMC/1.5\r\nCompress: zlib\r\nContent-length: 5\r\n\r\nhello`);
  assert.match(errLine(r), /^SPAMD\/1\.0 69 Service Unavailable: zlib: .+\r\n$/);
});

const accepted: [string, string, string][] = [
  ['1.0 reads no headers', `CHECK SPAMC/1.0\r\nfoo\r\n\r\n`, 'foo\r\n\r\n'],
  ['an unreadable version is 0: no headers', `CHECK SPAMC/abc\r\nfoo\r\n\r\n`, 'foo\r\n\r\n'],
  ['trailing text after the version', `CHECK SPAMC/1.5 extra\r\nContent-length: 22\r\n\r\n${MSG}`, MSG],
  ['leading space', ` CHECK SPAMC/1.5\r\nContent-length: 22\r\n\r\n${MSG}`, MSG],
  ['LF header lines, CRLF blank line', `SYMBOLS SPAMC/1.5\nContent-length: 22\n\r\n${MSG}`, MSG],
  ['Content-Length (capital L) is ignored: read to EOF', `CHECK SPAMC/1.5\r\nContent-Length: 3\r\n\r\n${MSG}`, MSG],
  ['the last Content-length wins', `CHECK SPAMC/1.5\r\nContent-length: 3\r\nContent-length: 22\r\n\r\n${MSG}`, MSG],
  ['no space after the colon', `CHECK SPAMC/1.5\r\nContent-length:22\r\n\r\n${MSG}`, MSG],
  ['CRLF after the counted body is left unread (Perl, npm clients)', `CHECK SPAMC/1.5\r\nContent-length: 22\r\n\r\n${MSG}\r\n`, MSG],
  ['no Content-length: to EOF (Haraka)', `HEADERS SPAMC/1.4\r\nUser: default\r\n\r\n${MSG}`, MSG],
  ['empty message', 'CHECK SPAMC/1.5\r\nContent-length: 0\r\n\r\n', ''],
];
for (const [name, bytes, want] of accepted) {
  test(`accepted as spamd accepts it: ${name}`, () => assert.equal(body(req(bytes)), want));
}

test('answered as soon as the counted bytes are in, without waiting for EOF (amavis, Perl)', () => {
  const r = req(`SYMBOLS SPAMC/1.3\r\nContent-length: 22\r\n\r\n${MSG}`, false);
  assert.equal(r.kind, 'request');
});

test('PING and SKIP: one line below 1.5, a header block from 1.5', () => {
  assert.equal(req('PING SPAMC/1.2\r\n', false).kind, 'request');
  assert.equal(req('SKIP SPAMC/1.2\r\n', false).kind, 'request');
  assert.equal(req('PING SPAMC/1.5\r\n', false).kind, 'more');
  assert.equal(req('PING SPAMC/1.5\r\n\r\n', false).kind, 'request');
});

test('Compress: zlib is inflated; Content-length counts compressed bytes', () => {
  const z = deflateSync(Buffer.from(MSG), { level: 3 });
  const r = req(Buffer.concat([Buffer.from(`SYMBOLS SPAMC/1.5\r\nUser: bob\r\nCompress: zlib\r\nContent-length: ${z.length}\r\n\r\n`), z]), false);
  assert.equal(body(r), MSG);
  assert.ok(r.kind === 'request' && r.request.compressed && r.request.user === 'bob');
});

test('a zlib bomb is stopped at the size limit', () => {
  const z = deflateSync(Buffer.alloc(5 << 20));
  const r = req(Buffer.concat([Buffer.from(`CHECK SPAMC/1.5\r\nCompress: zlib\r\nContent-length: ${z.length}\r\n\r\n`), z]), false);
  assert.match(errLine(r), /^SPAMD\/1\.0 65 Message too big/);
});

test('over the size limit: refused on the header alone, or as the bytes arrive', () => {
  const limits = { maxBytes: 100 };
  assert.match(errLine(req('CHECK SPAMC/1.5\r\nContent-length: 101\r\n\r\n', false, limits)), /^SPAMD\/1\.0 65 Message too big/);
  const r = new RequestReader(limits);
  assert.equal(r.push(Buffer.from('CHECK SPAMC/1.5\r\n\r\n')).kind, 'more');
  assert.equal(r.push(Buffer.alloc(60, 97)).kind, 'more');
  assert.equal(r.push(Buffer.alloc(60, 97)).kind, 'error');
});

test('byte-at-a-time arrival gives the same request', () => {
  const bytes = Buffer.from(`TELL SPAMC/1.5\r\nMessage-class: spam\r\nSet: local, remote\r\nUser: bob\r\nContent-length: 22\r\n\r\n${MSG}`);
  const r = new RequestReader(LIMITS);
  let last: ReadResult = { kind: 'more' };
  for (const b of bytes) last = r.push(Buffer.from([b]));
  assert.equal(last.kind, 'request');
  if (last.kind !== 'request') return;
  assert.equal(last.request.body.toString(), MSG);
  assert.deepEqual(last.request.tell, { messageClass: 'spam', setLocal: true, setRemote: true, removeLocal: false, removeRemote: false });
});

test('an overlong header line is refused', () => {
  assert.match(errLine(req(`CHECK SPAMC/1.5\r\nX: ${'a'.repeat(10000)}`, false)), /^SPAMD\/1\.0 76 Bad header line: \(header line too long\)/);
});

test('a User with DEL or 8-bit bytes is accepted as spamd accepts it', () => {
  const r = req(`CHECK SPAMC/1.5\r\nUser: a\x7fb\xe9\x85\r\nContent-length: 22\r\n\r\n${MSG}`);
  assert.equal(r.kind === 'request' && r.request.user, 'a\x7fb\xe9\x85');
});
