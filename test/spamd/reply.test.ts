/** Replies byte for byte against spamd 4.0.1 (shared/reference section 6 and probes of /usr/sbin/spamd). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkReply, messageReply, pongReply, reportReply, spamValue, symbolsReply, tellReply } from '../../src/spamd/reply';

const spam = { score: 1001.998, required: 5, isSpam: true };
const ham = { score: -1.5, required: 5, isSpam: false };
const s = (b: Buffer): string => b.toString('latin1');

test('CHECK', () => {
  assert.equal(s(checkReply(spam)), 'SPAMD/1.1 0 EX_OK\r\nSpam: True ; 1002.0 / 5.0\r\n\r\n');
  assert.equal(s(checkReply(ham)), 'SPAMD/1.1 0 EX_OK\r\nSpam: False ; -1.5 / 5.0\r\n\r\n');
});

test('number formats: one decimal; a ham at the threshold shows threshold - 0.1', () => {
  assert.equal(spamValue({ score: 4.96, required: 5, isSpam: false }), 'False ; 4.9 / 5.0');
  assert.equal(spamValue({ score: 15, required: 5, isSpam: true }), 'True ; 15.0 / 5.0');
  assert.equal(spamValue({ score: -0.04, required: 5, isSpam: false }), 'False ; -0.0 / 5.0');
});

test('SYMBOLS: Content-length and Spam from 1.3, no CRLF after the list; below 1.3 no length, CRLF', () => {
  const tests = ['BAYES_50', 'GTUBE', 'NO_RECEIVED', 'NO_RELAYS'];
  assert.equal(s(symbolsReply(spam, 1.5, tests)), 'SPAMD/1.1 0 EX_OK\r\nContent-length: 36\r\nSpam: True ; 1002.0 / 5.0\r\n\r\nBAYES_50,GTUBE,NO_RECEIVED,NO_RELAYS');
  const v12 = ['MISSING_DATE', 'NO_RELAYS'];
  assert.equal(s(symbolsReply({ score: 5.2, required: 5, isSpam: true }, 1.2, v12)), 'SPAMD/1.1 0 EX_OK\r\nSpam: True ; 5.2 / 5.0\r\n\r\nMISSING_DATE,NO_RELAYS\r\n');
});

test('REPORT and REPORT_IFSPAM', () => {
  assert.equal(s(reportReply(spam, 1.5, 'report\n', false)), 'SPAMD/1.1 0 EX_OK\r\nContent-length: 7\r\nSpam: True ; 1002.0 / 5.0\r\n\r\nreport\n');
  assert.equal(s(reportReply(ham, 1.5, 'report\n', true)), 'SPAMD/1.1 0 EX_OK\r\nContent-length: 0\r\nSpam: No ; -1.5 / 5.0\r\n\r\n');
  assert.equal(s(reportReply(spam, 1.2, 'r\n', true)), 'SPAMD/1.1 0 EX_OK\r\nSpam: Yes ; 1002.0 / 5.0\r\n\r\nr\n');
  assert.equal(s(reportReply(spam, 1.1, 'r\n', false)), 'SPAMD/1.1 0 EX_OK\r\nSpam: True ; 1002.0 / 5.0\r\n\r\nr\n');
});

test('PROCESS / HEADERS by version', () => {
  const m = Buffer.from('Subject: x\r\n\r\nbody\r\n');
  assert.equal(s(messageReply(spam, 1.5, m)), `SPAMD/1.1 0 EX_OK\r\nContent-length: ${m.length}\r\nSpam: True ; 1002.0 / 5.0\r\n\r\n${s(m)}`);
  assert.equal(s(messageReply(spam, 1.2, m)), `SPAMD/1.1 0 EX_OK\r\nContent-length: ${m.length}\r\n\r\n${s(m)}`);
  assert.equal(s(messageReply(spam, 1.1, m)), `SPAMD/1.0 0 EX_OK\r\n${s(m)}`);
});

test('PING and TELL', () => {
  assert.equal(s(pongReply()), 'SPAMD/1.5 0 PONG\r\n');
  assert.equal(s(tellReply(['local'], [])), 'SPAMD/1.1 0 EX_OK\r\nDidSet: local\r\n\r\n\r\n');
  assert.equal(s(tellReply([], ['local'])), 'SPAMD/1.1 0 EX_OK\r\nDidRemove: local\r\n\r\n\r\n');
  assert.equal(s(tellReply([], [])), 'SPAMD/1.1 0 EX_OK\r\n\r\n\r\n');
});
