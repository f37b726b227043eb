/**
 * A multipart body with no boundary line in it (or no boundary parameter) is read as one part,
 * as SpamAssassin 4.0.1 does (checked with `spamassassin -t`: its body and rawbody rules hit the
 * text). Before, hamlet kept such a body out of every view, so a broken multipart hid spam text.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseMessage } from '../../src/message/parse';

const HEAD = 'From: a@b.example\nTo: c@d.example\nSubject: x\nMIME-Version: 1.0\n';

test('no boundary line: the body is a text/plain part that body and rawbody views read', () => {
  const m = parseMessage(Buffer.from(HEAD + 'Content-Type: multipart/mixed; boundary="XYZ"\n\nhello uniquefoo there\n'));
  assert.match(m.bodyText.join(''), /hello uniquefoo there/);
  assert.match(m.rawBodyText.join(''), /uniquefoo/);
  assert.equal(m.leaves.length, 1);
  assert.equal(m.leaves[0]!.type, 'text/plain');
  assert.equal(m.flags.missingMimeBoundary, true);
});

test('no boundary parameter: the same', () => {
  const m = parseMessage(Buffer.from(HEAD + 'Content-Type: multipart/alternative\n\nhello uniquefoo there\n'));
  assert.match(m.bodyText.join(''), /uniquefoo/);
});

test('header-shaped lines at the top are the part header: an HTML part is rendered', () => {
  const m = parseMessage(Buffer.from(HEAD + 'Content-Type: multipart/mixed; boundary="XYZ"\n\nContent-Type: text/html\n\n<p>Click <b>now</b></p>\n'));
  assert.equal(m.leaves[0]!.type, 'text/html');
  assert.match(m.bodyText.join(''), /Click now/);
  assert.doesNotMatch(m.bodyText.join(''), /<b>/);
});

test('a multipart that splits is unchanged', () => {
  const m = parseMessage(Buffer.from(HEAD + 'Content-Type: multipart/mixed; boundary="XYZ"\n\n--XYZ\nContent-Type: text/plain\n\none\n--XYZ\nContent-Type: text/plain\n\ntwo\n--XYZ--\n'));
  assert.equal(m.leaves.length, 2);
  assert.equal(m.flags.missingMimeBoundary, false);
});
