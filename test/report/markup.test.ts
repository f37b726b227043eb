import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseMessage } from '../../src/message/parse';
import { markupMessage, type MarkupOptions } from '../../src/report/markup';
import { removeMarkup } from '../../src/report/remove-markup';
import { corpusFiles } from '../helpers/corpus';
import { FIXED_MARKUP, fixedTags } from '../helpers/markup-fixture';
import { readFileSync } from 'node:fs';


const opts = (reportSafe: 0 | 1 | 2, subjectTag?: string): MarkupOptions => ({
  reportSafe,
  headersSpam: [
    { name: 'Flag', template: '_YESNOCAPS_' },
    { name: 'Level', template: '_STARS(*)_' },
    { name: 'Status', template: '_YESNO_, score=_SCORE_ required=_REQD_ tests=_TESTS_ autolearn=_AUTOLEARN_ version=_VERSION_' },
  ],
  headersHam: [
    { name: 'Level', template: '_STARS(*)_' },
    { name: 'Status', template: '_YESNO_, score=_SCORE_ required=_REQD_ tests=_TESTS_ autolearn=_AUTOLEARN_ version=_VERSION_' },
  ],
  rewriteHeader: subjectTag ? { Subject: subjectTag } : {},
  reportTemplate: 'Spam detection software has_YESNO(, NOT)_ identified this as spam.\n\nContent analysis details:   (_SCORE_ points, _REQD_ required)\n\n_SUMMARY_',
  ...FIXED_MARKUP,
  random32: () => 0x1f553619,
});

const tags = fixedTags;

test('ham: X-Spam headers go after a leading Return-Path', () => {
  const raw = Buffer.from('Return-Path: <a@b.c>\nFrom: a@b.c\nSubject: hi\n\nbody\n');
  const out = markupMessage(parseMessage(raw), tags(raw, false), opts(1)).toString('latin1');
  assert.equal(
    out,
    'Return-Path: <a@b.c>\nX-Spam-Level: \nX-Spam-Status: No, score=-1.5 required=5.0 tests=TEST_RULE autolearn=disabled\n\tversion=0.1.0\nFrom: a@b.c\nSubject: hi\n\nbody\n',
  );
});

test('spam with report_safe 1 is wrapped and the original kept verbatim', () => {
  const raw = Buffer.from('From: a@b.c\nTo: d@e.f\nSubject: buy\nContent-Type: text/html\n\n<b>buy</b>\n');
  const out = markupMessage(parseMessage(raw), tags(raw, true), opts(1, '*****SPAM*****')).toString('latin1');
  assert.match(out, /^Received: from localhost by test\.example\n\twith hamlet \(version 0\.1\.0\);\n\t\w{3}, 22 Nov 2026 /);
  assert.match(out, /\nSubject: \*\*\*\*\*SPAM\*\*\*\*\* buy\n/);
  assert.match(out, /\nX-Spam-Flag: YES\nX-Spam-Level: \*{9}\n/);
  assert.match(out, /boundary="----------=_[0-9A-F]{8}\.1F553619"/);
  assert.match(out, /Content-Type: message\/rfc822; x-spam-type=original\nContent-Description: original message before hamlet\nContent-Disposition: attachment\n/);
  assert.match(out, /The original message was not completely plain text/);
  assert.ok(out.includes('\n\n' + raw.toString('latin1') + '\n------------=_'));
});

test('-d restores the original byte for byte from every report_safe form', () => {
  const files = [...corpusFiles('spam-2').slice(0, 40), ...corpusFiles('easy-ham-1').slice(0, 40), ...corpusFiles('hard-ham-1').slice(0, 20)];
  let checked = 0;
  for (const f of files) {
    const raw = readFileSync(f);
    if (/^X-Spam-/m.test(raw.toString('latin1'))) continue; // earlier markup is replaced, as SpamAssassin does
    for (const [isSpam, rs] of [[true, 1], [true, 2], [true, 0], [false, 1]] as const) {
      const marked = markupMessage(parseMessage(raw), tags(raw, isSpam), opts(rs, '*****SPAM*****'));
      const back = removeMarkup(marked, '*****SPAM*****');
      assert.ok(back.equals(raw), `${f} isSpam=${isSpam} report_safe=${rs}`);
      checked++;
    }
  }
  assert.ok(checked >= 300);
});

test('CRLF messages keep CRLF in what is added', () => {
  const raw = Buffer.from('From: a@b.c\r\nSubject: x\r\n\r\nbody\r\n');
  const out = markupMessage(parseMessage(raw), tags(raw, false), opts(1)).toString('latin1');
  assert.ok(!/[^\r]\n/.test(out), 'every newline is CRLF');
  assert.ok(removeMarkup(Buffer.from(out, 'latin1')).equals(raw));
});
