import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { runEval } from '../helpers/eval-context';
import { forgedTrail, hostnameToDomain } from '../../src/eval/relay-checks';
import type { Relay } from '../../src/message/types';
import { NetSet } from '../../src/util/cidr';

/** A message with these Received headers (newest first) and a short body. */
function msg(...received: string[]): string {
  return [...received.map((r) => `Received: ${r}`), 'From: a@example.com', 'Subject: hi', '', 'body', ''].join('\n');
}

const PRIVATE_HOP = 'from mail.example.com (mail.example.com [10.0.0.5]) by mx.example.com (8.12.8/8.12.8) with ESMTP id h1; Mon, 1 Sep 2003 10:00:00 +0000';
const PUBLIC_HOP = 'from out.sender.org (out.sender.org [203.0.113.9]) by mail.example.com (8.12.8/8.12.8) with ESMTP id h2; Mon, 1 Sep 2003 09:59:00 +0000';
const LOCAL_DELIVERY = 'by mx.example.com (Postfix, from userid 1000) id 1234; Mon, 1 Sep 2003 10:00:01 +0000';
const GARBAGE = 'from somewhere over the rainbow; Mon, 1 Sep 2003 10:00:00 +0000';

describe('trust-boundary evals', () => {
  const cases: { name: string; raw: string; all: boolean; none: boolean; unparseable: boolean }[] = [
    { name: 'private hop only', raw: msg(PRIVATE_HOP), all: true, none: false, unparseable: false },
    { name: 'private then public hop', raw: msg(PRIVATE_HOP, PUBLIC_HOP), all: false, none: false, unparseable: false },
    { name: 'no Received at all', raw: msg(), all: false, none: true, unparseable: false },
    { name: 'only a local delivery (ignored, not unparseable)', raw: msg(LOCAL_DELIVERY), all: false, none: true, unparseable: false },
    { name: 'trusted hop plus an unreadable header', raw: msg(PRIVATE_HOP, GARBAGE), all: false, none: false, unparseable: true },
    { name: 'only an unreadable header', raw: msg(GARBAGE), all: false, none: false, unparseable: true },
  ];
  for (const c of cases) {
    it(c.name, () => {
      assert.equal(runEval('check_all_trusted', c.raw), c.all);
      assert.equal(runEval('check_no_relays', c.raw), c.none);
      assert.equal(runEval('check_relays_unparseable', c.raw), c.unparseable);
    });
  }

  it('configured trusted_networks decide trust', () => {
    const trusted = new NetSet();
    trusted.add('10.0.0.0/8');
    trusted.add('203.0.113.0/24');
    assert.equal(runEval('check_all_trusted', msg(PRIVATE_HOP, PUBLIC_HOP), [], {}, { relays: { trusted } }), true);
  });
});

describe('helo_ip_mismatch', () => {
  const hop = (helo: string, ip: string) => `from ${helo} (host.example.net [${ip}]) by mx.example.com (8.12.8/8.12.8) with ESMTP id x; Mon, 1 Sep 2003 10:00:00 +0000`;
  const cases: [string, string, string, boolean][] = [
    ['different /24', '198.51.100.7', '203.0.113.9', true],
    ['same /24', '203.0.113.7', '203.0.113.9', false],
    ['same address', '203.0.113.9', '203.0.113.9', false],
    ['private HELO', '10.1.2.3', '203.0.113.9', false],
    ['name HELO', 'host.example.net', '203.0.113.9', false],
    ['octet over 255 is no IP', '198.51.100.300', '203.0.113.9', false],
  ];
  for (const [name, helo, ip, want] of cases) {
    it(name, () => assert.equal(runEval('helo_ip_mismatch', msg(hop(helo, ip))), want));
  }
});

describe('hostnameToDomain', () => {
  const cases: [string, string][] = [
    ['mail.example.com', 'example.com'],
    ['a.b.example.co.uk', 'example.co.uk'],
    ['smtp.example.de', 'example.de'],
    ['1.2.3.4', '1.2.3.4'],
    ['localhost', 'localhost'],
  ];
  for (const [host, want] of cases) it(host, () => assert.equal(hostnameToDomain(host), want));
});

describe('forged Received trail', () => {
  const relay = (rdns: string, by: string, ip = '203.0.113.9', helo = rdns): Relay => ({
    ip, rdns, helo, by, id: '', envfrom: '', auth: '', ident: '', noReverseDns: false, ipPrivate: false, trusted: false, internal: false, msa: false, source: '',
  });
  it('counts hops whose receiver is not the sender named one hop up', () => {
    const t = forgedTrail([relay('mx.alpha.com', 'in.bravo.com'), relay('out.charlie.com', 'relay.delta.com'), relay('x.echo.com', 'relay.foxtrot.com')]);
    assert.equal(t.fromMismatches, 2);
  });
  it('a consistent trail has no mismatch', () => {
    const t = forgedTrail([relay('mx.alpha.com', 'in.bravo.com'), relay('out.charlie.com', 'relay.alpha.com'), relay('x.echo.com', 'smtp.charlie.com')]);
    assert.equal(t.fromMismatches, 0);
  });
  it('msn.com receiving from hotmail.com is allowed', () => {
    assert.equal(forgedTrail([relay('mc1.hotmail.com', 'in.bravo.com'), relay('x.echo.com', 'mx.msn.com')]).fromMismatches, 0);
  });
  it('IP HELO in another /16', () => {
    assert.equal(forgedTrail([relay('x.echo.com', 'in.bravo.com', '203.0.113.9', '198.51.100.1')]).ipHeloMismatches, 1);
    assert.equal(forgedTrail([relay('x.echo.com', 'in.bravo.com', '203.0.113.9', '203.0.1.1')]).ipHeloMismatches, 0);
  });
  it('eval needs more than one mismatch', () => {
    const raw = msg(
      'from a.one.com (a.one.com [198.51.100.1]) by mx.two.com (8.12.8/8.12.8) with ESMTP id a; Mon, 1 Sep 2003 10:00:00 +0000',
      'from b.three.com (b.three.com [198.51.100.2]) by relay.four.com (8.12.8/8.12.8) with ESMTP id b; Mon, 1 Sep 2003 09:00:00 +0000',
      'from c.five.com (c.five.com [198.51.100.3]) by relay.six.com (8.12.8/8.12.8) with ESMTP id c; Mon, 1 Sep 2003 08:00:00 +0000',
    );
    assert.equal(runEval('check_for_forged_received_trail', raw), true);
    assert.equal(runEval('check_for_forged_received_trail', msg(PUBLIC_HOP)), false);
  });
});

describe('check_for_no_rdns_dotcom_helo', () => {
  const cases: [string, string, boolean][] = [
    ['Postfix unknown, yahoo HELO', 'from yahoo.com (unknown [203.0.113.9]) by mx.example.com (Postfix) with SMTP id A; Mon, 1 Sep 2003 10:00:00 +0000', true],
    ['Sendmail no rDNS, hotmail HELO', 'from mail.hotmail.com ([203.0.113.9]) by mx.example.com (8.12.8/8.12.8) with SMTP id A; Mon, 1 Sep 2003 10:00:00 +0000', true],
    ['has rDNS', 'from yahoo.com (host.isp.net [203.0.113.9]) by mx.example.com (Postfix) with SMTP id A; Mon, 1 Sep 2003 10:00:00 +0000', false],
    ['other HELO', 'from example.org (unknown [203.0.113.9]) by mx.example.com (Postfix) with SMTP id A; Mon, 1 Sep 2003 10:00:00 +0000', false],
  ];
  for (const [name, rcvd, want] of cases) it(name, () => assert.equal(runEval('check_for_no_rdns_dotcom_helo', msg(rcvd)), want));
});

describe('numeric HELO and sender reverse', () => {
  it('public IPv4 HELO hits, private does not', () => {
    const hop = (helo: string) => `from ${helo} (host.example.net [203.0.113.9]) by mx.example.com (8.12.8/8.12.8) with ESMTP id x; Mon, 1 Sep 2003 10:00:00 +0000`;
    assert.equal(runEval('check_for_numeric_helo', msg(hop('198.51.100.7'))), true);
    assert.equal(runEval('check_for_numeric_helo', msg(hop('192.168.1.1'))), false);
    assert.equal(runEval('check_for_numeric_helo', msg(hop('host.example.net'))), false);
  });
  it('sender_no_reverse needs a dotted rDNS on the oldest untrusted hop', () => {
    assert.equal(runEval('check_for_sender_no_reverse', msg(PUBLIC_HOP)), true);
    assert.equal(runEval('check_for_sender_no_reverse', msg(PRIVATE_HOP)), false);
  });
  it('check_for_illegal_ip is retired', () => assert.equal(runEval('check_for_illegal_ip', msg(PUBLIC_HOP)), false));
});

describe('forged trail host shape', () => {
  it('a one-letter first label is not a host name (as upstream)', () => {
    const r = (rdns: string, by: string): Relay => ({
      ip: '203.0.113.9', rdns, helo: rdns, by, id: '', envfrom: '', auth: '', ident: '', noReverseDns: false, ipPrivate: false, trusted: false, internal: false, msa: false, source: '',
    });
    assert.equal(forgedTrail([r('mx.alpha.com', 'in.bravo.com'), r('out.charlie.com', 'relay.d.com')]).fromMismatches, 0);
    assert.equal(forgedTrail([r('mx.alpha.com', 'in.bravo.com'), r('out.charlie.com', 'relay.dd.com')]).fromMismatches, 1);
  });
});

describe('unparseable vs deliberately ignored', () => {
  const cases: [string, string, boolean][] = [
    ['sendmail submission', '(from mail@localhost) by dogma.example.org (8.11.6/8.11.6) id g7NB9oq21542; Fri, 23 Aug 2002 12:09:50 +0100', false],
    ['UNIX socket', 'from localhost (localhost [[UNIX: localhost]]) by mx.example.org (8.12.5/8.12.5/Submit) id g98AgdeN002390; Fri, 23 Aug 2002 12:09:50 +0100', false],
    ['Content Technologies gateway', 'from scv1.apple.com (scv1.apple.com) by mailgate1.apple.com (Content Technologies SMTPRS 4.2.5) with ESMTP id <T5d8@x>; Fri, 23 Aug 2002 12:09:50 +0100', false],
    ['garbage', GARBAGE, true],
  ];
  for (const [name, rcvd, want] of cases) it(name, () => assert.equal(runEval('check_relays_unparseable', msg(rcvd)), want));
  it('an ignored header still leaves NO_RELAYS true', () => assert.equal(runEval('check_no_relays', msg(cases[0]![1])), true));
});

describe('qmail rDNS lookups', () => {
  const cases: [string, string, boolean][] = [
    ['qmail SMTP: unknown means not told', 'from unknown (HELO yahoo.com) (203.0.113.9) by mx.example.org with SMTP; 1 Sep 2003 10:00:00 -0000', false],
    ['other qmailish shape: looked up', 'from unknown (HELO yahoo.com) (203.0.113.9) by mx.example.org with esmtp; 1 Sep 2003 10:00:00 -0000', true],
    ['Lotus Domino never records rDNS', 'from yahoo.com ([203.0.113.9]) by mx.example.org (Lotus Domino Release 5.0.4) with ESMTP id 1; Mon, 1 Sep 2003 10:00:00 +0000', false],
  ];
  for (const [name, rcvd, want] of cases) it(name, () => assert.equal(runEval('check_for_no_rdns_dotcom_helo', msg(rcvd)), want));
});
