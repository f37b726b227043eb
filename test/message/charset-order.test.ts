/**
 * The order in which a body's charset is tried, as SpamAssassin 4.0.1 decodes (normalize_charset
 * on): valid UTF-8 first whatever the label, then the declared charset strictly, then
 * Windows-1252. Each expectation is what SpamAssassin answered on the same message.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkMessage } from '../../src/check/index';
import { rulesFrom } from '../helpers/net-check';

const RULES = rulesFrom(
  [
    'body T_ALPHA /\\xce\\xb1/', // α in UTF-8
    'body T_W1252_A /\\xc3\\xa1/', // á: 0xE1 read as Windows-1252
    'body T_E_ACUTE /caf\\xc3\\xa9 /',
    'body T_NI /\\xe4\\xbd\\xa0/', // 你 in UTF-8
    'body T_W1252_C4 /\\xc3\\x84/', // Ä: 0xC4 read as Windows-1252
  ].join('\n'),
);

function hits(charset: string, body: string): readonly string[] {
  const head = ['From: a@example.com', 'To: b@example.org', 'Subject: x', 'MIME-Version: 1.0', `Content-Type: text/plain; charset=${charset}`, 'Content-Transfer-Encoding: 8bit', '', ''].join('\n');
  return checkMessage(Buffer.concat([Buffer.from(head), Buffer.from(body, 'latin1'), Buffer.from('\n')]), RULES).result.tests;
}

test('a body in the declared single-byte charset reads in it; a byte it leaves unassigned sends the whole body to Windows-1252', () => {
  assert.deepEqual(hits('iso-8859-7', 'ab \xe1 ok'), ['T_ALPHA']);
  assert.deepEqual(hits('iso-8859-7', 'ab \xe1 \xd2 ok'), ['T_W1252_A']);
});

test('valid UTF-8 is read as UTF-8 whatever charset is declared', () => {
  assert.deepEqual(hits('iso-8859-2', 'ab caf\xc3\xa9 ok'), ['T_E_ACUTE']);
});

test('GB2312 is read strictly: a GBK-only character sends the body to Windows-1252', () => {
  assert.deepEqual(hits('gb2312', 'ab \xc4\xe3 ok'), ['T_NI']);
  assert.deepEqual(hits('gb2312', 'ab \xc4\xe3 \xa9\x60 ok'), ['T_W1252_C4']);
});

test('a label that starts with gb2312 (Outlook\'s "GB2312_CHARSET") reads as GB2312, as Perl\'s Encode takes it', () => {
  assert.deepEqual(hits('"GB2312_CHARSET"', 'ab \xc4\xe3 ok'), ['T_NI']);
  assert.deepEqual(hits('gb2312-80', 'ab \xc4\xe3 ok'), ['T_NI']);
  assert.deepEqual(hits('xgb2312', 'ab \xc4\xe3 ok'), ['T_W1252_C4'], 'only a leading gb2312 counts');
});
