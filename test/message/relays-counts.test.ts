import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseHeaderBlock } from '../../src/message/headers';
import { buildRelayChain } from '../../src/message/relays';

const chain = (received: string[]) => buildRelayChain(parseHeaderBlock(Buffer.from(received.map((r) => `Received: ${r}\n`).join('') + '\n')).fields);

test('unparseable counts only headers no shape can read; skipped counts every non-relay', () => {
  const cases: Array<[string[], number, number, number]> = [
    [['(from mail@localhost) by int-mx1.corp.example.org (8.11.6/8.11.6) id g7LFlah29920; Wed, 21 Aug 2002 11:47:36 -0400'], 0, 1, 0],
    [['from cabbage.jmason.org [127.0.0.1] by localhost with IMAP (fetchmail-5.9.0) for jm@localhost (single-drop); Thu, 13 Mar 2003 20:39:56 -0800 (PST)'], 0, 1, 0],
    [['from mail.example.com (mail.example.com) by mx.example.net (Foo 1.0) with ESMTP; Thu, 1 Aug 2002 12:09:00 -0700'], 1, 1, 0],
    [
      [
        'from ccgproperties.com(64.109.216.89), claiming to be "mx2.arabia.mail2world.com" via SMTP by InterJet.ceiak.com, id smtpdE13080; Sat Jul 20 23:23:40 2002',
        'from localhost (localhost [[UNIX: localhost]]) by home.example.com (8.12.11/8.12.11/Submit) id iBADHRP6011034; Fri, 10 Dec 2004 13:17:27 GMT',
      ],
      0,
      1,
      1,
    ],
  ];
  for (const [received, unparseable, skipped, relays] of cases) {
    const c = chain(received);
    assert.equal(c.unparseable, unparseable, received.join(' | '));
    assert.equal(c.skipped, skipped, received.join(' | '));
    assert.equal(c.all.length, relays, received.join(' | '));
  }
});

test('relays carry noReverseDns from the parser', () => {
  const c = chain([
    'from mail.sxptt.zj.cn ([218.0.185.24]) by dogma.example.org (8.11.6/8.11.6) with ESMTP id h2FH0Zx11330; Sat, 15 Mar 2003 17:00:41 GMT',
    'from x71.example.dk (HELO niels) (69.96.3.15) by la.mx.example.com (qpsmtpd/0.27-dev) with SMTP; Fri, 02 Jan 2004 19:26:52 -0800',
  ]);
  assert.deepEqual(
    c.all.map((r) => r.noReverseDns),
    [true, false],
  );
  assert.match(c.pseudoHeaders.untrusted, /^\[ ip=218\.0\.185\.24 rdns= helo=mail\.sxptt\.zj\.cn by=dogma\.example\.org /);
});
