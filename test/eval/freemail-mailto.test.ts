/** FreeMail's body addresses from mailto: links: a link to one address counts, a comma list does not (as SpamAssassin 4.0.1). */
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
