/** Perl -> JS regex translation: table-driven cases, the stock rule set, and a differential run against Perl. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parsePerlRegexLiteral, translatePerlRegex } from '../../src/regex/perl-regex';
import { linearEligible } from '../../src/config/regex-bounds';

function re(pattern: string, flags = '', matchOnly = false): RegExp {
  const r = translatePerlRegex(pattern, flags, matchOnly);
  if ('error' in r) throw new Error(`${pattern}: ${r.error}`);
  return r.re;
}

test('literals: delimiters and flags', () => {
  assert.deepEqual(parsePerlRegexLiteral('/a\\/b/i'), { pattern: 'a\\/b', flags: 'i' });
  assert.deepEqual(parsePerlRegexLiteral('m{a{2}b}s'), { pattern: 'a{2}b', flags: 's' });
  assert.deepEqual(parsePerlRegexLiteral('m,^x,'), { pattern: '^x', flags: '' });
  assert.deepEqual(parsePerlRegexLiteral('m!a!'), { pattern: 'a', flags: '' });
  for (const bad of ['/unterminated', 'abc', '/a/ 1', 'm{a']) assert.ok('error' in parsePerlRegexLiteral(bad), bad);
});

/** [pattern, flags, must match, must not match] */
const CASES: [string, string, string[], string[]][] = [
  ['foo$', '', ['foo', 'foo\n'], ['foo\n\n', 'foox']], // $ before a final newline
  ['foo$', 'm', ['foo\nbar', 'foo'], ['foo\rbar']],
  ['^bar', 'm', ['foo\nbar'], ['foo\rbar']],
  ['^bar', '', ['bar'], ['foo\nbar']],
  ['a.b', '', ['a\rb', 'a\xa0b'], ['a\nb']], // . excludes only \n
  ['a.b', 's', ['a\nb'], []],
  ['a\\sb', '', ['a b', 'a\x0bb', 'a\tb'], ['a\xa0b', 'a\u2028b']],
  ['a[\\s,]b', '', ['a,b', 'a b'], ['a\xa0b']],
  ['a[^\\S]b', '', ['a b'], ['axb', 'a\xa0b']],
  ['\\xc3\\xa9', 'i', ['\xc3\xa9'], ['\xe3\xa9', '\xc3\x89']], // no Latin-1 folding on bytes
  ['caf\\xc3\\xa9', 'i', ['CAF\xc3\xa9'], []],
  ['(?i:abc)d', '', ['ABCd'], ['ABCD']],
  ['a(?-i:bc)', 'i', ['Abc'], ['ABC']],
  ['x(?i)yz', '', ['xYZ'], ['XYZ']],
  ['[[:xdigit:]]{4}', '', ['00fF'], ['00fg']],
  ['[[:^alpha:]]', '', ['1'], ['a']],
  ['[]a]', '', [']'], ['b']],
  ['[^]a]', '', ['b'], [']', 'a']],
  ['a\\z', '', ['a'], ['a\n']],
  ['a\\Z', '', ['a', 'a\n'], ['a\n\n']],
  ['\\Ab', 'm', ['b'], ['a\nb']],
  ['a++b', '', ['aab'], []],
  ['(\\w+)=(?i:\\1)', '', ['Ab=aB', 'x=X'], ['Ab=xy']], // a case-blind backreference
  ['a++a', '', [], ['aaa']], // possessive never gives back
  ['(?>a+)a', '', [], ['aaa']],
  ['(a)(?>b)\\1', '', ['aba'], ['abb']],
  ['a b # comment\n c', 'x', ['abc'], ['a b c']],
  ['\\Qa.b\\E', '', ['a.b'], ['axb']],
  ['\\e\\x1b', '', ['\x1b\x1b'], ['e\x1b']],
  ['\\x{e9}', '', ['\xe9'], []],
  ['\\x{2019}', '', [], ['\xe2\x80\x99', '\u2019']], // above 0xFF: never in a byte string
  ['a{,2}b', '', ['aab', 'b'], []],
  ['{foo}', '', ['{foo}'], []],
  ['x{2}', '', ['xx'], ['x']],
  ['\\@\\#\\"\\&\\ ', '', ['@#"& '], []],
  ['(?<w>ab)\\k<w>', '', ['abab'], ['abba']],
  ['\\012', '', ['\n'], []],
  ['[\\d-]+', '', ['1-2'], ['x']],
  ['\\bword\\b', 'i', ['a WORD b'], ['swordy']],
  // Anchors that take consuming forms in match-only regexes, and those that must not.
  ['(?:foo$|bar)x', '', ['barx'], ['foox', 'foo\nx']],
  ['(?:a$)+', '', ['a', 'a\n'], ['ab', 'a\n\n']],
  ['(?:a$)?', '', ['', 'b'], []],
  ['^a|b$', 'm', ['x\na', 'b\ny', 'b'], ['xa', 'bx']],
  ['(?:^a){2}', 'm', [], ['a\na', 'aa']],
  ['(?:^|,)b', 'm', ['a\nb', 'a,b', 'b'], ['ab']],
  ['x?^a', 'm', ['\na', 'a'], ['xa']],
  ['foo$(?<!\\n)', '', ['foo\n', 'foo'], []],
  ['a$\\b', '', ['a', 'a\n'], []],
  ['a(?=b$)', '', ['ab', 'ab\n'], ['abc']],
  ['(?>a$)', '', ['a\n'], ['ab']],
  ['(?i)^to:', 'm', ['x\nTO:'], ['xTO:']],
  ['\\Aa\\z', 'm', ['a'], ['a\n', '\na']],
  ['(^a)\\1', 'm', ['aa', 'x\naa'], ['x\na\na']], // a backreference keeps the group's text exact
  ['(?<g>^a)\\k<g>', 'm', ['aa'], ['x\na\na']],
];

test('translation keeps Perl semantics on byte strings (exact and match-only forms)', () => {
  for (const [p, f, yes, no] of CASES) {
    for (const matchOnly of [false, true]) {
      const r = re(p, f, matchOnly);
      const form = matchOnly ? 'match-only' : 'exact';
      for (const s of yes) assert.ok(r.test(s), `${p} /${f} (${form}) should match ${JSON.stringify(s)}`);
      for (const s of no) assert.ok(!r.test(s), `${p} /${f} (${form}) should not match ${JSON.stringify(s)}`);
    }
  }
});

test('match-only forms: anchors at the ends consume, so V8 linear engine takes them; exact forms keep extents', () => {
  for (const [p, f] of [['foo$', ''], ['^To:.*x$', 'm'], ['(?:a|b$)', ''], ['\\Ax\\z', ''], ['y\\Z', ''], ['Viagra', 'i']]) {
    assert.ok(linearEligible(re(p!, f, true)), `${p} /${f} match-only: ${re(p!, f, true).source}`);
  }
  assert.equal(re('foo$', '', true).source, 'foo\\n?$');
  assert.equal(re('^bar', 'm', true).source, '(?:^|\\n)bar');
  assert.equal(re('foo$', '').source, 'foo(?=\\n?$)');
  assert.equal(re('viagra', 'i').flags, '', 'case folding is spelled out, not the JS i flag');
  assert.equal(re('(\\w)\\1', 'i').flags, 'i', 'a case-blind backreference keeps the JS i flag');
  // Anchors with something after (before) them keep the zero-width form.
  assert.ok(re('(?:a$)+b', '', true).source.includes('(?=\\n?$)'));
  assert.ok(re('x^a', 'm', true).source.includes('(?<![^\\n])'));
});

test('unchanged simple patterns keep their source', () => {
  assert.equal(re('^Subject: \\d+ free').source, '^Subject: \\d+ free');
});

test('what JS cannot do is an error naming it, not a crash', () => {
  for (const [p, want] of [['a\\Gb', 'unsupported \\G'], ['(?R)', 'unsupported group'], ['(?(1)a|b)', 'unsupported group'], ['\\p{L}', 'unsupported \\p'], ['(a', "missing ')'"], ['a)', "unmatched ')'"], ['[a', "unmatched '['"], ['*a', 'follows nothing'], ['\\2(a)', 'undefined group']] as const) {
    const r = translatePerlRegex(p, '');
    assert.ok('error' in r && r.error.includes(want), `${p}: ${JSON.stringify(r)}`);
  }
  assert.ok('error' in translatePerlRegex('a', 'e'));
});

const STOCK = '/usr/share/spamassassin';
const RULE_LINE = /^\s*(?:header|body|rawbody|full|uri|mimeheader)\s+\S+\s+(?:\S+\s+[=!]~\s+)?(.*?)(?:\s*\[if-unset:.*\])?\s*$/;

function stockPatterns(): { pattern: string; flags: string }[] {
  const out: { pattern: string; flags: string }[] = [];
  for (const f of readdirSync(STOCK).filter((n) => n.endsWith('.cf'))) {
    for (const line of readFileSync(join(STOCK, f), 'latin1').split('\n')) {
      const m = RULE_LINE.exec(line.replace(/(?<!\\)#.*$/, ''));
      if (!m || /^(?:eval|exists):/.test(m[1]!)) continue;
      const lit = parsePerlRegexLiteral(m[1]!.replace(/(?<!\(\?)<[A-Z0-9_]+>/g, 'x').replace(/<(?:inter|post|pre) \w+>/g, ''));
      if (!('error' in lit)) out.push(lit);
    }
  }
  return out;
}

test('every stock SpamAssassin pattern translates', { skip: !existsSync(STOCK) && 'stock rules not installed' }, () => {
  const pats = stockPatterns();
  assert.ok(pats.length > 1400, `found ${pats.length} patterns`);
  const failed = pats.filter((p) => 'error' in translatePerlRegex(p.pattern, p.flags));
  assert.deepEqual(failed, []);
});

test('differential: stock patterns agree with Perl on tricky subjects', { skip: spawnSync('perl', ['-e', '1']).status !== 0 && 'perl missing' }, () => {
  // Every stock pattern: the translation of each one changed with the match-only forms and [Xx] folding.
  const pats = existsSync(STOCK) ? stockPatterns() : [];
  pats.push(...CASES.map(([pattern, flags]) => ({ pattern, flags })));
  const subjects = ['Free money!!!', 'foo\n', 'foo\nbar\n', '\n\nSubject: Hi\n', 'To: <!!!x>\n', 'Content-Type: text/html\n\n', 'a\xa0b', 'caf\xc3\xa9', 'CAF\xe3\xa9', 'line1\r\nline2\n', 'viagra', 'V1AGRA cheap', 'http://example.com/x?y=1', 'From: <a@b.c>', 'aab', 'abc\n\n', '\xe2\x80\x99', '  1) your name:  ', 'Subject: RE: hello'];
  const script = `use strict; use JSON::PP; local $/; my $in = decode_json(<STDIN>); my @out; utf8::downgrade($_) for @{$in->{s}};
    for my $p (@{$in->{p}}) { my $re = eval { my $f = $p->[1]; $f =~ s/[^imsx]//g; qr/(?$f)$p->[0]/ };
      push @out, [ map { defined $re ? (($_ =~ $re) ? 1 : 0) : -1 } @{$in->{s}} ]; }
    print encode_json(\\@out);`;
  const bytes = (s: string) => Buffer.from(s, 'latin1').toString('latin1');
  const input = JSON.stringify({ p: pats.map((p) => [p.pattern, p.flags]), s: subjects.map(bytes) });
  // Subjects are downgraded to byte strings, as SpamAssassin's are (no Unicode rules).
  const r = spawnSync('perl', ['-e', script], { input, maxBuffer: 1 << 26 });
  assert.equal(r.status, 0, r.stderr.toString());
  const perl = JSON.parse(r.stdout.toString()) as number[][];
  let compared = 0;
  const diffs: string[] = [];
  pats.forEach((p, i) => {
    // Both forms: exact (tflags multiple) and match-only (every other rule).
    for (const matchOnly of [false, true]) {
      const t = translatePerlRegex(p.pattern, p.flags, matchOnly);
      if ('error' in t) continue;
      subjects.forEach((s, j) => {
        const want = perl[i]![j];
        if (want === -1) return;
        compared++;
        t.re.lastIndex = 0;
        if ((t.re.test(s) ? 1 : 0) !== want) diffs.push(`${p.pattern} /${p.flags}${matchOnly ? ' (match-only)' : ''} on ${JSON.stringify(s)}: perl ${want}`);
      });
    }
  });
  assert.ok(compared > (existsSync(STOCK) ? 1000 : 200), `compared ${compared}`);
  assert.deepEqual(diffs, []);
});
