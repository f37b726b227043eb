import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseEvalCall } from '../../src/config/eval-call';

test('eval calls as the stock rules write them', () => {
  const cases: [string, string, string[]][] = [
    ["eval:check_for_shifted_date('-6', '-3')", 'check_for_shifted_date', ['-6', '-3']],
    ['eval:check_for_mime_html()', 'check_for_mime_html', []],
    ['eval:html_range("non_space_len",0, 100)', 'html_range', ['non_space_len', '0', '100']],
    ["eval:html_text_match('comment', '<!.*?>')", 'html_text_match', ['comment', '<!.*?>']],
    ["eval:check_rbl('zen-lastexternal', 'zen.spamhaus.org.', '127.0.0.[2]')", 'check_rbl', ['zen-lastexternal', 'zen.spamhaus.org.', '127.0.0.[2]']],
    ["eval:pdf_match_details('title','/^Microsoft Word \\- Document1$/')", 'pdf_match_details', ['title', '/^Microsoft Word \\- Document1$/']],
    ["eval:x('it''s')", 'x', ["it''s"]], // a quote not followed by a comma does not end the string
  ];
  for (const [src, name, args] of cases) assert.deepEqual(parseEvalCall(src), { name, args }, src);
});

test('malformed eval calls give a reason', () => {
  for (const bad of ['eval:', 'eval:f(', 'eval:f(a b)', "eval:f('unterminated)", 'eval:f(a;b)']) {
    assert.equal(typeof parseEvalCall(bad), 'string', bad);
  }
});
