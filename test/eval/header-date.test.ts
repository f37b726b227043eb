import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseRfc822Date } from '../../src/message/date';
import { runEval } from '../helpers/eval-context';

const utc = (iso: string): number => Date.parse(iso) / 1000;

test('parseRfc822Date: lenient forms', () => {
  const cases: Array<[string, number | undefined]> = [
    ['Mon, 5 Aug 2002 10:00:00 +0100', utc('2002-08-05T09:00:00Z')],
    ['5 Aug 2002 10:00:00 -0000', utc('2002-08-05T10:00:00Z')],
    ['Mon,5 Aug 02 10:00 EST', utc('2002-08-05T15:00:00Z')],
    ['Tue, 06 Aug 2002 01:02:03 PDT', utc('2002-08-06T08:02:03Z')],
    ['Tue, 06 Aug 2002 01:02:03', utc('2002-08-06T01:02:03Z')],
    ['Tue, 06 Aug 2002 01:02:03 XYZ', utc('2002-08-06T01:02:03Z')],
    // ctime form: the time is consumed with the date, so midnight (as in SpamAssassin).
    ['Thu Nov 29 13:44:25 2001', utc('2001-11-29T00:00:00Z')],
    ['1 Jan 99 00:00:00 +0000', utc('1999-01-01T00:00:00Z')],
    ['1 Jan 102 00:00:00 +0000', utc('2002-01-01T00:00:00Z')],
    ['31 Apr 2002 12:00:00 +0000', utc('2002-05-01T12:00:00Z')],
    ['1 Jan 2002 25:61:99 +0000', utc('2002-01-01T23:59:59Z')],
    ['1 Jan 2050 00:00:00 +0000', utc('2037-01-01T00:00:00Z')],
    ['0 Jan 2002 00:00:00 +0000', undefined],
    ['yesterday at noon', undefined],
    ['', undefined],
  ];
  for (const [input, want] of cases) assert.equal(parseRfc822Date(input), want, input);
});

const msg = (date: string, received: string[], extra = ''): string =>
  received.map((r) => `Received: ${r}\n`).join('') + (date ? `Date: ${date}\n` : '') + `${extra}From: a@example.com\nSubject: hi\n\nbody\n`;

const RCVD = (when: string) => `from a.example.com (a.example.com [192.0.2.1]) by mx.example.org with ESMTP id X1; ${when}`;

test('check_for_shifted_date: hours between Date and closest Received', () => {
  const cases: Array<[string, string, string[], Array<string | number>, boolean]> = [
    ['past 4h', 'Mon, 5 Aug 2002 06:00:00 +0000', [RCVD('Mon, 5 Aug 2002 10:00:00 +0000')], ['-6', '-3'], true],
    ['past 4h not 6-12', 'Mon, 5 Aug 2002 06:00:00 +0000', [RCVD('Mon, 5 Aug 2002 10:00:00 +0000')], ['-12', '-6'], false],
    ['future 8h', 'Mon, 5 Aug 2002 18:00:00 +0000', [RCVD('Mon, 5 Aug 2002 10:00:00 +0000')], ['6', '12'], true],
    ['open lower bound', 'Mon, 1 Jul 2002 10:00:00 +0000', [RCVD('Mon, 5 Aug 2002 10:00:00 +0000')], ['undef', '-96'], true],
    ['open upper bound', 'Mon, 5 Aug 2002 10:00:00 +0000', [RCVD('Mon, 5 Aug 2002 10:00:00 +0000')], ['2920', 'undef'], false],
    ['zones are honoured', 'Mon, 5 Aug 2002 06:00:00 -0400', [RCVD('Mon, 5 Aug 2002 10:00:00 +0000')], ['-6', '-3'], false],
    // The closest Received wins: one hop agrees with Date.
    ['closest hop', 'Mon, 5 Aug 2002 06:00:00 +0000', [RCVD('Mon, 5 Aug 2002 10:00:00 +0000'), RCVD('Mon, 5 Aug 2002 06:30:00 +0000')], ['-6', '-3'], false],
    // An oldest hop stamped exactly like Date is ignored.
    ['oldest equal dropped', 'Mon, 5 Aug 2002 06:00:00 +0000', [RCVD('Mon, 5 Aug 2002 10:00:00 +0000'), RCVD('Mon, 5 Aug 2002 06:00:00 +0000')], ['-6', '-3'], true],
    ['no Date', '', [RCVD('Mon, 5 Aug 2002 10:00:00 +0000')], ['undef', '-96'], false],
    ['no Received', 'Mon, 1 Jul 2002 10:00:00 +0000', [], ['undef', '-96'], false],
  ];
  for (const [label, date, rcvd, args, want] of cases) {
    assert.equal(runEval('check_for_shifted_date', msg(date, rcvd), args), want, label);
  }
});

test('check_for_shifted_date: Resent-Date wins over Date', () => {
  const m = msg('Mon, 5 Aug 2002 10:00:00 +0000', [RCVD('Mon, 5 Aug 2002 10:00:00 +0000')], 'Resent-Date: Mon, 5 Aug 2002 06:00:00 +0000\n');
  assert.equal(runEval('check_for_shifted_date', m, ['-6', '-3']), true);
});

test('check_for_shifted_date: fetchmail hand-off on top is skipped', () => {
  const local = 'from localhost [127.0.0.1] by me.local with POP3 (fetchmail-6.2.5) for me; Mon, 5 Aug 2002 06:10:00 +0000';
  const fetch = 'from mx.example.org by localhost with POP3 (fetchmail-6.2.5) for me; Mon, 5 Aug 2002 06:10:00 +0000';
  const m = msg('Mon, 5 Aug 2002 06:00:00 +0000', [local, fetch, RCVD('Mon, 5 Aug 2002 10:00:00 +0000')]);
  assert.equal(runEval('check_for_shifted_date', m, ['-6', '-3']), true);
  const kept = msg('Mon, 5 Aug 2002 06:00:00 +0000', [fetch.replace('by localhost', 'by other.host'), RCVD('Mon, 5 Aug 2002 10:00:00 +0000')]);
  assert.equal(runEval('check_for_shifted_date', kept, ['-6', '-3']), false);
});

test('check_outlook_message_id: time token must fit Date or Received', () => {
  const t = utc('2002-08-05T10:00:00Z');
  const token = Math.trunc(t * 0.0023283064365387 + 27111902.8329849);
  const id = (tok: number) => `<0000${tok.toString(16).padStart(8, '0')}$0000abcd$00001234@host>`;
  const date = 'Mon, 5 Aug 2002 10:00:00 +0000';
  const rcvd = [RCVD(date)];
  const cases: Array<[string, string, boolean]> = [
    ['matches Date', `Message-ID: ${id(token)}\n`, false],
    ['far off', `Message-ID: ${id(token + 10000)}\n`, true],
    ['not outlook', 'Message-ID: <abc@host>\n', false],
  ];
  for (const [label, extra, want] of cases) assert.equal(runEval('check_outlook_message_id', msg(date, rcvd, extra)), want, label);
  // Date far off but the Received date fits: not invalid.
  assert.equal(runEval('check_outlook_message_id', msg('Mon, 1 Jul 2002 10:00:00 +0000', rcvd, `Message-ID: ${id(token)}\n`)), false);
});
