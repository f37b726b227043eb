/** FreeMail's body addresses: from mailto: links (one address per link) and from the text, leaving out quoted ones (as SpamAssassin 4.0.1). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkMessage } from '../../src/check/index';
import { rulesFrom } from '../helpers/net-check';

const RULES = rulesFrom(['freemail_domains yahoo.com libero.it', 'header FM_REPLY eval:check_freemail_replyto("reply")', 'score FM_REPLY 1'].join('\n'));

function message(href: string): Buffer {
  return Buffer.from(
    ['From: Jo <jo@yahoo.com>', 'To: a@example.org', 'Subject: hi', 'MIME-Version: 1.0', 'Content-Type: text/html', '', `<html><body><a href="${href}">write</a></body></html>`, ''].join('\n'),
  );
}

test('a mailto: link to another free mail address makes From and body differ', () => {
  assert.deepEqual(checkMessage(message('mailto:mr6666@libero.it?subject=x'), RULES).result.tests, ['FM_REPLY']);
});

test('a mailto: link to a comma list of addresses is not read as one address', () => {
  assert.deepEqual(checkMessage(message('mailto:raymond2@btamail.net.cn,mr6666@libero.it?subject=x'), RULES).result.tests, []);
});

/** A plain-text message from a free mail address whose body names `line`. */
function plain(line: string): Buffer {
  return Buffer.from(['From: Jo <jo@gmail.com>', 'To: a@example.org', 'Subject: hi', '', line, 'hello there', ''].join('\n'));
}
const GMAIL_RULES = rulesFrom(['freemail_domains yahoo.com gmail.com', 'header FM_REPLY eval:check_freemail_replyto("reply")', 'score FM_REPLY 1'].join('\n'));

test('a body address quoted in <> or before "wrote:" is not a reply address; one followed by tel: is (as SpamAssassin 4.0.1)', () => {
  const hits = (line: string): readonly string[] => checkMessage(plain(line), GMAIL_RULES).result.tests;
  assert.deepEqual(hits('On Monday, Al <al@yahoo.com> wrote:'), []);
  assert.deepEqual(hits('al@yahoo.com wrote:'), []);
  assert.deepEqual(hits('Write to al@yahoo.com today.'), ['FM_REPLY']);
  assert.deepEqual(hits('al@yahoo.com tel: 555'), ['FM_REPLY']);
});

test('a mailto: link whose exact address the text also shows counts as text, and text in <> is left out', () => {
  const html = (inner: string): Buffer =>
    Buffer.from(['From: Jo <jo@gmail.com>', 'To: a@example.org', 'Subject: hi', 'MIME-Version: 1.0', 'Content-Type: text/html', '', `<html><body><p>hello ${inner}</p></body></html>`, ''].join('\n'));
  const hits = (inner: string): readonly string[] => checkMessage(html(inner), GMAIL_RULES).result.tests;
  assert.deepEqual(hits('&lt;<a href="mailto:al@yahoo.com">al@yahoo.com</a>&gt;'), []);
  assert.deepEqual(hits('<a href="mailto:al@yahoo.com">mail me</a> &lt;al@yahoo.com&gt;'), []);
  assert.deepEqual(hits('<a href="mailto:al@yahoo.com">mail me</a> &lt;AL@yahoo.com&gt;'), ['FM_REPLY']);
  assert.deepEqual(hits('<a href="mailto:al@yahoo.com">mail me</a>'), ['FM_REPLY']);
});
