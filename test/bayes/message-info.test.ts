/** The ids a message is learned under: SpamAssassin's generated digest id, then the Message-ID. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { messageIds } from '../../src/bayes/message-info';
import { parseMessage } from '../../src/message/parse';

const sha1 = (b: Buffer): string => createHash('sha1').update(b).digest('hex');

test('the generated id digests the last To, the last Date (as UTF-8, newline-terminated) and the body', () => {
  const raw = 'To: a@example.com\r\nTo: =?UTF-8?Q?J=C3=B6rg?= <b@example.com>\r\nDate: Fri, 02 Aug 2002 23:37:59 +0530\r\nMessage-Id: <abc.123@example.com>\r\n\r\nline one\r\nline two\r\n';
  const body = Buffer.from('line one\nline two\n', 'latin1');
  const src = Buffer.from('Jörg <b@example.com>\n\0Fri, 02 Aug 2002 23:37:59 +0530\n\0' + sha1(body), 'utf8');
  assert.deepEqual(messageIds(parseMessage(Buffer.from(raw, 'latin1'))), [sha1(src) + '@sa_generated', 'abc.123@example.com']);
});

test('absent fields count as empty and a Message-ID without brackets adds no id', () => {
  const raw = 'Subject: hi\nMessage-Id: no-brackets@example.com\n\nbody\n';
  const src = Buffer.from('\0\0' + sha1(Buffer.from('body\n')), 'utf8');
  assert.deepEqual(messageIds(parseMessage(Buffer.from(raw, 'latin1'))), [sha1(src) + '@sa_generated']);
});
