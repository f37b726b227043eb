/** URI blocklists: which hosts of a message are asked about, and the names asked. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseMessage } from '../../src/message/parse';
import { URI_KINDS_DKIM, URI_KINDS_TAIL } from '../helpers/uri-kinds';
import { dkimUriDomains } from '../../src/dns/dkim-uris';
import { uriblHosts, uriRhsblQueryName, type UriHost, type UriRuleFlags } from '../../src/dns/uri-blocklist';

function hostsOf(body: string, opts: Parameters<typeof uriblHosts>[1] = {}, headers = ''): UriHost[] {
  const msg = parseMessage(Buffer.from(`From: a@example.org\nSubject: s\n${headers}\n${body}\n`, 'latin1'));
  return uriblHosts(msg.uris, { ...opts, dkimDomains: opts.dkimDomains ?? dkimUriDomains(msg) });
}

const DKIM = URI_KINDS_DKIM;

describe('uriblHosts', () => {
  test('each host once, with its registrable domain; mailto: left out by default', () => {
    const got = hostsOf('see http://www.sub.dom0.com/x and http://1.2.3.0/y and HTTP://WWW.SUB.DOM0.COM/z, mail me@mail.example.co.uk');
    assert.deepEqual(got, [
      { host: 'www.sub.dom0.com', domain: 'dom0.com' },
      { host: '1.2.3.0', domain: '1.2.3.0' },
    ]);
    const withMailto = hostsOf('mail me@mail.example.co.uk', { skipMailto: false });
    assert.deepEqual(withMailto, [{ host: 'mail.example.co.uk', domain: 'example.co.uk' }]);
  });

  test('uridnsbl_skip_domain matches the registrable domain or the full host', () => {
    const got = hostsOf('http://a.skipped.com/ http://b.keep.com/ http://only.this.host.net/ http://other.host.net/', {
      skipDomains: new Set(['skipped.com', 'only.this.host.net']),
    });
    assert.deepEqual(got.map((h) => h.host), ['b.keep.com', 'other.host.net']);
  });

  test('uridnsbl_max_domains bounds distinct hosts (as SpamAssassin 4.0.1 does)', () => {
    const got = hostsOf('http://a.one.com/ http://b.one.com/ http://two.com/ http://three.com/', { maxDomains: 2 });
    assert.deepEqual(got.map((h) => h.host), ['a.one.com', 'b.one.com']);
  });
});

describe('uriblHosts: what SpamAssassin 4.0.1 prefers under uridnsbl_max_domains', () => {
  // Observed with `-D uridnsbl` on the same message and small maxima: anchors (their redirect
  // targets included), forms, images, then DKIM d= domains and schemeless text, then text URIs
  // written with a scheme.
  const cases: [number, string[]][] = [
    [2, ['html-a.com', 'redir-target.com']],
    [3, ['html-a.com', 'redir-target.com', 'html-form.com']],
    [4, ['html-a.com', 'redir-target.com', 'html-form.com', 'html-img.com']],
    [6, ['html-a.com', 'redir-target.com', 'html-form.com', 'html-img.com', 'www.text-www.com', 'sub.dk-one.co.uk']],
    [20, ['html-a.com', 'redir-target.com', 'html-form.com', 'html-img.com', 'www.text-www.com', 'sub.dk-one.co.uk', 'text-http.com']],
  ];
  for (const [max, want] of cases) {
    test(`max ${max}`, () => {
      const got = hostsOf('', { maxDomains: max, skipDomains: new Set(['google.com']) }, URI_KINDS_TAIL);
      assert.deepEqual(got.map((h) => h.host), want);
    });
  }

  test('other tags (link, iframe, area) come after images and before text URIs', () => {
    // Observed: with 1 SpamAssassin took the image; with 2 or 3, the image and one or two of
    // link / iframe / area (varying from run to run); the text URI last.
    const html = 'MIME-Version: 1.0\nContent-Type: text/html\n';
    const body = '<html><head><link rel="stylesheet" href="http://tag-link.com/s.css"></head><body>text http://text-http.com/ here <iframe src="http://tag-iframe.com/f"></iframe> <map><area href="http://tag-area.com/a"></map> <img src="http://tag-img.com/i.gif"></body></html>';
    assert.deepEqual(hostsOf(body, {}, html).map((h) => h.host), ['tag-img.com', 'tag-link.com', 'tag-iframe.com', 'tag-area.com', 'text-http.com']);
  });

  test('a DKIM domain comes before text URIs written with a scheme', () => {
    const got = hostsOf('http://p1.com/ http://p2.com/ www.w1.com', { maxDomains: 2 }, DKIM);
    assert.deepEqual(got.map((h) => h.host), ['www.w1.com', 'sub.dk-one.co.uk']);
  });
});

describe('dkimUriDomains (parse_dkim_uris)', () => {
  const cases: [string, string, string[]][] = [
    ['d= lower-cased, not i=', DKIM, ['sub.dk-one.co.uk']],
    ['each signature, each domain once', `${DKIM}DKIM-Signature: d=other.org; s=x\nDKIM-Signature: d=OTHER.org; s=y\n`, ['sub.dk-one.co.uk', 'other.org']],
    ['no d= tag', 'DKIM-Signature: v=1; s=sel; b=x\n', []],
    ['no signature', '', []],
  ];
  for (const [label, headers, want] of cases) {
    test(label, () => {
      const msg = parseMessage(Buffer.from(`From: a@example.org\n${headers}Subject: s\n\nhi\n`, 'latin1'));
      assert.deepEqual(dkimUriDomains(msg), want);
    });
  }

  test('the DKIM domains are asked about with the URIs, skip domains applying', () => {
    assert.deepEqual(hostsOf('http://body.com/', {}, DKIM).map((h) => h.host), ['sub.dk-one.co.uk', 'body.com']);
    assert.deepEqual(hostsOf('http://body.com/', { skipDomains: new Set(['dk-one.co.uk']) }, DKIM).map((h) => h.host), ['body.com']);
    assert.deepEqual(hostsOf('http://body.com/', { dkimDomains: [] }, DKIM).map((h) => h.host), ['body.com']);
  });
});

describe('uriRhsblQueryName', () => {
  const name: UriHost = { host: 'www.sub.bar.co.uk', domain: 'bar.co.uk' };
  const ip: UriHost = { host: '1.2.3.0', domain: '1.2.3.0' };
  const v6: UriHost = { host: '2001:db8::1', domain: '2001:db8::1' };
  const cases: [string, UriHost, UriRuleFlags, string | undefined][] = [
    ['trimmed to the registrable domain', name, {}, 'bar.co.uk.multi.test'],
    ['notrim: the full host', name, { notrim: true }, 'www.sub.bar.co.uk.multi.test'],
    ['an IP host reversed', ip, {}, '0.3.2.1.multi.test'],
    ['ips_only skips a name', name, { ipsOnly: true }, undefined],
    ['ips_only keeps an IP', ip, { ipsOnly: true }, '0.3.2.1.multi.test'],
    ['domains_only skips an IP', ip, { domainsOnly: true }, undefined],
    ['an IPv6 host is not asked', v6, {}, undefined],
  ];
  for (const [label, h, flags, want] of cases) {
    test(label, () => assert.equal(uriRhsblQueryName(h, 'multi.test.', flags), want));
  }
});
