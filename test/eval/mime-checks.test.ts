import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runEval } from '../helpers/eval-context';

/** A one-part message with the given extra headers and body. */
function single(headers: string[], body: string): string {
  return ['From: a@example.com', 'Subject: test', ...headers, '', body].join('\n');
}

/** A multipart message: each part is [headers, body]. */
function multi(type: string, parts: Array<[string[], string]>, epilogue = ''): string {
  const out = ['From: a@example.com', 'Subject: test', 'MIME-Version: 1.0', `Content-Type: ${type}; boundary="b"`, ''];
  for (const [h, b] of parts) out.push('--b', ...h, '', b);
  out.push('--b--', epilogue);
  return out.join('\n');
}

type Case = [label: string, raw: string, args: (string | number)[], want: boolean];

function table(name: string, cases: Case[], options = {}): void {
  test(name, () => {
    for (const [label, raw, args, want] of cases) assert.equal(runEval(name, raw, args, options), want, label);
  });
}

const SHOUT = 'THIS IS A VERY LOUD MESSAGE ABOUT MONEY AND PILLS. '.repeat(6);
const CALM = 'this is a quiet message about the weekend plans for us. '.repeat(6);

table('check_for_uppercase', [
  ['all capitals is 75-100', single([], SHOUT + '\n'), ['75', '100'], true],
  ['all capitals is not 25-50', single([], SHOUT + '\n'), ['25', '50'], false],
  ['lower case is not 25-50', single([], CALM + '\n'), ['25', '50'], false],
  ['short mail never counts', single([], 'HELLO THERE FRIEND\n'), ['75', '100'], false],
  ['a CJK-ish charset is exempt', single(['Content-Type: text/plain; charset=iso-2022-jp'], SHOUT + '\n'), ['75', '100'], false],
  ['a part charset counts too', multi('multipart/mixed', [[['Content-Type: text/plain; charset="big5"'], SHOUT]]), ['75', '100'], false],
]);

const B64_76 = 'QUJD'.repeat(19);
const B64_78 = B64_76 + 'QQ';
const B64_80 = B64_76 + 'QUJD';

table('check_base64_length', [
  ['76-character lines are normal', single(['Content-Transfer-Encoding: base64'], `${B64_76}\n${B64_76}\n`), ['78', '79'], false],
  ['77 plus newline is in 78-79', single(['Content-Transfer-Encoding: base64'], `${B64_76}Q\n`), ['78', '79'], true],
  ['78 plus newline is 79', single(['Content-Transfer-Encoding: base64'], `${B64_78}\n`), ['79'], true],
  ['80 plus newline is over 79', single(['Content-Transfer-Encoding: base64'], `${B64_80}\n`), ['78', '79'], false],
  ['80 plus newline hits 79-inf', single(['Content-Transfer-Encoding: base64'], `${B64_80}\n`), ['79'], true],
  ['not base64', single([], `${B64_80}\n`), ['79'], false],
  ['calendar invites are exempt', single(['Content-Type: application/ics', 'Content-Transfer-Encoding: base64'], `${B64_80}\n`), ['79'], false],
]);

table('check_abundant_unicode_ratio', [
  ['dense escapes', single([], '&#x0041;&#x0042;&#x0043; abc\n'), ['0.02'], true],
  ['one escape in long text', single([], `&#x0041; ${'plain words '.repeat(20)}\n`), ['0.02'], false],
  ['lower-case hex is not counted', single([], '&#x00e9;&#x00e9;&#x00e9; abc\n'), ['0.02'], false],
  ['QP parts are not checked', single(['Content-Transfer-Encoding: quoted-printable'], '&#x0041;&#x0042; a\n'), ['0.02'], false],
  ['a malformed ratio never hits', single([], '&#x0041;&#x0042;&#x0043; abc\n'), ['2'], false],
]);

table('check_for_ascii_text_illegal', [
  ['8-bit bytes with no charset', single([], 'caf\xe9\n'), [], true],
  ['8-bit bytes declared us-ascii', single(['Content-Type: text/plain; charset=us-ascii'], 'caf\xe9\n'), [], true],
  ['a NUL byte', single([], 'a\x00b\n'), [], true],
  ['8-bit bytes declared latin-1', single(['Content-Type: text/plain; charset=iso-8859-1'], 'caf\xe9\n'), [], false],
  ['clean ASCII', single([], 'cafe\n'), [], false],
  ['CRLF mail is squashed first', 'Subject: x\r\n\r\nhello\r\n', [], false],
]);

table('check_for_faraway_charset', [
  ['default ok_locales is all', single(['Content-Type: text/plain; charset=koi8-r'], '\xf0\xf2\xe9\xf7\xe5\xf4 \xed\xe9\xf2\n'), [], false],
]);

test('check_for_faraway_charset with ok_locales en', () => {
  const ru = single(['Content-Type: text/plain; charset=koi8-r'], '\xf0\xf2\xe9\xf7\xe5\xf4 \xed\xe9\xf2\n');
  assert.equal(runEval('check_for_faraway_charset', ru, [], { ok_locales: ['en'] }), true);
  assert.equal(runEval('check_for_faraway_charset', ru, [], { ok_locales: ['ru'] }), false);
  const ascii = single(['Content-Type: text/plain; charset=koi8-r'], 'mostly plain ascii text\n');
  assert.equal(runEval('check_for_faraway_charset', ascii, [], { ok_locales: ['en'] }), false);
});

table('check_ma_non_text', [
  ['an image inside the alternative', multi('multipart/alternative', [[['Content-Type: text/plain'], 'hi'], [['Content-Type: image/gif'], 'GIF']]), [], true],
  ['text and html only', multi('multipart/alternative', [[['Content-Type: text/plain'], 'hi'], [['Content-Type: text/html'], '<p>hi</p>']]), [], false],
  ['rtf is tolerated', multi('multipart/alternative', [[['Content-Type: text/plain'], 'hi'], [['Content-Type: application/rtf'], '{\\rtf}']]), [], false],
  ['mixed, not alternative', multi('multipart/mixed', [[['Content-Type: text/plain'], 'hi'], [['Content-Type: image/gif'], 'GIF']]), [], false],
]);

const BIG_HTML = `<p>${'word '.repeat(400)}</p>`;

table('check_mime_multipart_ratio', [
  ['tiny text part beside a big HTML part', multi('multipart/alternative', [[['Content-Type: text/plain'], ' '], [['Content-Type: text/html'], BIG_HTML]]), ['0.00', '0.01'], true],
  ['balanced parts', multi('multipart/alternative', [[['Content-Type: text/plain'], 'word '.repeat(400)], [['Content-Type: text/html'], BIG_HTML]]), ['0.00', '0.01'], false],
  ['no alternative: ratio 1', single([], 'x\n'), ['1', '2'], true],
  ['no alternative is not mostly HTML', single([], 'x\n'), ['0.00', '0.01'], false],
]);

test('check_msg_parse_flags mime_epilogue_exists', () => {
  const parts: Array<[string[], string]> = [[['Content-Type: text/plain'], 'hi']];
  assert.equal(runEval('check_msg_parse_flags', multi('multipart/mixed', parts, 'trailing junk\n'), ['mime_epilogue_exists']), true);
  assert.equal(runEval('check_msg_parse_flags', multi('multipart/mixed', parts, '\n.\n\n'), ['mime_epilogue_exists']), false);
  assert.equal(runEval('check_msg_parse_flags', multi('multipart/mixed', parts), ['mime_epilogue_exists']), false);
});

test('check_for_mime mime_qp_long_line and mime_qp_count', () => {
  const qp = (body: string) => single(['Content-Transfer-Encoding: quoted-printable'], body);
  assert.equal(runEval('check_for_mime', qp('x'.repeat(79) + '\n'), ['mime_qp_long_line']), true);
  assert.equal(runEval('check_for_mime', qp('x'.repeat(78) + '\n'), ['mime_qp_long_line']), false);
  assert.equal(runEval('check_for_mime', qp('x'.repeat(78) + '\r\n'), ['mime_qp_long_line']), false, 'a CRLF message is squashed to LF');
  // Once QP lines are read, the count is of needlessly encoded characters.
  assert.equal(runEval('check_for_mime', qp('caf=E9\n'), ['mime_qp_count']), false);
  assert.equal(runEval('check_for_mime', qp('=41BC\n'), ['mime_qp_count']), true);
  assert.equal(runEval('check_for_mime', qp('trailing space=20\n'), ['mime_qp_count']), false);
});

test('check_msg_parse_flags: the line after a MIME boundary', () => {
  const mp = (afterBoundary: string): string =>
    `From: a@b.example\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary="XX"\n\npreamble\n--XX\n${afterBoundary}\n--XX--\n`;
  const cases: [string, boolean, boolean][] = [
    ['Content-Type: text/plain\n\nhello', false, false],
    ['Content-Type: text/plain\n  ; charset=us-ascii\n\nhello', false, false],
    ['\nhello, no headers', true, false],
    ['hello, straight into the body', true, true],
    ['Content-Type: text/plain\nhello, no blank line', false, true],
  ];
  for (const [part, headers, separator] of cases) {
    assert.equal(runEval('check_msg_parse_flags', mp(part), ['missing_mime_headers']), headers, `headers: ${part}`);
    assert.equal(runEval('check_msg_parse_flags', mp(part), ['missing_mime_head_body_separator']), separator, `separator: ${part}`);
  }
});
