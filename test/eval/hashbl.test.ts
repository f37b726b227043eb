/**
 * HashBL: query labels (hashes as SpamAssassin 4.0.1 was seen to send them), OPTS parsing, and
 * the three evals against a real DNS server (values found, names asked, hits).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { hashblLabel, parseHashblList, parseHashblOpts, pickValues, type HashblOpts } from '../../src/dns/hashbl-query';
import { TestDnsServer } from '../helpers/dns-server';
import { netCheck, rulesFrom } from '../helpers/net-check';

const opts = (text: string): HashblOpts => parseHashblOpts(text, 'sha1') as HashblOpts;
const BTC = '1BoatSLRHtKNngkdXEeobR76b53LETtpyT';

describe('hashbl query labels (seen sent by SpamAssassin 4.0.1)', () => {
  const rows: [string, string, string | undefined][] = [
    ['raw', BTC, '1boatslrhtknngkdxeeobr76b53lettpyt'],
    ['sha1', BTC, '5ff71056f5957ec4f568c23fa187b3436f625de4'],
    ['md5/case', BTC, '88708d1727b4255b77fd1fd237593b0b'],
    ['sha256', BTC, 'keitxluig57nas3uk44sjpk3m2zf4xgzd76uzunumhf2zbzv7otq'],
    ['sha1', 'http://www.example.com/path/to?x=1', '62c8759faf0bca36e11d6d8ebf2cc6c80dc1e932'],
    ['raw', 'bounce.me+tag@env.example.com', 'bounce.me+tag@env.example.com'],
    ['raw', 'http://www.example.com/', undefined],
  ];
  for (const [o, value, want] of rows) test(`${o} ${value}`, () => assert.equal(hashblLabel(value, opts(o)), want));
});

describe('hashbl arguments', () => {
  test('lists', () => {
    assert.deepEqual(parseHashblList('bl.example.'), { zone: 'bl.example', type: 'A' });
    assert.deepEqual(parseHashblList('bl.example/TXT'), { zone: 'bl.example', type: 'TXT' });
    assert.ok('error' in parseHashblList('bl example'));
  });
  test('OPTS: defaults when empty, all parts read', () => {
    assert.deepEqual(parseHashblOpts('', 'sha1/max=10/shuffle'), { hash: 'sha1', keepCase: false, max: 10, shuffle: true, flags: new Set(['shuffle']) });
    const o = parseHashblOpts('md5/max=3/case/nodot', 'sha1');
    assert.ok(!('error' in o) && o.hash === 'md5' && o.max === 3 && o.keepCase && o.flags.has('nodot'));
    assert.ok('error' in parseHashblOpts('max=3', 'sha1'));
  });
  test('max cuts, shuffle picks at random among more', () => {
    const vals = ['a', 'b', 'c', 'd', 'a'];
    assert.deepEqual(pickValues(vals, opts('raw/max=3')), ['a', 'b', 'c']);
    assert.deepEqual(pickValues(vals, opts('raw/max=3/shuffle'), () => 0), ['b', 'c', 'd']);
    assert.deepEqual(pickValues(vals, opts('raw/max=9/shuffle'), () => 0), ['a', 'b', 'c', 'd']);
  });
});

let server: TestDnsServer;

before(async () => {
  server = await TestDnsServer.start();
  server
    .add('1boatslrhtknngkdxeeobr76b53lettpyt.hb.test', 'A', '127.0.0.2')
    .add('bodyuser@body.example.net.he.test', 'A', '127.0.0.2')
    .add('e4e750b6e812321f7f1efd8873d84f3f58b3e3ec.hu.test', 'A', '127.0.0.3');
});

after(async () => {
  await server.stop();
});

const MSG = [
  'Return-Path: <Bounce.Me+tag@Env.Example.com>',
  'From: Some One <First.Last+news@From.Example.com>',
  'Reply-To: reply@reply.example.org',
  'To: b@example.net',
  'Subject: hi',
  'Message-ID: <x@example.org>',
  '',
  `hello write to Body.User+x@Body.Example.net or <quoted@q.example.net>, pay ${BTC} or 3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy`,
  'see http://www.Example.com/Path/To?x=1 or https://other.example.info and www.third.example.com/a',
  '',
].join('\n');

async function run(rule: string, zone: string, extra: string[] = []): Promise<{ asked: string[]; hit: boolean }> {
  server.received.length = 0;
  const cf = [...extra, rule, 'tflags Z_H net', 'score Z_H 0.1'];
  const { result } = await netCheck(MSG, rulesFrom(cf.join('\n')), server);
  const asked = server.received.filter((q) => q.name.endsWith(`.${zone}`)).map((q) => q.name.slice(0, -zone.length - 1));
  return { asked: asked.sort(), hit: result.counts.has('Z_H') };
}

describe('hashbl evals (names as SpamAssassin 4.0.1 asked them for this message)', () => {
  test('check_hashbl_bodyre raw', async () => {
    const got = await run("body Z_H eval:check_hashbl_bodyre('hb.test', 'raw/max=10/shuffle', '\\b([13][a-km-zA-HJ-NP-Z1-9]{25,34})\\b')", 'hb.test');
    assert.deepEqual(got, { asked: ['1boatslrhtknngkdxeeobr76b53lettpyt', '3j98t1wpez73cnmqviecrnyiwrnqrhwnly'], hit: true });
  });
  test('check_hashbl_bodyre with a sub-test the answer fails', async () => {
    const got = await run("body Z_H eval:check_hashbl_bodyre('hb.test', 'raw', '\\b(1Boat\\w+)', '^127\\.0\\.0\\.3$')", 'hb.test');
    assert.deepEqual(got, { asked: ['1boatslrhtknngkdxeeobr76b53lettpyt'], hit: false });
  });
  test('check_hashbl_bodyre honours hashbl_ignore', async () => {
    const got = await run("body Z_H eval:check_hashbl_bodyre('hb.test', 'raw', '\\b([13][a-km-zA-HJ-NP-Z1-9]{25,34})\\b')", 'hb.test', [`hashbl_ignore ${BTC}`]);
    assert.deepEqual(got, { asked: ['3j98t1wpez73cnmqviecrnyiwrnqrhwnly'], hit: false });
  });
  test('check_hashbl_emails raw, default sources (ALLFROM, Reply-To, body)', async () => {
    const got = await run("header Z_H eval:check_hashbl_emails('he.test', 'raw')", 'he.test');
    assert.deepEqual(got, {
      asked: ['body.user+x@body.example.net', 'bounce.me+tag@env.example.com', 'first.last+news@from.example.com', 'quoted@q.example.net', 'reply@reply.example.org'],
      hit: false,
    });
  });
  test('check_hashbl_emails nodot/notag, ALLFROM/EnvelopeFrom/body', async () => {
    const got = await run("header Z_H eval:check_hashbl_emails('he.test', 'raw/nodot/notag/max=20', 'ALLFROM/EnvelopeFrom/body')", 'he.test');
    assert.deepEqual(got, { asked: ['bodyuser@body.example.net', 'bounceme@env.example.com', 'firstlast@from.example.com', 'quoted@q.example.net'], hit: true });
  });
  test('check_hashbl_emails domain over ALL/body', async () => {
    const got = await run("header Z_H eval:check_hashbl_emails('he.test', 'raw/domain/max=20', 'ALL/body')", 'he.test');
    assert.deepEqual(got, { asked: ['example.com', 'example.net', 'example.org'], hit: false });
  });
  test('check_hashbl_uris sha1 (lower-cased http/https URIs)', async () => {
    const got = await run("header Z_H eval:check_hashbl_uris('hu.test')", 'hu.test');
    assert.deepEqual(got, {
      asked: ['56f73bd74cda89cbf37610739c77290cddf00f7f', '62c8759faf0bca36e11d6d8ebf2cc6c80dc1e932', 'e4e750b6e812321f7f1efd8873d84f3f58b3e3ec'],
      hit: true,
    });
  });
  test('check_hashbl_uris raw asks nothing (URLs are not DNS names)', async () => {
    assert.deepEqual(await run("header Z_H eval:check_hashbl_uris('hu.test', 'raw')", 'hu.test'), { asked: [], hit: false });
  });
  test('skip_rbl_checks leaves HashBL on', async () => {
    const got = await run("header Z_H eval:check_hashbl_uris('hu.test')", 'hu.test', ['skip_rbl_checks 1']);
    assert.equal(got.hit, true);
  });
  test('a bad regex disables the rule at compile time', () => {
    const rs = rulesFrom("body Z_H eval:check_hashbl_bodyre('hb.test', 'raw', '(unclosed')");
    assert.match(rs.disabled.find((d) => d.name === 'Z_H')?.reason ?? '', /regex/);
  });
});
