import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runEval } from '../helpers/eval-context';
import { compareExpr } from '../../src/eval/html-checks';

/** A one-part text/html message. */
function htmlMail(html: string, subject = 'Hello there'): string {
  return ['From: a@example.com', `Subject: ${subject}`, 'MIME-Version: 1.0', 'Content-Type: text/html', '', html, ''].join('\n');
}

const TLDS = { util_rb_tld: ['com', 'net', 'org'] };

type Case = [label: string, html: string, args: (string | number)[], want: boolean];

function table(name: string, cases: Case[], options = {}): void {
  test(name, () => {
    for (const [label, html, args, want] of cases) assert.equal(runEval(name, htmlMail(html), args, options), want, label);
  });
}

test('compareExpr reads the comparisons rules write', () => {
  assert.equal(compareExpr(3, '!= 0'), true);
  assert.equal(compareExpr(0, '!= 0'), false);
  assert.equal(compareExpr(100, '< 512'), true);
  assert.equal(compareExpr(512, '< 512'), false);
  assert.equal(compareExpr(-1, '== -1'), true);
  assert.equal(compareExpr(5, '>= 5'), true);
  assert.equal(compareExpr(5, '5'), false);
});

table('html_text_match', [
  ['comment written with dashes', 'a<!-- x -->b', ['comment', '<!.*?>'], true],
  ['no comment', 'ab', ['comment', '<!.*?>'], false],
  ['a multi-line comment has no > on its first line', 'a<!--\nx\n-->b', ['comment', '<!.*?>'], false],
  ['short bogus comment', 'a<!x>b', ['comment', '<!(?!-).{0,6}>'], true],
  ['saved-from comment', '<!-- saved from url=(0022)http://x.com/ -->', ['comment', '<!-- saved from url=\\(\\d{4}\\)'], true],
  ['image inside a link', '<a href="http://x.com/"><img src="a.gif"></a>', ['anchor', '<img>'], true],
  ['image outside a link', '<a href="http://x.com/">x</a><img src="a.gif">', ['anchor', '<img>'], false],
  ['long title', `<title>${'t'.repeat(120)}</title>`, ['title', '.{120}'], true],
  ['short title', '<title>short</title>', ['title', '.{120}'], false],
  ['delimited regex with flags', '<title>BUY</title>', ['title', '/buy/i'], true],
  ['unknown class', '<title>x</title>', ['nothing', 'x'], false],
]);

table('html_text_not_match', [
  ['a title that differs', '<title>abc</title>', ['title', '^x'], true],
  ['every title matches', '<title>xyz</title>', ['title', '^x'], false],
]);

table('html_eval', [
  ['short part', '<p>hi</p>', ['length', '< 512'], true],
  ['long part', `<p>${'x'.repeat(600)}</p>`, ['length', '< 512'], false],
  ['expression with other characters is refused', '<p>hi</p>', ['length', '< 512 || 1'], false],
]);

table('html_tag_balance', [
  ['unclosed center', '<center>x', ['center', '!= 0'], true],
  ['balanced center', '<center>x</center>', ['center', '!= 0'], false],
  ['extra close is clamped at zero', '<center>x</center></center>', ['center', '!= 0'], false],
  ['end tag skipped over by nesting still counts', '<center><b>x</center></b>', ['b', '!= 0'], false],
  ['absent tag', 'x', ['center', '== 0'], false],
  ['two bodies open', '<body><body>x</body>', ['body', '!= 0'], true],
  ['bad tag name', '<center>x', ['cen ter', '!= 0'], false],
]);

table('html_image_ratio', [
  // 10 non-space chars over 100x100: 0.001
  ['little text, big image', '<img width=100 height=100 src=a.gif>abcdefghij', ['0.000', '0.002'], true],
  ['more text', '<img width=100 height=100 src=a.gif>' + 'x'.repeat(30), ['0.000', '0.002'], false],
  ['no image size', '<img src=a.gif>abc', ['0.000', '0.002'], false],
]);

test('html_title_subject_ratio', () => {
  const run = (title: string, subject: string) => runEval('html_title_subject_ratio', htmlMail(`<title>${title}</title>x`, subject), ['3.5']);
  // The subject is measured with its newline: "abc\n" is 4 long, so 15 title chars are 3.75 times that.
  assert.equal(run('x'.repeat(15), 'abc'), true);
  assert.equal(run('x'.repeat(14), 'abc'), false);
  assert.equal(run('x'.repeat(15), 'a longer subject line'), false);
  // The subject counts in UTF-8 bytes, the title in characters (SpamAssassin 4.0.1 on the same messages).
  assert.equal(run('x'.repeat(20), '=?utf-8?b?6LS45bCP5LiD?='), false);
  assert.equal(run('x'.repeat(20), 'abc'), true);
  assert.equal(run('贸小七贸小七', 'abc'), false);
});

table('html_charset_faraway', [
  ['never hits', '<meta http-equiv="Content-Type" content="text/html; charset=big5">x', [], false],
]);

table('check_iframe_src', [
  ['iframe with a source', '<iframe src="http://x.com/"></iframe>', [], true],
  ['empty source', '<iframe src=""></iframe>', [], false],
  ['no iframe', '<img src="http://x.com/a.gif">', [], false],
]);

table('check_https_ip_mismatch', [
  ['https text over an IP link', '<a href="http://10.1.2.3/login">https://bank.com/</a>', [], true],
  ['text is the https IP itself', '<a href="http://10.1.2.3/">https://10.1.2.3/</a>', [], false],
  ['no https in the text', '<a href="http://10.1.2.3/">http://bank.com/</a>', [], false],
  ['link to a name', '<a href="http://bank.com/">https://bank.com/</a>', [], false],
]);

table(
  'check_https_http_mismatch',
  [
    ['text names another domain', '<a href="http://evil.net/x">https://www.bank.com/</a>', ['1', '10'], true],
    ['text names the same domain', '<a href="http://login.bank.com/x">https://www.bank.com/</a>', ['1', '10'], false],
    ['text names no https host', '<a href="http://evil.net/x">www.bank.com</a>', ['1', '10'], false],
    ['link to an IP is left to the other check', '<a href="http://10.1.2.3/">https://www.bank.com/</a>', ['1', '10'], false],
    ['invalid text domain', '<a href="http://evil.net/x">https://bank.invalidtld/</a>', ['1', '10'], false],
    [
      'too many links',
      Array.from({ length: 10 }, (_, i) => `<a href="http://h${i}.net/">https://www.bank.com/</a>`).join(''),
      ['1', '10'],
      false,
    ],
    ['minimum not reached', '<a href="http://evil.net/x">https://www.bank.com/</a>', ['2', '10'], false],
  ],
  TLDS,
);

table('check_uri_truncated', [
  ['very long link', `<a href="http://x.com/${'a'.repeat(9000)}">x</a>`, [], true],
  ['normal link', '<a href="http://x.com/a">x</a>', [], false],
]);

table('html_test', [
  ['white on white', '<font color="#ffffff">hidden</font>', ['font_low_contrast'], true],
  ['black on white', '<font color="#000000">shown</font>', ['font_low_contrast'], false],
  ['unreadable colour', '<span style="color: windowtext">x</span>', ['font_invalid_color'], true],
  ['readable colour', '<span style="color: navy">x</span>', ['font_invalid_color'], false],
  ['two unreadable colours compare equal', '<font color=junk><span style="background-color:junk">x</span></font>', ['font_low_contrast'], true],
  ['low contrast is reported instead of invalid', '<font color=junk><span style="background-color:junk">x</span></font>', ['font_invalid_color'], false],
  ['never a result', '<html><body>x</body></html>', ['closed_html'], false],
]);
