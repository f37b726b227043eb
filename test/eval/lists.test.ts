import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { runEval } from '../helpers/eval-context';
import { compileGlobs, globListMatches, globSource } from '../../src/eval/lists-glob';
import { hostQueryKeys } from '../../src/eval/lists-uri-host';
import { splitDomain } from '../../src/eval/lists-wlbl';
import type { OptionValues } from '../../src/options/option-values';

const PUBLIC_HOP = 'from out.sender.org (mail.sender.org [203.0.113.9]) by mx.example.com (8.12.8/8.12.8) with ESMTP id h2; Mon, 1 Sep 2003 09:59:00 +0000';

/** A message with the given header lines, one public relay, and a body. */
function msg(headers: string[], body = 'hello', received: string[] = [PUBLIC_HOP]): string {
  return [...received.map((r) => `Received: ${r}`), ...headers, 'Subject: test', '', body, ''].join('\n');
}

describe('globs', () => {
  const cases: [string, string, boolean][] = [
    ['*@example.com', 'Joe@Example.COM', true],
    ['*@example.com', 'joe@example.com.evil.net', false],
    ['joe@example.com', 'joe@example.com', true],
    ['j?e@example.com', 'joe@example.com', true],
    ['j?e@example.com', 'jooe@example.com', false],
    ['*.example.com', 'x@mail.example.com', true],
    ['*.example.com', 'x@example.com', false],
    ['*@*.example.com', 'x@mail.example.com', true],
    ['a+b@example.com', 'a+b@example.com', true],
    ['a+b@example.com', 'aab@example.com', false],
  ];
  for (const [glob, addr, want] of cases) {
    it(`${glob} vs ${addr}`, () => assert.equal(globListMatches(compileGlobs([glob]), addr), want));
  }
  it('runs of * collapse; ? is one character', () => assert.equal(globSource('a**?'), 'a.*.'));
  it('an empty list matches nothing', () => assert.equal(globListMatches(compileGlobs([]), 'x@y.z'), false));
});

describe('check_from_in_welcomelist / blocklist', () => {
  const wl: OptionValues = { welcomelist_from: ['*@friend.org', 'boss@work.com'], blocklist_from: ['*@spam.biz'] };
  const cases: [string, string[], string, boolean][] = [
    ['From glob', ['From: Pal <pal@friend.org>'], 'check_from_in_welcomelist', true],
    ['From exact', ['From: boss@WORK.com'], 'check_from_in_welcomelist', true],
    ['From not listed', ['From: x@other.org'], 'check_from_in_welcomelist', false],
    ['Envelope-Sender counts', ['From: x@other.org', 'Envelope-Sender: pal@friend.org'], 'check_from_in_welcomelist', true],
    ['X-Envelope-From counts', ['From: x@other.org', 'X-Envelope-From: <pal@friend.org>'], 'check_from_in_welcomelist', true],
    ['Resent-From replaces the others', ['From: pal@friend.org', 'Resent-From: x@other.org'], 'check_from_in_welcomelist', false],
    ['Resent-From listed', ['From: x@other.org', 'Resent-From: pal@friend.org'], 'check_from_in_welcomelist', true],
    ['repeated dots squeezed', ['From: pal@mail..friend.org'], 'check_from_in_welcomelist', false],
    ['blocklist', ['From: bad@spam.biz'], 'check_from_in_blocklist', true],
    ['blocklist miss', ['From: bad@spam.biz.org'], 'check_from_in_blocklist', false],
    ['old name', ['From: bad@spam.biz'], 'check_from_in_blacklist', true],
  ];
  for (const [name, headers, fn, want] of cases) it(name, () => assert.equal(runEval(fn, msg(headers), [], wl), want));
  it('squeezed dots can make an address match', () => {
    assert.equal(runEval('check_from_in_welcomelist', msg(['From: pal@friend..org']), [], wl), true);
  });
});

describe('*_from_rcvd', () => {
  const o: OptionValues = {
    welcomelist_from_rcvd: ['*@sender.org sender.org', 'list@lists.net [203.0.113.0/24]', 'bad line with three'],
    def_welcomelist_from_rcvd: ['news@paper.com paper.com', 'ip@exact.com [203.0.113.9]', 'cls@classful.com [203.0.113]'],
  };
  const cases: [string, string, string, boolean][] = [
    ['rDNS domain matches', 'From: joe@sender.org', 'check_from_in_welcomelist', true],
    ['CIDR matches', 'From: list@lists.net', 'check_from_in_welcomelist', true],
    ['wrong relay', 'From: news@paper.com', 'check_from_in_default_welcomelist', false],
    ['exact IP', 'From: ip@exact.com', 'check_from_in_default_welcomelist', true],
    ['classful prefix', 'From: cls@classful.com', 'check_from_in_default_welcomelist', true],
    ['forged: listed address, wrong relay', 'From: news@paper.com', 'check_forged_in_default_welcomelist', true],
    ['not forged when not listed', 'From: x@nowhere.com', 'check_forged_in_default_welcomelist', false],
  ];
  for (const [name, from, fn, want] of cases) it(name, () => assert.equal(runEval(fn, msg([from]), [], o), want));
  it('rDNS must end in the domain at a label boundary', () => {
    const r = 'from out.x.org (mail.notsender.org [198.51.100.1]) by mx.example.com (8.12.8/8.12.8) with ESMTP id h2; Mon, 1 Sep 2003 09:59:00 +0000';
    assert.equal(runEval('check_from_in_welcomelist', msg(['From: joe@sender.org'], 'x', [r]), [], o), false);
  });
  it('welcomelist_allows_relays clears the forgery verdict', () => {
    const o2 = { ...o, welcomelist_allows_relays: ['news@paper.com'] };
    assert.equal(runEval('check_forged_in_default_welcomelist', msg(['From: news@paper.com']), [], o2), false);
  });
  it('no relays: never listed', () => {
    assert.equal(runEval('check_from_in_welcomelist', msg(['From: joe@sender.org'], 'x', []), [], o), false);
  });
});

describe('named lists (enlist_addrlist)', () => {
  const o: OptionValues = { enlist_addrlist: ['(PAYPAL) *@paypal.com *@*.paypal.com', '(BANKS) *@bank.co.uk'], blocklist_to: ['victim@example.com'] };
  const cases: [string, string[], string, string, boolean][] = [
    ['from in PAYPAL', ['From: service@paypal.com'], 'check_from_in_list', 'PAYPAL', true],
    ['from in PAYPAL subdomain', ['From: service@mail.paypal.com'], 'check_from_in_list', 'PAYPAL', true],
    ['from not in PAYPAL', ['From: service@paypal.com.evil.ru'], 'check_from_in_list', 'PAYPAL', false],
    ['unknown list', ['From: service@paypal.com'], 'check_from_in_list', 'NOPE', false],
    ['reply-to in BANKS', ['From: x@y.com', 'Reply-To: <help@bank.co.uk>'], 'check_replyto_in_list', 'BANKS', true],
    ['reply-to absent', ['From: help@bank.co.uk'], 'check_replyto_in_list', 'BANKS', false],
    ['to in an option list by name', ['To: victim@example.com'], 'check_to_in_list', 'blocklist_to', true],
  ];
  for (const [name, headers, fn, list, want] of cases) it(name, () => assert.equal(runEval(fn, msg(headers), [list], o), want));
});

describe('recipient lists', () => {
  const o: OptionValues = { welcomelist_to: ['me@example.com'], more_spam_to: ['*@spamlover.org'], all_spam_to: ['all@example.com'] };
  const cases: [string, string[], string[], string, boolean][] = [
    ['To', ['To: Me <me@example.com>'], [PUBLIC_HOP], 'check_to_in_welcomelist', true],
    ['Cc', ['To: x@y.com', 'Cc: me@example.com'], [PUBLIC_HOP], 'check_to_in_welcomelist', true],
    ['Delivered-To', ['Delivered-To: me@example.com'], [PUBLIC_HOP], 'check_to_in_welcomelist', true],
    ['Received for', ['To: x@y.com'], ['from a.b.org (a.b.org [203.0.113.9]) by mx.example.com (8.12.8/8.12.8) with ESMTP id h2 for <me@example.com>; Mon, 1 Sep 2003 09:59:00 +0000'], 'check_to_in_welcomelist', true],
    ['not listed', ['To: x@y.com'], [PUBLIC_HOP], 'check_to_in_welcomelist', false],
    ['Resent-To replaces To', ['To: me@example.com', 'Resent-To: x@y.com'], [PUBLIC_HOP], 'check_to_in_welcomelist', false],
    ['more_spam_to', ['To: joe@spamlover.org'], [PUBLIC_HOP], 'check_to_in_more_spam', true],
    ['all_spam_to', ['To: all@example.com'], [PUBLIC_HOP], 'check_to_in_all_spam', true],
    ['all_spam_to miss', ['To: joe@spamlover.org'], [PUBLIC_HOP], 'check_to_in_all_spam', false],
  ];
  for (const [name, headers, rcvd, fn, want] of cases) it(name, () => assert.equal(runEval(fn, msg(headers, 'x', rcvd), [], o), want));
});

describe('check_mailfrom_matches_rcvd', () => {
  const cases: [string, string, boolean][] = [
    ['same registrable domain', 'Return-Path: <bounce@news.sender.org>', true],
    ['different domain', 'Return-Path: <bounce@other.org>', false],
    ['no envelope sender', 'X-Nothing: 1', false],
  ];
  // The envelope header sits above the Received lines, as the delivering MTA adds it.
  for (const [name, h, want] of cases) it(name, () => assert.equal(runEval('check_mailfrom_matches_rcvd', `${h}\n${msg(['From: a@b.com'])}`), want));
  it('splitDomain honours util_rb_2tld', () => {
    assert.equal(splitDomain({ util_rb_2tld: ['co.uk'] }, 'mail.example.co.uk'), 'example.co.uk');
    assert.equal(splitDomain({}, 'mail.example.co.uk'), 'co.uk');
    assert.equal(splitDomain({}, 'localhost'), 'localhost');
  });
});

describe('URI host lists', () => {
  const o: OptionValues = {
    enlist_uri_host: ['(SHORT) bit.ly !safe.bit.ly', '(TLD) xyz'],
    blocklist_uri_host: ['evil.com'],
    welcomelist_uri_host: ['good.org'],
  };
  const cases: [string, string, string, boolean][] = [
    ['exact host', 'see http://bit.ly/abc now', 'SHORT', true],
    ['subdomain', 'see http://www.bit.ly/abc now', 'SHORT', true],
    ['excluded subdomain', 'see http://safe.bit.ly/abc now', 'SHORT', false],
    ['TLD listed', 'see http://shop.xyz/abc now', 'TLD', true],
    ['unrelated', 'see http://example.com/ now', 'SHORT', false],
  ];
  for (const [name, body, list, want] of cases) it(name, () => assert.equal(runEval('check_uri_host_listed', msg(['From: a@b.com'], body), [list], o), want));
  it('blocklist / welcomelist shorthands', () => {
    assert.equal(runEval('check_uri_host_in_blocklist', msg(['From: a@b.com'], 'go http://www.evil.com/x'), [], o), true);
    assert.equal(runEval('check_uri_host_in_blocklist', msg(['From: a@b.com'], 'go http://www.good.org/x'), [], o), false);
    assert.equal(runEval('check_uri_host_in_welcomelist', msg(['From: a@b.com'], 'go http://www.good.org/x'), [], o), true);
  });
  it('mailto links are not looked at', () => {
    assert.equal(runEval('check_uri_host_in_blocklist', msg(['From: a@b.com'], 'write mailto:x@evil.com'), [], o), false);
  });
  it('query keys walk up the labels', () => {
    assert.deepEqual(hostQueryKeys('a.b.example.com'), ['a.b.example.com', 'b.example.com', 'example.com', 'com']);
    assert.deepEqual(hostQueryKeys('192.0.2.1'), ['192.0.2.1']);
    assert.equal(hostQueryKeys('a.b.c.d.e.f.g.h.i.j.k.l.m').length, 11);
  });
});

describe('subject lists', () => {
  const o: OptionValues = { welcomelist_subject: ['Project X*report'], blocklist_subject: ['cheap ?iagra'] };
  const withSubject = (s: string) => `Received: ${PUBLIC_HOP}\nFrom: a@b.com\nSubject: ${s}\n\nbody\n`;
  const cases: [string, string, string, boolean][] = [
    ['welcome, substring and case-insensitive', 'Re: project x weekly REPORT', 'check_subject_in_welcomelist', true],
    ['welcome miss', 'project y report', 'check_subject_in_welcomelist', false],
    ['block with ?', 'buy CHEAP viagra', 'check_subject_in_blocklist', true],
    ['block miss', 'cheap tickets', 'check_subject_in_blocklist', false],
  ];
  for (const [name, subj, fn, want] of cases) it(name, () => assert.equal(runEval(fn, withSubject(subj), [], o), want));
});

describe('bounce relays', () => {
  const o: OptionValues = { welcomelist_bounce_relays: ['mail.example.com', '*.relay.example.com'] };
  const bounce = (quoted: string) => msg(['From: MAILER-DAEMON@x.org'], `Your message could not be delivered.\n\n${quoted}\n`);
  it('have_any_bounce_relays follows the option', () => {
    assert.equal(runEval('have_any_bounce_relays', bounce(''), [], o), true);
    assert.equal(runEval('have_any_bounce_relays', bounce(''), [], {}), false);
  });
  const cases: [string, string, boolean][] = [
    ['quoted Received naming our relay', 'Received: from pc by mail.example.com (Postfix) with ESMTP', true],
    ['glob relay', '> Received: from pc by out3.relay.example.com (Postfix) with ESMTP', true],
    ['someone else', 'Received: from pc by mail.other.com (Postfix) with ESMTP', false],
    ['not a Received line', 'We were sent by mail.example.com today', false],
  ];
  for (const [name, quoted, want] of cases) it(name, () => assert.equal(runEval('check_welcomelist_bounce_relays', bounce(quoted), [], o), want));
  it('folded Received in an attached message', () => {
    const raw = [
      `Received: ${PUBLIC_HOP}`, 'From: MAILER-DAEMON@x.org', 'Content-Type: multipart/report; boundary="b"', '', '--b', 'Content-Type: text/plain', '', 'failed', '--b',
      'Content-Type: message/rfc822', '', 'Received: from pc', '\tby mail.example.com (Postfix) with ESMTP', 'Subject: hi', '', 'x', '--b--', '',
    ].join('\n');
    assert.equal(runEval('check_welcomelist_bounce_relays', raw, [], o), true);
  });
});
