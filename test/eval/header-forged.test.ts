import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runEval } from '../helpers/eval-context';

const msg = (...headers: string[]): string => headers.map((h) => `${h}\n`).join('') + 'Subject: x\n\nbody\n';
const DATE = 'Mon, 5 Aug 2002 10:00:00 +0000';
const rcvd = (from: string, by = 'mx.example.org') => `Received: from ${from} by ${by} with ESMTP id X1; ${DATE}`;

test('gated_through_received_hdr_remover', () => {
  assert.equal(runEval('gated_through_received_hdr_remover', msg('From: a@b.com')), true, 'no Received at all');
  assert.equal(runEval('gated_through_received_hdr_remover', msg(rcvd('a.example.com (a.example.com [192.0.2.1])'), 'From: a@b.com')), false);
  assert.equal(runEval('gated_through_received_hdr_remover', msg(rcvd('groups.msn.com (tk2.msn.com [65.54.195.210])'), 'From: a@b.com')), true, 'MSN groups');
  const ezmlm = msg(
    'Mailing-List: contact list-help@example.org; run by ezmlm',
    'Delivered-To: mailing list list@example.org',
    `Received: (qmail 1234 invoked by uid 99); 5 Aug 2002 10:00:00 -0000`,
    'From: a@b.com',
  );
  assert.equal(runEval('gated_through_received_hdr_remover', ezmlm), true, 'ezmlm');
});

test('hotmail: forged HELO vs no Hotmail relay', () => {
  const genuine = msg(rcvd('hotmail.com (f135.law8.hotmail.com [216.33.241.135])'), 'X-Originating-IP: [192.0.2.7]', 'From: joe@hotmail.com');
  const forgedHelo = msg(rcvd('mail.hotmail.com (unknown [192.0.2.9])'), 'From: joe@hotmail.com');
  const noRelay = msg(rcvd('spam.example.net (spam.example.net [192.0.2.9])'), 'From: joe@hotmail.com');
  const other = msg(rcvd('spam.example.net (spam.example.net [192.0.2.9])'), 'From: joe@example.com');
  const cases: Array<[string, string, boolean, boolean]> = [
    ['genuine', genuine, false, false],
    ['genuine shape without X-Originating-IP', genuine.replace(/X-Originating-IP.*\n/, ''), true, false],
    ['forged HELO', forgedHelo, true, false],
    ['no hotmail relay', noRelay, false, true],
    ['not hotmail', other, false, false],
  ];
  for (const [label, raw, forged, none] of cases) {
    assert.equal(runEval('check_for_forged_hotmail_received_headers', raw), forged, `forged: ${label}`);
    assert.equal(runEval('check_for_no_hotmail_received_headers', raw), none, `none: ${label}`);
  }
});

test('check_for_forged_yahoo_received_headers', () => {
  const web = msg(rcvd('[192.0.2.5]', 'web12.mail.yahoo.com via HTTP'), 'From: joe@yahoo.com');
  const forged = msg(rcvd('spam.example.net (spam.example.net [192.0.2.9])'), 'From: joe@yahoo.com');
  assert.equal(runEval('check_for_forged_yahoo_received_headers', web.replace(' with ESMTP id X1', '')), false);
  assert.equal(runEval('check_for_forged_yahoo_received_headers', forged), true);
  assert.equal(runEval('check_for_forged_yahoo_received_headers', forged.replace('joe@yahoo.com', 'joe@example.com')), false);
});

test('check_for_forged_gmail_received_headers', () => {
  const base = [rcvd('spam.example.net (spam.example.net [192.0.2.9])'), 'From: joe@gmail.com'];
  const long = 'A'.repeat(70);
  assert.equal(runEval('check_for_forged_gmail_received_headers', msg(...base)), true);
  assert.equal(runEval('check_for_forged_gmail_received_headers', msg(...base, 'X-Received: by 10.1.2.3 with SMTP id abc;')), false);
  assert.equal(runEval('check_for_forged_gmail_received_headers', msg(...base, `X-Gm-Message-State: ${long}`, `X-Google-Smtp-Source: ${long}`)), false);
  assert.equal(runEval('check_for_forged_gmail_received_headers', msg(...base, `X-Gm-Message-State: ${long}`, 'X-Google-Smtp-Source: short')), true);
  assert.equal(runEval('check_for_forged_gmail_received_headers', msg(rcvd('x'), 'From: joe@example.com')), false);
});

test('check_for_forged_juno_received_headers and eudoramail', () => {
  const junoOld = msg(rcvd('cookie.juno.com (cookie.juno.com [64.136.0.1])'), 'X-Originating-IP: 192.0.2.3', 'X-Mailer: Juno 5.0', 'From: joe@juno.com');
  assert.equal(runEval('check_for_forged_juno_received_headers', junoOld), false);
  assert.equal(runEval('check_for_forged_juno_received_headers', junoOld.replace('Juno 5.0', 'Outlook')), true);
  assert.equal(runEval('check_for_forged_juno_received_headers', msg(rcvd('spam.example.net (x [192.0.2.9])'), 'From: joe@juno.com')), true);
  const eud = msg('Received: from Unknown/Local ([?.?.?.?]) by shared1-mail.whowhere.com; Thu Nov 29 13:44:25 2001', 'X-Sender-Ip: 192.175.21.146', 'From: joe@eudoramail.com');
  assert.equal(runEval('check_for_forged_eudoramail_received_headers', eud), false);
  assert.equal(runEval('check_for_forged_eudoramail_received_headers', eud.replace(/X-Sender-Ip.*\n/, '')), true);
});

test('check_for_fake_aol_relay_in_rcvd', () => {
  const fake = msg('Received: from unknown (HELO mta05bw.bigpond.com) (80.71.176.130) by rly-xw01.mx.aol.com with QMQP; Sat, 15 Jun 2002 23:37:16 -0000');
  const real = msg('Received: from logs-tr.proxy.aol.com (logs-tr.proxy.aol.com [152.163.201.132]) by rly-ip01.mx.aol.com (8.8.8/8.8.8/AOL-5.0.0) with ESMTP id NAA08955; Thu, 4 Apr 2002 13:11:20 -0500');
  assert.equal(runEval('check_for_fake_aol_relay_in_rcvd', fake), true);
  assert.equal(runEval('check_for_fake_aol_relay_in_rcvd', real), false);
  assert.equal(runEval('check_for_fake_aol_relay_in_rcvd', msg(rcvd('a.example.com'))), false);
});
