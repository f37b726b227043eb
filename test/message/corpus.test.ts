/** The whole public corpus parses, and concrete facts hold on a sample. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parseMessage } from '../../src/message/parse';
import { headerText, parseHeaderRequest, type HeaderRequest } from '../../src/message/header-access';
import { CORPUS_GROUPS, corpusFiles, corpusMessage } from '../helpers/corpus';

const req = (s: string) => parseHeaderRequest(s) as HeaderRequest;

test('all 6,046 corpus messages parse without an exception', () => {
  let n = 0;
  const failures: string[] = [];
  for (const group of CORPUS_GROUPS) {
    for (const file of corpusFiles(group)) {
      n++;
      try {
        const m = parseMessage(readFileSync(file));
        for (const h of m.headers) void h.value;
        void m.bodyText;
        void m.rawBodyText;
        void m.uris;
        void m.relays;
      } catch (e) {
        failures.push(`${file}: ${(e as Error).message}`);
      }
    }
  }
  assert.equal(n, 6046);
  assert.deepEqual(failures, []);
});

test('header forms: :addr, :name, ToCc, MESSAGEID, ALL, :raw', () => {
  const m = parseMessage(corpusMessage('spam-2', '00001'));
  assert.equal(headerText(m, req('From:addr')), 'startnow2002@hotmail.com');
  assert.equal(headerText(m, req('From:name')), 'Start Now');
  assert.equal(headerText(m, req('ToCc')), 'ilug@linux.ie\n');
  assert.equal(headerText(m, req('MESSAGEID')), '<1028311679.886@0.57.142>\n');
  assert.equal(headerText(m, req('Subject')), '[ILUG] STOP THE MLM INSANITY\n');
  assert.equal(headerText(m, req('Subject:raw')), ' [ILUG] STOP THE MLM INSANITY\n');
  assert.equal(headerText(m, req('X-No-Such-Header')), undefined);
  const all = headerText(m, req('ALL'))!;
  assert.match(all, /^Return-Path: <ilug-admin@linux\.ie>\n/);
  assert.match(all, /\nSubject: \[ILUG\] STOP THE MLM INSANITY\n/);
  assert.equal(m.mboxFrom, 'From ilug-admin@linux.ie  Tue Aug  6 11:51:02 2002');
});

test('rendered text of an HTML-only spam', () => {
  // spam-2/00004 is a text/html-only message
  const m = parseMessage(corpusMessage('spam-2', '00004'));
  assert.equal(m.root.type, 'text/html');
  const text = m.bodyText.join('');
  assert.ok(!/<[a-z]+[ >]/i.test(text), 'no tags left in the rendered text');
  assert.match(text, /LOSE 30 POUNDS IN 30 DAYS\.\.\. GUARANTEED!!!/);
  assert.match(text, /Why Use Our Amazing Weight Loss Capsules\?/);
  assert.match(text, /They act like a natural magnet to attract fat\./);
  assert.ok(m.htmlParts.length === 1);
  assert.ok(m.uris.length > 0);
});

// Expected values below were read from SpamAssassin 4.0.1 on the same messages.
test('URI list of an HTML-only spam: hrefs, mailto: and their domains', () => {
  const m = parseMessage(corpusMessage('spam-2', '00004'));
  assert.deepEqual([...m.uriList].sort(), [
    'http://www.geocities.com/ultra_weightloss_2002/',
    'mailto:ultratrim2002dontsend@yahoo.com',
    'mailto:ultratrimnow2001@aol.com',
  ]);
  const geo = m.uris.find((u) => u.url.startsWith('http://www.geocities.com'))!;
  assert.equal(geo.host, 'www.geocities.com');
  assert.equal(geo.domain, 'geocities.com');
  assert.deepEqual([...geo.sources].sort(), ['a', 'parsed']);
  assert.equal(m.uris.find((u) => u.url === 'mailto:ultratrimnow2001@aol.com')!.domain, 'aol.com');
});

test('URIs in plain text: schemes, fragments and query strings kept', () => {
  const m = parseMessage(corpusMessage('easy-ham-1', '02307'));
  assert.deepEqual([...m.uriList].sort(), [
    'http://diveintomark.org/archives/2002/10/05.html#perl_programmers_are_so_cute',
    'http://ln.hixie.ch/?start=1033841933&count=1',
  ]);
});

test('relays: trusted localhost hop, then untrusted from the first public IP', () => {
  const m = parseMessage(corpusMessage('easy-ham-1', '02307'));
  assert.equal(
    m.relays.pseudoHeaders.trusted,
    '[ ip=127.0.0.1 rdns=localhost helo=dogma.slashnull.org by=dogma.slashnull.org ident= envfrom= intl=1 id=g96805K15046 auth= msa=0 ]',
  );
  const spam = parseMessage(corpusMessage('spam-2', '00004'));
  assert.equal(spam.relays.trusted.length, 0);
  assert.deepEqual(
    spam.relays.untrusted.map((r) => [r.ip, r.rdns, r.helo, r.by]),
    [
      ['213.105.180.140', '', 'mandark.labs.netnoteinc.com', 'dogma.slashnull.org'],
      ['193.120.211.219', 'mail.webnote.net', 'webnote.net', 'mandark.labs.netnoteinc.com'],
      ['216.41.166.100', 'webcust2.hightowertech.com', 'webcust2.hightowertech.com', 'webnote.net'],
      ['199.35.236.73', '', 'html', 'webcust2.hightowertech.com'],
    ],
  );
  assert.equal(spam.relays.lastUntrustedIp, '213.105.180.140');
});

test('a POP/IMAP fetch restarts the chain: the local hops above it are dropped', () => {
  // easy-ham-1/00001: Postfix localhost hop, then a fetchmail IMAP hop, then the real chain
  const m = parseMessage(corpusMessage('easy-ham-1', '00001'));
  assert.equal(m.relays.trusted.length, 0);
  assert.equal(m.relays.untrusted[0]!.ip, '66.187.233.211');
  assert.equal(m.relays.untrusted[0]!.rdns, 'listman.spamassassin.taint.org');
});

test('Received shapes from several MTAs', () => {
  const cases: Array<[string, Partial<Record<'ip' | 'rdns' | 'helo' | 'by' | 'ident' | 'auth', string>>]> = [
    // Postfix
    ['from mail.example.org (mail.example.org [192.0.2.10]) by mx.example.net (Postfix) with ESMTP id ABC123', { ip: '192.0.2.10', rdns: 'mail.example.org', helo: 'mail.example.org', by: 'mx.example.net' }],
    ['from helo.example (unknown [192.0.2.11]) by mx.example.net (Postfix) with ESMTP id ABC124', { ip: '192.0.2.11', rdns: '', helo: 'helo.example' }],
    // Sendmail with ident
    ['from host.example.org (root@relay.example.org [192.0.2.12]) by mx.example.net (8.11.6/8.11.6) with ESMTP id g7M', { ip: '192.0.2.12', rdns: 'relay.example.org', ident: 'root' }],
    // Exim
    ['from [192.0.2.13] (helo=client.example) by mx.example.net with smtp (Exim 4.50) id 1ABC', { ip: '192.0.2.13', helo: 'client.example', rdns: '' }],
    ['from relay.example.org ([192.0.2.14] helo=client.example) by mx.example.net with esmtp (Exim 4.92) id 1ABD', { ip: '192.0.2.14', rdns: 'relay.example.org', helo: 'client.example' }],
    // qmail
    ['from unknown (HELO client.example) (192.0.2.15) by mx.example.net with SMTP', { ip: '192.0.2.15', rdns: '', helo: 'client.example' }],
    // Microsoft SMTPSVC and Exchange
    ['from client ([192.0.2.16]) by exch.example.net with Microsoft SMTPSVC(5.0.2195.6624)', { ip: '192.0.2.16', helo: 'client', by: 'exch.example.net' }],
    ['from EX1.corp.example (10.45.252.152) by EX2.corp.example (10.45.252.153) with Microsoft SMTP Server (version=TLS1_2, cipher=X) id 15.1.1261.35', { ip: '10.45.252.152', helo: 'EX1.corp.example' }],
    // Authenticated submission
    ['from [192.0.2.17] (dyn.example [192.0.2.17]) by smtp.example.net with ESMTPSA id x1', { ip: '192.0.2.17', auth: 'ESMTPSA' }],
  ];
  for (const [line, want] of cases) {
    const m = parseMessage(Buffer.from(`Received: ${line}; Mon, 1 Jan 2024 00:00:00 +0000\nSubject: t\n\nbody\n`));
    const r = m.relays.all[0];
    assert.ok(r, `parsed: ${line}`);
    for (const [k, v] of Object.entries(want)) assert.equal(r[k as keyof typeof want], v, `${k} of: ${line}`);
  }
});
