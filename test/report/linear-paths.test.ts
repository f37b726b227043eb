/**
 * Markup, `-d` and wrapping on inputs shaped to hurt: one field folded over a hundred
 * thousand lines, tens of thousands of fields, boundary lines without a blank line.
 * Sizes are chosen so the quadratic code these replace would run for minutes (the test
 * runner's timeout fails them) while linear code takes well under a second; what is
 * asserted is the output, never the time.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseMessage } from '../../src/message/parse';
import { markupMessage, splitFields, type MarkupOptions } from '../../src/report/markup';
import { removeMarkup } from '../../src/report/remove-markup';
import { wrapText } from '../../src/report/wrap';
import { FIXED_MARKUP, fixedTags } from '../helpers/markup-fixture';

const TIMEOUT = { timeout: 60_000 };


const opts = (reportSafe: 0 | 1 | 2): MarkupOptions => ({
  reportSafe,
  headersSpam: [{ name: 'Status', template: '_YESNO_, score=_SCORE_ required=_REQD_ tests=_TESTS_' }],
  headersHam: [{ name: 'Status', template: '_YESNO_, score=_SCORE_ required=_REQD_ tests=_TESTS_' }],
  rewriteHeader: { Subject: '*****SPAM*****', From: 'spam', To: 'spam' },
  reportTemplate: 'Spam detection software has_YESNO(, NOT)_ identified this as spam.\n\n_SUMMARY_',
  ...FIXED_MARKUP,
  random32: () => 0x12345678,
  copyHeaders: ['Received', 'X-Long'],
});

const tags = fixedTags;

const FOLDS = 100_000;
const folded = 'X-Long: start\n' + Array.from({ length: FOLDS }, (_, i) => `\tcontinuation line ${i}\n`).join('');
const head = 'From: a@example.com\nTo: b@example.org\nSubject: hello\nDate: Sun, 6 Dec 2026 10:00:00 +0000\nMessage-Id: <x@y>\n';

test('splitFields: one field folded over 100,000 lines is one field, byte for byte', TIMEOUT, () => {
  const fields = splitFields(head + folded + '\n');
  assert.equal(fields.length, 7);
  assert.equal(fields[5], folded);
  assert.equal(fields[6], '\n');
  assert.equal(fields.join(''), head + folded + '\n');
});

test('splitFields: 100,000 fields, CRLF, a leading continuation and no final newline', TIMEOUT, () => {
  const many = Array.from({ length: FOLDS }, (_, i) => `X-F${i}: v\r\n\tw\r\n`).join('');
  const fields = splitFields(' lead\r\n' + many + '\r\n\tafter the separator\r\nLast: x');
  assert.equal(fields.length, FOLDS + 4);
  assert.equal(fields[0], ' lead\r\n');
  assert.equal(fields[1], 'X-F0: v\r\n\tw\r\n');
  // The separator takes no continuation lines.
  assert.equal(fields[FOLDS + 1], '\r\n');
  assert.equal(fields[FOLDS + 2], '\tafter the separator\r\n');
  assert.equal(fields[FOLDS + 3], 'Last: x');
});

for (const reportSafe of [0, 1] as const) {
  test(`markup (report_safe ${reportSafe}) of a spam with a 100,000-line folded field and Subject, undone by -d`, TIMEOUT, () => {
    const raw = Buffer.from(head.replace('Subject: hello\n', 'Subject: hello\n' + ' more\n'.repeat(FOLDS)) + folded + '\nbody\n', 'latin1');
    const marked = markupMessage(parseMessage(raw), tags(raw, true), opts(reportSafe));
    const text = marked.toString('latin1');
    assert.ok(text.includes(folded), 'the folded field is kept whole');
    assert.ok(text.includes('\nSubject: *****SPAM***** hello\n' + ' more\n'.repeat(FOLDS)), 'the Subject is tagged, its folds kept');
    assert.deepEqual(removeMarkup(marked, '*****SPAM*****'), raw);
  });
}

test('-d restores 30,000 X-Spam-Prev-* fields and drops Subjects for 30,000 "(nonexistent)"', TIMEOUT, () => {
  const n = 30_000;
  let original = '';
  let marked = 'X-Spam-Status: Yes\n';
  for (let i = 0; i < n; i++) {
    original += `X-F${i}: old ${i}\n`;
    marked += `X-F${i}: new ${i}\n`;
  }
  for (let i = 0; i < n; i++) marked += `X-Spam-Prev-X-F${i}: old ${i}\n`;
  marked += 'Subject: added\n' + 'X-Spam-Prev-Subject: (nonexistent)\n'.repeat(n);
  const out = removeMarkup(Buffer.from(marked + '\nbody\n', 'latin1')).toString('latin1');
  assert.equal(out, original + '\nbody\n');
});

test('-d finds the original after 100,000 boundary lines with no blank line between them', TIMEOUT, () => {
  const original = 'From: a@example.com\nSubject: original\n\nthe original body\n';
  const wrapper =
    'From: a@example.com\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary="b"\n\n' +
    '--b\n'.repeat(FOLDS) +
    'Content-Type: message/rfc822; x-spam-type=original\n\n' +
    original +
    '\n--b--\n\n';
  assert.equal(removeMarkup(Buffer.from(wrapper, 'latin1')).toString('latin1'), original);
});

test('wrapText: 300,000 pieces wrap within the width and keep every word', TIMEOUT, () => {
  const text = 'ab, cd '.repeat(100_000);
  for (const o of [
    { prefix: '\t', width: 79, breakAt: /(?<=[\s,])/ },
    { prefix: '  ', width: 75 },
    { prefix: '  ', width: 75, overflow: true },
  ]) {
    const wrapped = wrapText(text, o);
    const lines = wrapped.split('\n');
    assert.ok(lines.length > 1000);
    // With overflow a line may end one piece past the width.
    for (const l of lines) assert.ok(l.replace(/\t/g, ' '.repeat(8)).length <= o.width + (o.overflow ? 3 : 0), JSON.stringify(l));
    assert.equal(wrapped.replace(/\s+/g, ''), text.replace(/\s+/g, ''));
  }
});

test('wrapText: a run of 200,000 spaces is dropped at the breaks', TIMEOUT, () => {
  const wrapped = wrapText('a' + ' '.repeat(200_000) + 'b', { prefix: '\t', width: 79 });
  assert.equal(wrapped.replace(/\s+/g, ''), 'ab');
  assert.ok(wrapped.split('\n').every((l) => !/\s$/.test(l) || l === '\t'));
});
