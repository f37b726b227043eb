/** spamd 4.0.1's per-request lines, as its log showed them for the same requests. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connectionLine, logMessageId, messageLine, resultLine, tellLine, verdictLine, type PeerInfo, type ScanFacts } from '../../src/spamd/spamd-lines';

const tcp: PeerInfo = { rhost: 'localhost', raddr: '127.0.0.1', rport: 47268, local: 783, unix: false, fd: 5 };
const unix: PeerInfo = { rhost: 'localhost', raddr: '127.0.0.1', rport: '/run/spamd.sock', local: '/run/spamd.sock', unix: true };
const spam: ScanFacts = {
  verb: 'CHECK',
  user: 'root',
  uid: 65534,
  isSpam: true,
  score: 18.64,
  required: 5,
  tests: ['DEAR_FRIEND', 'NO_RELAYS'],
  seconds: 0.94,
  size: 1620,
  messageId: '<20261102031415.4471.qx@mailer.example>',
  bayes: 1,
  autolearn: 'unavailable autolearn_force=no',
  timedOut: false,
};

test('connection lines: TCP and unix socket', () => {
  assert.equal(connectionLine(tcp).text, 'connection from localhost [127.0.0.1]:47268 to port 783, fd 5');
  assert.equal(connectionLine(unix).text, 'got connection over /run/spamd.sock');
});

test('checking for every verb but PROCESS, which is processing', () => {
  assert.equal(messageLine('CHECK', ' <a@b> ', 'alice', 1000).text, 'checking message <a@b> for alice:1000');
  assert.equal(messageLine('PROCESS', '<a@b>', undefined, 1000).text, 'processing message <a@b> for (unknown):1000');
  assert.equal(messageLine('SYMBOLS', undefined, 'bob', 0).text, 'checking message (unknown) for bob:0');
});

test('message ids: characters outside printable ASCII become ?', () => {
  assert.equal(logMessageId('<a,b"c d>'), '<a,b"c?d>');
  assert.equal(logMessageId('<x\ty\u00c3\u00a9>'), '<x?y??>'); // é as its two UTF-8 bytes
  assert.equal(logMessageId('\n  <folded@x>  '), '<folded@x>');
  assert.equal(logMessageId('   '), '(unknown)');
});

test('verdict lines', () => {
  assert.equal(verdictLine(spam).text, 'identified spam (18.6/5.0) for root:65534 in 0.9 seconds, 1620 bytes.');
  assert.equal(verdictLine({ ...spam, isSpam: false, score: -1.5, seconds: 0.2, size: 940 }).text, 'clean message (-1.5/5.0) for root:65534 in 0.2 seconds, 940 bytes.');
});

test('result lines: two-column truncated score, fields in spamd order, bayes only when it ran', () => {
  assert.equal(
    resultLine(spam, tcp).text,
    'result: Y 18 - DEAR_FRIEND,NO_RELAYS scantime=0.9,size=1620,user=root,uid=65534,required_score=5.0,rhost=localhost,raddr=127.0.0.1,rport=47268,mid=<20261102031415.4471.qx@mailer.example>,bayes=1.000000,autolearn=unavailable autolearn_force=no',
  );
  const ham = { ...spam, isSpam: false, score: 0, tests: [], bayes: undefined, messageId: '<a,b"c d>', autolearn: 'no autolearn_force=no' };
  assert.equal(
    resultLine(ham, unix).text,
    'result: .  0 -  scantime=0.9,size=1620,user=root,uid=65534,required_score=5.0,rhost=localhost,raddr=127.0.0.1,rport=/run/spamd.sock,mid=<a_b"c?d>,autolearn=no autolearn_force=no',
  );
  assert.match(resultLine({ ...ham, score: -1.5 }, tcp).text, /^result: \. -1 - /);
  assert.match(resultLine({ ...spam, score: 1000 }, tcp).text, /^result: Y 1000 - /);
  assert.match(resultLine({ ...spam, timedOut: true }, tcp).text, /,time_limit_exceeded$/);
});

test('the facts travel as fields too', () => {
  const f = resultLine(spam, tcp).fields;
  assert.equal(f.event, 'result');
  assert.equal(f.spam, true);
  assert.equal(f.score, 18.64);
  assert.deepEqual(f.tests, ['DEAR_FRIEND', 'NO_RELAYS']);
  assert.equal(f.rport, 47268);
  assert.equal(f.bayes, 1);
});

test('TELL lines', () => {
  assert.equal(tellLine(['local'], [], 'root', 65534, 0.42, 1620).text, 'Tell: Setting local for root:65534 in 0.4 seconds, 1620 bytes');
  assert.equal(tellLine([], ['local'], 'root', 65534, 0.1, 1620).text, 'Tell: Removing local for root:65534 in 0.1 seconds, 1620 bytes');
  assert.equal(tellLine([], [], undefined, 0, 0, 1).text, 'Tell: Did nothing for (unknown):0 in 0.0 seconds, 1 bytes');
});
