import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseMessage } from '../../src/message/parse';
import { envelopeFrom } from '../../src/message/header-access';

const msg = (headers: string) => parseMessage(Buffer.from(`${headers}\nSubject: x\n\nbody\n`));

test('EnvelopeFrom ignores Return-Path when any Return-Path sits below a Received line', () => {
  const cases: Array<[string, string | undefined]> = [
    ['Return-Path: <a@example.com>\nReceived: (from mail@localhost) by h.example.org id x1; Wed, 21 Aug 2002 11:47:36 -0400', 'a@example.com'],
    // spam-2/00712: a second Return-Path further down makes the first one untrustworthy too
    [
      'Return-Path: <a@example.com>\nReceived: (from mail@localhost) by h.example.org id x1; Wed, 21 Aug 2002 11:47:36 -0400\nReturn-Path: <b@example.net>',
      undefined,
    ],
    ['Received: (from mail@localhost) by h.example.org id x1; Wed, 21 Aug 2002 11:47:36 -0400\nReturn-Path: <b@example.net>', undefined],
    // Envelope-Sender below a Received line: fall through to a clean Return-Path
    ['Return-Path: <a@example.com>\nReceived: (from mail@localhost) by h.example.org id x1; Wed, 21 Aug 2002 11:47:36 -0400\nEnvelope-Sender: <c@example.net>', 'a@example.com'],
    // X-Envelope-From below a Received line: give up altogether
    ['Return-Path: <a@example.com>\nReceived: (from mail@localhost) by h.example.org id x1; Wed, 21 Aug 2002 11:47:36 -0400\nX-Envelope-From: <c@example.net>', undefined],
  ];
  for (const [headers, want] of cases) assert.equal(envelopeFrom(msg(headers)), want, headers);
});
