import { test } from 'node:test';
import assert from 'node:assert/strict';
import { scan } from '../../src/index';
import { regexArg, translateRegexArg, validateRegexArg } from '../../src/eval/regex-arg';
import { rulesFrom } from '../helpers/net-check';

const msg = (from: string): Buffer =>
  Buffer.from(`From: ${from}\nTo: you@example.org\nSubject: hi\nMessage-ID: <1@x>\nDate: Mon, 7 Dec 2026 10:00:00 +0000\nMIME-Version: 1.0\nContent-Type: text/html\n\n<html><head><title>Free prize</title></head><body>hello</body></html>\n`);

test('a regex argument is delimited (/pat/flags, m{pat}) or bare', () => {
  assert.ok((translateRegexArg('/free/i') as RegExp).test('FREE'));
  assert.ok((translateRegexArg('m{\\d@}') as RegExp).test('a1@'));
  assert.ok((translateRegexArg('\\d@') as RegExp).test('a1@'));
  assert.match((translateRegexArg('/unterminated') as { error: string }).error, /unterminated/);
});

test('a bad regex argument is a lint error at file:line and disables only its rule', () => {
  const rs = rulesFrom(
    [
      'header FM_DIGIT eval:check_freemail_header(\'From\', \'/(unclosed/\')',
      'score FM_DIGIT 1',
      "body HTML_TITLE_FREE eval:html_text_match('title', '/free/i')",
      'score HTML_TITLE_FREE 1',
      "body HTML_TITLE_BAD eval:html_text_not_match('title', 'm{[z-a]}')",
      'score HTML_TITLE_BAD 1',
    ].join('\n'),
  );
  // A disabled rule is what `--lint` reports as an error, with its file:line and reason.
  const disabled = rs.disabled.map((d) => `${d.at.file}:${d.at.line}: ${d.name}: ${d.reason}`).sort();
  assert.equal(disabled.length, 2, disabled.join('\n'));
  assert.match(disabled[0]!, /^test\.cf:1: FM_DIGIT: eval check_freemail_header: bad regex argument '\/\(unclosed\/'/);
  assert.match(disabled[1]!, /^test\.cf:5: HTML_TITLE_BAD: eval html_text_not_match: bad regex argument/);
  const r = scan(msg('a@b.example'), rs);
  assert.ok(r.tests.includes('HTML_TITLE_FREE'), r.tests.join(','));
});

test('a regex argument is translated once per rule, not per message', () => {
  const args = ['From', '\\d@'];
  const first = regexArg(args, 1);
  assert.ok(first instanceof RegExp);
  assert.equal(regexArg(args, 1), first);
  assert.equal(regexArg(args, 3), undefined);
  assert.equal(validateRegexArg(3, true)(args), undefined);
  assert.match(validateRegexArg(3, false)(args)!, /must be a regex/);
});
