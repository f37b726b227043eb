/**
 * The one date parser (message/date.ts), used by the date evals and by Bayes's receive time.
 * Expected values were observed from SpamAssassin 4.0.1 (Mail::SpamAssassin::Util's
 * parse_rfc822_date and receive_date, run with TZ=UTC).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseRfc822Date } from '../../src/message/date';
import { receiveTime } from '../../src/bayes/message-info';
import { parseMessage } from '../../src/message/parse';

test('parseRfc822Date: named zones, DST spellings, ctime and clamping as SpamAssassin reads them', () => {
  const cases: Array<[string, number | undefined]> = [
    ['Mon, 12 Jun 2023 10:00:00 CEST', 1686556800],
    ['Mon, 12 Jun 2023 10:00:00 MEST', 1686556800],
    // `MET DST`: the zone is MET; the DST word is not read.
    ['Mon, 12 Jun 2023 10:00:00 MET DST', 1686560400],
    ['Mon, 12 Jun 2023 10:00:00 MET-DST', 1686564000],
    ['Mon, 12 Jun 2023 10:00:00 +0200 (CEST)', 1686556800],
    ['Mon, 12 Jun 2023 10:00:00 -0700 (PDT)', 1686589200],
    ['Mon, 12 Jun 2023 10:00:00 PDT', 1686589200],
    ['Mon, 12 Jun 2023 10:00:00 JST', 1686531600],
    ['Mon, 12 Jun 2023 10:00:00 AEST', 1686528000],
    ['Mon, 12 Jun 2023 10:00:00 NZDT', 1686517200],
    ['Mon, 12 Jun 2023 10:00:00 BST', 1686560400],
    ['Mon, 12 Jun 2023 10:00:00 XYZ', 1686564000],
    ['Mon, 12 Jun 2023 10:00:00 cest', 1686564000],
    ['Mon, 12 Jun 2023 10:00:00 +02:00', 1686564000],
    ['Mon, 12 Jun 2023 10:00', 1686564000],
    ['Mon,12 Jun 2023 10:00:00 +0000', 1686564000],
    ['12 Jun 23 10:00:00 +0000', 1686564000],
    ['12 Jun 98 10:00:00 +0000', 897645600],
    ['12 Jun 102 10:00:00 +0000', 1023876000],
    // ctime: the time is taken with the date, so the day's midnight, then the zone.
    ['Thu Nov 29 13:44:25 2001', 1006992000],
    ['Mon Jun 12 10:00:00 2023 +0200', 1686520800],
    ['Mon Jun 12 10:00:00 2023 CEST', 1686520800],
    ['Mon Jun 12 10:00:00 CEST 2023', undefined],
    ['31 Apr 2002 12:00:00 +0000', 1020254400],
    ['1 Jan 2002 25:61:99 +0000', 1009929599],
    ['1 Jan 2050 00:00:00 +0000', 2114380800],
    ['1 Jan 1960 00:00:00 +0000', 0],
    ['1 Jan 1970 00:30:00 +0100', 0],
    ['0 Jan 2002 00:00:00 +0000', undefined],
    ['2023-06-12T10:00:00Z', undefined],
    ['Monday, 12-Jun-23 10:00:00 GMT', undefined],
    ['12 June 2023 10:00:00 +0000', undefined],
  ];
  for (const [input, want] of cases) assert.equal(parseRfc822Date(input), want, input);
});

test('receiveTime: the hop SpamAssassin picks, read with the same parser', () => {
  const now = 2000000000;
  const cases: Array<[string, string, number]> = [
    ['CEST on the first hop', 'Received: from a (a [1.2.3.4]) by b; Mon, 12 Jun 2023 10:00:00 CEST\nDate: Mon, 01 Jul 2002 12:00:00 +0000\n', 1686556800],
    [
      'a localhost hop without fetchmail counts as the first',
      'Received: from localhost (localhost [127.0.0.1]) by b; Mon, 12 Jun 2023 09:00:00 +0000\nReceived: from a (a [1.2.3.4]) by b; Mon, 12 Jun 2023 10:00:00 MET DST\n',
      1686560400,
    ],
    [
      'local hand-overs come before later hops',
      'Received: (qmail 1 invoked by uid 0); 12 Jun 2023 11:00:00 -0000\nReceived: from x by localhost with POP3 (fetchmail-6.4.0); Mon, 12 Jun 2023 12:00:00 +0000\nReceived: from a by b; no date\n',
      1686567600,
    ],
    ['Resent-Date before Date', 'Received: from a by b; no date\nResent-Date: Mon, 12 Jun 2023 14:00:00 +0000\nDate: Mon, 12 Jun 2023 15:00:00 +0000\n', 1686578400],
    ['the whole Received field is searched', 'Received: from a by b id 5 May 2001 x; Mon, 12 Jun 2023 10:00:00 +0000\n', 989056800],
    ['a date at the epoch counts as none', 'Date: 1 Jan 1960 00:00:00 +0000\n', now],
  ];
  for (const [label, head, want] of cases) assert.equal(receiveTime(parseMessage(Buffer.from(head + '\nx\n')), now), want, label);
});
