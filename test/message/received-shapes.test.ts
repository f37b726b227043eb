import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseReceived, type ReceivedFields } from '../../src/message/received';

const fields = (v: string): ReceivedFields => {
  const r = parseReceived(v);
  assert.ok(typeof r === 'object', `expected a relay for: ${v}`);
  return r;
};

test('shapes SpamAssassin deliberately ignores are skipped, not unreadable', () => {
  const cases: Array<[string, 'skip' | undefined]> = [
    // sendmail -t submission
    ['(from mail@localhost) by int-mx1.corp.spamassassin.taint.org (8.11.6/8.11.6) id g7LFlah29920 for exmh-workers@listman.redhat.com; Wed, 21 Aug 2002 11:47:36 -0400', 'skip'],
    // juno's queue: upstream's pattern wants no space before `(jqueuemail)`
    ['(from vashugins@juno.com) by m06.lax.untd.com(jqueuemail) id LRVB3JAJ; Fri, 02 Jun 2006 08:15:21 PDT', 'skip'],
    ['(from vashugins@juno.com) by m06.lax.untd.com (jqueuemail) id LRVB3JAJ; Fri, 02 Jun 2006 08:15:21 PDT', undefined],
    ['from localhost (localhost [[UNIX: localhost]]) by docaoimh.tradesignals.com (8.11.6/8.11.6) id g7K92qf04171; Tue, 20 Aug 2002 10:02:52 +0100', 'skip'],
    ['from scv3.apple.com (scv3.apple.com) by mailgate1.apple.com (Content Technologies SMTPRS 4.2.1) with ESMTP id <T5c7220c21f118064e1438@mailgate1.apple.com>; Thu, 1 Aug 2002 12:09:00 -0700', 'skip'],
    // no IP anywhere and no known shape: unreadable
    ['from mail.example.com (mail.example.com) by mx.example.net (Foo 1.0) with ESMTP; Thu, 1 Aug 2002 12:09:00 -0700', undefined],
  ];
  for (const [value, want] of cases) assert.equal(parseReceived(value), want, value);
});

test('Obtuse smtpd: rDNS is the first word, HELO is the claimed name', () => {
  const cases: Array<[string, Partial<ReceivedFields>]> = [
    [
      'from ccgproperties.com(64.109.216.89), claiming to be "mx2.arabia.mail2world.com" via SMTP by InterJet.ceiak.com, id smtpdE13080; Sat Jul 20 23:23:40 2002',
      { ip: '64.109.216.89', rdns: 'ccgproperties.com', helo: 'mx2.arabia.mail2world.com', by: 'InterJet.ceiak.com', id: 'smtpdE13080', noReverseDns: false },
    ],
    [
      'from TCE-E-7-182-54.bta.net.cn(202.106.182.54) via SMTP by st.tahina.priv.at, id smtpdEDUB8h; Sun Nov 13 14:50:12 2005',
      { ip: '202.106.182.54', rdns: 'TCE-E-7-182-54.bta.net.cn', helo: '', by: 'st.tahina.priv.at' },
    ],
    // UNKNOWN: the name was not found, but upstream does not count that as a lookup
    ['from UNKNOWN(192.0.2.7) via SMTP by mx.example.org, id smtpdAAA; Sun Nov 13 14:50:12 2005', { ip: '192.0.2.7', rdns: '', noReverseDns: false }],
  ];
  for (const [value, want] of cases) {
    const r = fields(value);
    for (const [k, v] of Object.entries(want)) assert.equal(r[k as keyof ReceivedFields], v, `${k} of ${value}`);
  }
});

test('noReverseDns: set only where the MTA always records its lookup', () => {
  const cases: Array<[string, boolean]> = [
    // sendmail writes the bracketed IP alone when the lookup found nothing
    ['from mail.sxptt.zj.cn ([218.0.185.24]) by dogma.slashnull.org (8.11.6/8.11.6) with ESMTP id h2FH0Zx11330 for <webmaster@efi.ie>; Sat, 15 Mar 2003 17:00:41 GMT', true],
    // Postfix `unknown`
    ['from localhost (unknown [127.0.0.1]) by cabbage.jmason.org (Postfix) with ESMTP id A96E18BD97 for <jm@localhost>; Thu, 13 Mar 2003 15:23:15 -0500 (EST)', true],
    // ... but a name means no flag
    ['from BAY0-HMR08.adinternal.hotmail.com (bay0-hmr08.bay0.hotmail.com [65.54.241.207]) by dogma.slashnull.org (8.11.6/8.11.6) with ESMTP id h2DBpvs24047', false],
    // qmail: `unknown` may just mean tcpserver passed no name
    ['from unknown (HELO feux01a-isp) (213.199.4.210) by totor.bouissou.net with SMTP; 1 Nov 2003 07:05:19 -0000', false],
    // Lotus Domino never records the rDNS
    ['from mx1.mail.yahoo.com ([172.191.119.34]) by shreemail.shreecementltd.com (Lotus Domino Release 5.0.4) with ESMTP id 2001010215584608:1459 ; Tue, 2 Jan 2001 15:58:46 +0530', false],
    // Exim only writes the name when it has one
    ['from [61.174.163.26] (helo=host) by sc8-sf-list1.sourceforge.net with smtp (Exim 3.31-VA-mm2 #1 (Debian)) id 18t2z0-0001NX-00', false],
    // couriertcpd's failed lookup
    ['from bushinternet.com (softdnserr [::ffff:61.99.99.67]) by mail.cs.helsinki.fi with esmtp; Fri, 22 Aug 2003 12:25:41 +0300', false],
  ];
  for (const [value, want] of cases) assert.equal(fields(value).noReverseDns, want, value);
});

test('capitalised `From` is not the `from` branch: no HELO guessed from the first word', () => {
  const r = fields('From websamtoh.santoh.com ([203.238.163.51])  by harra.de ([38.93.90.22]) ;Wed, 27 Jun 2001 3:36:25 -400 (EDT)');
  assert.equal(r.ip, '203.238.163.51');
  assert.equal(r.helo, '');
  assert.equal(r.by, 'harra.de');
});

test('simta upper-case FROM/BY/ID shape', () => {
  const r = fields('FROM hackers.mr.itd.umich.edu (smtp.mail.umich.edu [141.211.14.81]) BY madman.mr.itd.umich.edu ID 434B508E.174A6.13932 ; 11 Oct 2005 01:41:34 -0400');
  assert.deepEqual([r.helo, r.rdns, r.ip, r.by, r.id], ['hackers.mr.itd.umich.edu', 'smtp.mail.umich.edu', '141.211.14.81', 'madman.mr.itd.umich.edu', '434B508E.174A6.13932']);
});

test('whitespace and trailing semicolons do not change the parse', () => {
  const a = 'from spike (spike.ig.co.uk [193.32.60.32]) by mail.ig.co.uk with SMTP id h27CrCD03362 for <asrg@ietf.org>; Fri, 7 Mar 2003 12:53:12 GMT';
  const b = ' from  spike\t(spike.ig.co.uk [193.32.60.32])\n  by mail.ig.co.uk with SMTP id h27CrCD03362 for <asrg@ietf.org>; Fri, 7 Mar 2003 12:53:12 GMT ; ;';
  assert.deepEqual(parseReceived(b), parseReceived(a));
  assert.equal(fields(a).rdns, 'spike.ig.co.uk');
});
