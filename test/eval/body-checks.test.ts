import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runEval } from '../helpers/eval-context';

/** A one-part message with `body` as its text/plain body. */
function plain(body: string, subject = 'Hello'): string {
  return ['From: a@example.com', `Subject: ${subject}`, '', body].join('\n');
}

/** A multipart/alternative with the given text and HTML versions. */
function alternative(text: string, html: string, extra: string[] = []): string {
  return [
    'From: a@example.com',
    'Subject: alt',
    'MIME-Version: 1.0',
    'Content-Type: multipart/alternative; boundary="b"',
    '',
    '--b',
    'Content-Type: text/plain',
    '',
    text,
    '--b',
    'Content-Type: text/html',
    '',
    html,
    ...extra,
    '--b--',
    '',
  ].join('\n');
}

type Case = [label: string, raw: string, args: (string | number)[], want: boolean];

function table(name: string, cases: Case[]): void {
  test(name, () => {
    for (const [label, raw, args, want] of cases) assert.equal(runEval(name, raw, args), want, label);
  });
}

table('check_body_length', [
  ['body of 10 bytes is under 128', plain('123456789\n'), ['128'], true],
  ['exactly the bound counts', plain('x'.repeat(127) + '\n'), ['128'], true],
  ['one byte over the bound', plain('x'.repeat(128) + '\n'), ['128'], false],
  ['CRs count as bytes', 'Subject: x\r\n\r\n' + 'x'.repeat(126) + '\r\n', ['128'], true],
  ['CRs count as bytes (over)', 'Subject: x\r\n\r\n' + 'x'.repeat(127) + '\r\n', ['128'], false],
]);

table('check_blank_line_ratio', [
  ['9 of 10 lines blank is in 80-90', plain('text\n' + '\n'.repeat(9)), ['80', '90', '4'], true],
  ['half blank is not', plain('a\n\nb\n\nc\n\nd\n\n'), ['80', '90', '4'], false],
  ['too few lines: ratio -1, in 0-10', plain('a\n'), ['0', '10', '4'], true],
  ['too few lines: ratio -1, not in 80-90', plain('\n\n'), ['80', '90', '4'], false],
  ['min 0 includes a ratio of 0', plain('a\nb\nc\nd\n'), ['0', '10', '1'], true],
]);

table('tvd_vertical_words', [
  ['spaced-out letters are all spaces', plain('V I A G R A   N O W\n'), ['0', '10'], false],
  ['spaced-out letters hit a 50-100 band', plain('V I A G R A   N O W\n'), ['50', '100'], true],
  ['ordinary prose stays under 10', plain('Thisisaverylongwordywordline with few breaks\n', 'Sub'), ['0', '10'], true],
  ['ordinary prose is not vertical', plain('Ordinary prose with words\n'), ['50', '100'], false],
]);

table('check_stock_info', [
  [
    'a pump-and-dump sheet',
    plain('Company Name: Acme Corp\nSymbol: ACME\nCurrent Price: $0.12\nTarget: $1.50\n'),
    ['2'],
    true,
  ],
  ['one label is not enough', plain('Symbol: ACME\nhello world\n'), ['2'], false],
  ['no labels', plain('Meeting notes: nothing here\n'), ['2'], false],
  ['min 0 always hits', plain('nothing\n'), ['0'], true],
]);

const SAME_TEXT = 'Hello there friend, see you soon';
const SAME_HTML = '<html><body><p>Hello there friend, see you soon</p></body></html>';

table('multipart_alternative_difference', [
  ['matching versions differ by 0%', alternative(SAME_TEXT, SAME_HTML), ['99', '100'], false],
  ['matching versions are in 0-1%', alternative(SAME_TEXT, SAME_HTML), ['0', '1'], true],
  ['unrelated text part', alternative('Totally different words', '<p>Buy cheap pills online now</p>'), ['99', '100'], true],
  ['image-only HTML with text is a full difference', alternative('Some words here', '<p><img src="http://x.example/a.gif"></p>'), ['99', '100'], true],
  ['no multipart/alternative', plain('just text\n'), ['0', '100'], true],
  ['no multipart/alternative is not over 99', plain('just text\n'), ['99', '100'], false],
]);

table('multipart_alternative_difference_count', [
  ['text with far more words than HTML', alternative('one two three four five six seven eight', '<p>one two</p>'), ['3', '1'], true],
  ['balanced versions', alternative(SAME_TEXT, SAME_HTML), ['3', '1'], false],
  ['too few HTML words', alternative('one two three four', '<p>one</p>'), ['3', '1'], false],
]);

test('a text/html + text/calendar meeting request is never compared', () => {
  const raw = [
    'Subject: meeting',
    'Content-Type: multipart/alternative; boundary="b"',
    '',
    '--b',
    'Content-Type: text/html',
    '',
    '<p>Buy cheap pills</p>',
    '--b',
    'Content-Type: text/calendar',
    '',
    'BEGIN:VCALENDAR',
    '--b--',
    '',
  ].join('\n');
  assert.equal(runEval('multipart_alternative_difference', raw, ['99', '100']), false);
  assert.equal(runEval('multipart_alternative_difference', raw, ['0', '1']), true);
});
