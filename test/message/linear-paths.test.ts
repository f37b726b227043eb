/**
 * Header views on inputs shaped to hurt: 20,000 fields, a megabyte-long folded field,
 * address lists with thousands of entries or colons. Sizes are chosen so a quadratic
 * path would run for minutes (the test runner's timeout fails it) while linear code
 * takes well under a second; the tests assert the values, never the time.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseAddressList } from '../../src/message/address';
import { headerText, headerValues, parseHeaderRequest, type HeaderRequest } from '../../src/message/header-access';
import { MAX_HEADER_FIELDS, MAX_HEADER_VALUE_LENGTH } from '../../src/message/headers';
import { parseMessage } from '../../src/message/parse';
import { renderHtml } from '../../src/message/html';

const TIMEOUT = { timeout: 60_000 };

function req(spec: string): HeaderRequest {
  const r = parseHeaderRequest(spec);
  if ('error' in r) throw new Error(r.error);
  return r;
}

const head = 'From: "Sender" <a@example.com>\nSubject: hello\nDate: Sun, 6 Dec 2026 10:00:00 +0000\n';

test('an address entry of 2,000,000 colons after an @ is one entry', TIMEOUT, () => {
  const value = 'a@b' + ':'.repeat(2_000_000);
  assert.deepEqual(parseAddressList(value), [{ address: undefined, phrase: value }]);
  // Before an @ or <, a colon ends a group name each time.
  assert.deepEqual(parseAddressList(':'.repeat(2_000_000) + 'u@example.com'), [{ address: 'u@example.com', phrase: undefined }]);
});

test('an address list of 100,000 entries', TIMEOUT, () => {
  const list = Array.from({ length: 100_000 }, (_, i) => `"User ${i}" <u${i}@example.net>`).join(', ');
  const parsed = parseAddressList(list);
  assert.equal(parsed.length, 100_000);
  assert.deepEqual(parsed[99_999], { address: 'u99999@example.net', phrase: 'User 99999' });
});

test('20,000 To and Cc lines: every view, and the scalar forms take the first address or name', TIMEOUT, () => {
  const n = MAX_HEADER_FIELDS / 2 - 10;
  let to = '';
  let cc = '';
  for (let i = 0; i < n; i++) {
    to += `To: "To ${i}" <t${i}@example.net>, t${i}b@example.net\n`;
    cc += `Cc: c${i}@example.org\n`;
  }
  const msg = parseMessage(Buffer.from(head + to + cc + '\nbody\n', 'latin1'));
  assert.equal(headerValues(msg, req('ToCc:addr')).length, 3 * n);
  assert.equal(headerText(msg, req('ToCc:addr')), 't0@example.net');
  assert.equal(headerText(msg, req('Cc:addr')), 'c0@example.org');
  assert.equal(headerText(msg, req('To:name')), 'To 0');
  assert.equal(headerText(msg, req('To:addr:last')), `t${n - 1}@example.net`);
  assert.equal(headerValues(msg, req('To:name')).length, n);
  assert.equal(headerValues(msg, req('ALL')).length, 3 + 2 * n);
  assert.equal(headerText(msg, req('ToCc'))!.length, to.length + cc.length - 8 * n);
  // ALL is a header block: :addr does not take it apart.
  assert.equal(headerText(msg, req('ALL:addr')), 'From: "Sender" <a@example.com>');
});

test('a scalar :addr skips instances without an address, as the list form does', () => {
  const msg = parseMessage(Buffer.from('To: undisclosed-recipients:;\nTo: (nobody)\nTo: x@example.com, y@example.com\nSubject: s\n\nb\n'));
  assert.equal(headerText(msg, req('To:addr')), 'x@example.com');
  assert.equal(headerText(msg, req('To:name')), 'nobody');
  assert.deepEqual(headerValues(msg, req('To:addr')), ['x@example.com', 'y@example.com']);
  assert.equal(headerText(msg, req('Cc:addr')), undefined);
});

test('one field folded over 200,000 lines: cut at the value bound, every view built', TIMEOUT, () => {
  const folds = Array.from({ length: 200_000 }, (_, i) => ` u${i}@example.net,\n`).join('');
  const msg = parseMessage(Buffer.from(head + 'To: first@example.net,\n' + folds + 'X-After: 1\n\nbody\n', 'latin1'));
  assert.equal(msg.flags.truncatedHeader, true);
  const to = headerText(msg, req('To:raw'))!;
  assert.ok(to.length <= MAX_HEADER_VALUE_LENGTH + 1);
  assert.equal(headerText(msg, req('To:addr')), 'first@example.net');
  assert.equal(headerText(msg, req('X-After')), '1\n');
  const all = headerText(msg, req('ALL'))!;
  assert.ok(all.endsWith('X-After: 1\n'));
});

test('a header line of 4,000,000 bytes', TIMEOUT, () => {
  const msg = parseMessage(Buffer.from(head + 'X-Long: ' + 'a'.repeat(4_000_000) + '\nX-After: 1\n\nbody\n', 'latin1'));
  assert.equal(headerText(msg, req('X-Long'))!.length, MAX_HEADER_VALUE_LENGTH);
  assert.equal(headerText(msg, req('X-After')), '1\n');
});

test('HTML nested 1,000,000 levels deep renders its text (htmlparser2 remembers at most 1,024 open elements)', TIMEOUT, () => {
  const n = 1_000_000; // unbounded, htmlparser2's unshift-per-open stack takes minutes here
  const r = renderHtml(`<html><body>${'<div>'.repeat(n)}deep text${'</div>'.repeat(n)}</body></html>`);
  assert.match(r.visibleText, /deep text/);
  assert.equal(r.text.trim(), 'deep text');
});
