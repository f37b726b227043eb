/** The report page without a browser: self-contained, one SVG per plot, text escaped. (report-browser.test.ts renders it.) */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { reportHtml } from '../../src/rescore/report';

test('reportHtml: one inline SVG per plot, nothing fetched, no script, summary escaped', async () => {
  const spam = Array.from({ length: 200 }, (_, i) => i % 2);
  const before = spam.map((s, i) => (s ? 3 + 4 * Math.sin(i) : -1 + 2 * Math.cos(i)));
  const after = before.map((v, i) => (spam[i] ? v + 2 : v));
  const html = await reportHtml({
    title: 'a <b> & c',
    threshold: 5,
    runs: [
      { name: 'before', scores: before, spam },
      { name: 'after', scores: after, spam },
    ],
    rules: [
      { name: 'RULE_<X>', score: 2, hits: 10 },
      { name: 'HAM_RULE', score: -1, hits: 30 },
    ],
    summary: 'train <script>alert(1)</script>\n',
  });
  assert.equal((html.match(/<figure class="plot"/g) ?? []).length, 4);
  assert.equal((html.match(/<svg[\s>]/g) ?? []).length, 4);
  assert.doesNotMatch(html, /<script/i, 'no script (the summary text is escaped)');
  assert.doesNotMatch(html, /\b(?:src|href)=["']?(?:https?:)?\/\//i, 'nothing loaded from elsewhere');
  assert.doesNotMatch(html, /@import|url\(\s*['"]?https?:/i);
  assert.match(html, /<title>a &#60;b&#62; &#38; c<\/title>/);
  assert.match(html, /RULE_&lt;X&gt;|RULE_&#60;X&#62;/, 'rule names are escaped in the SVG text');
  assert.match(html, /Score histogram: before/);
  assert.match(html, /Rules that matter most/);
});
