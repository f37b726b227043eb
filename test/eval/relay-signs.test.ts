import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { runEval } from '../helpers/eval-context';
import { looksDynamic } from '../../src/eval/relay-signs';

/** A message with these Received headers (newest first). */
function msg(...received: string[]): string {
  return [...received.map((r) => `Received: ${r}`), 'From: a@example.com', 'Subject: hi', '', 'body', ''].join('\n');
}

/** A sendmail-style hop into mx.example.net: `from HELO (RDNS [IP])`, or `from HELO ([IP])` when the client has no rDNS. */
const hop = (helo: string, rdns: string, ip: string) => `from ${helo} (${rdns ? `${rdns} ` : ''}[${ip}]) by mx.example.net (8.12.8/8.12.8) with SMTP id h1; Mon, 1 Sep 2003 10:00:00 +0000`;

describe('looksDynamic', () => {
  const cases: [string, string, boolean][] = [
    ['203.0.113.45', 'adsl-203-0-113-45.dsl.example.net', true],
    ['198.51.100.7', 'pool-7.cable.example.com', true],
    ['198.51.100.7', 'c-7-100-51-198.hsd1.example.net', true],
    ['198.51.100.7', 'host-c6336407.example.net', true],
    ['198.51.100.7', 'ppp12.dialup.example.org', true],
    // Sending servers carry their address too, but name themselves as mail hosts.
    ['54.240.8.57', 'a8-57.smtp-out.example.com', false],
    ['69.72.42.12', 'm42-12.esp.example', false],
    ['52.124.3.171', 'mail-3-171.example.net', false],
    ['203.0.113.9', 'out.sender.org', false],
    ['203.0.113.9', '', false],
    ['203.0.113.9', '203.0.113.9', false],
  ];
  for (const [ip, name, want] of cases) it(`${name || '(none)'} for ${ip}`, () => assert.equal(looksDynamic(ip, name), want));
});

describe('check_first_relay_dynamic / check_first_relay_dynamic_bad_helo', () => {
  const cases: [string, string, boolean, boolean][] = [
    ['dynamic line greeting with a bare word', hop('ejhvvet', 'adsl-203-0-113-45.dsl.example.net', '203.0.113.45'), true, true],
    ['dynamic line greeting with an address', hop('[203.0.113.45]', 'adsl-203-0-113-45.dsl.example.net', '203.0.113.45'), true, true],
    ['dynamic line greeting with its own dynamic name', hop('adsl-203-0-113-45.dsl.example.net', 'adsl-203-0-113-45.dsl.example.net', '203.0.113.45'), true, true],
    ['home server on a dynamic line with its own domain', hop('proton.example.com', 'adsl-203-0-113-45.dsl.example.net', '203.0.113.45'), true, false],
    ['no rDNS, bare-word HELO', hop('boston', '', '203.0.113.45'), false, true],
    ['mail server', hop('out.sender.org', 'out.sender.org', '203.0.113.9'), false, false],
    ['private client', hop('pc1', 'pc1.lan', '10.0.0.5'), false, false],
  ];
  for (const [name, received, dynamic, badHelo] of cases) {
    it(name, () => {
      assert.equal(runEval('check_first_relay_dynamic', msg(received)), dynamic);
      assert.equal(runEval('check_first_relay_dynamic_bad_helo', msg(received)), badHelo);
    });
  }

  it('only the relay that handed the message to us counts, not older hops', () => {
    const older = hop('ejhvvet', 'adsl-203-0-113-45.dsl.example.net', '203.0.113.45');
    const newest = hop('lists.example.org', 'lists.example.org', '198.51.100.20');
    assert.equal(runEval('check_first_relay_dynamic_bad_helo', msg(newest, older)), false);
  });
});

describe('check_relay_helo_claims_provider', () => {
  const cases: [string, string[], boolean][] = [
    ['a customer line greeting as hotmail.com', [hop('hotmail.com', 'adsl-203-0-113-45.dsl.example.net', '203.0.113.45')], true],
    ['a host under another domain greeting as a Yahoo host', [hop('mx1.mail.yahoo.com', 'acc04c42.ipt.example.com', '198.51.100.66')], true],
    ['no rDNS, greeting with the bare domain', [hop('yahoo.com', '', '203.0.113.45')], true],
    ['an older hop of the trail counts too', [hop('relay.example.org', 'relay.example.org', '198.51.100.20'), hop('aol.com', 'host.example.net', '203.0.113.45')], true],
    ["the provider's own host", [hop('mail-wm1-f52.google.com', 'mail-wm1-f52.google.com', '209.85.128.52')], false],
    ['a Hotmail host recorded under msn.com', [hop('hotmail.com', 'law2-f12.bay.msn.com', '64.4.17.59')], false],
    ['no rDNS, greeting with a host name under the provider', [hop('mail-wm1-f52.google.com', '', '209.85.128.52')], false],
    ['an ordinary server', [hop('out.sender.org', 'out.sender.org', '203.0.113.9')], false],
  ];
  for (const [name, received, want] of cases) it(name, () => assert.equal(runEval('check_relay_helo_claims_provider', msg(...received)), want));
});

describe('check_msgid_from_border', () => {
  const border = 'from ejhvvet (adsl-203-0-113-45.dsl.example.net [203.0.113.45]) by mx.example.net (8.12.8/8.12.8) with SMTP id g7NIh1Z03950; Mon, 1 Sep 2003 10:00:00 +0000';
  const withId = (id: string, ...received: string[]) => [...received.map((r) => `Received: ${r}`), `Message-ID: ${id}`, 'From: a@example.com', 'Subject: hi', '', 'body', ''].join('\n');
  const cases: [string, string, boolean][] = [
    ['written by our border from its queue id', withId('<200208231843.g7NIh1Z03950@mx.example.net>', border), true],
    ["the sender's own Message-ID", withId('<003a01c24d19$f7f142e0$010ea8c0@amy>', border), false],
    ['queue id at another domain', withId('<200208231843.g7NIh1Z03950@other.example.org>', border), false],
    [
      'written by an older hop (a submission server), not by our border',
      withId('<E17hrT0-0004gj-00@smtp.isp.example>', 'from smtp.isp.example (smtp.isp.example [198.51.100.20]) by mx.example.net (8.12.8/8.12.8) with ESMTP id h9; Mon, 1 Sep 2003 10:00:05 +0000', 'from home ([203.0.113.45]) by smtp.isp.example with esmtp (Exim 3.35) id 17hrT0-0004gj-00; Mon, 1 Sep 2003 10:00:00 +0000'),
      false,
    ],
  ];
  for (const [name, raw, want] of cases) it(name, () => assert.equal(runEval('check_msgid_from_border', raw), want));
});
