/**
 * Character references decoded as SpamAssassin 4.0.1 decodes them. Each expected value was
 * observed with the real SpamAssassin (its rendered body and uri list) on small messages of our own.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeHtmlEntities } from '../../src/message/html-entities';
import { renderHtml } from '../../src/message/html';

/** Each raw string decodes to the text SpamAssassin showed for it. */
function expectDecoded(inText: boolean, cases: [string, string][]): void {
  for (const [raw, want] of cases) assert.equal(decodeHtmlEntities(raw, inText), want, raw);
}

test('text: HTML 4 names decode, HTML5-only names stay as written', () => {
  expectDecoded(true, [
    ['A&colon;B C&check;D Q&sol;R', 'A&colon;B C&check;D Q&sol;R'],
    ['&NewLine;f &Tab;g &AMP;i &COPY;j', '&NewLine;f &Tab;g &AMP;i &COPY;j'], // names are case-sensitive
    ['G&amp;H &quot;h O&apos;P &Eacute;a &eacute;b', 'G&H "h O\'P Éa éb'],
    ['&hellip;c &euro;d &trade;e &lang;&rang;', '…c €d ™e \u2329\u232a'], // lang/rang as HTML 4 has them
    ['k&amp;amp;', 'k&amp;'], // one pass only
  ]);
});

test('text: without ";" only Latin-1 names decode, and a known Latin-1 name may start a longer word', () => {
  expectDecoded(true, [
    ['K&copy L', 'K© L'],
    ['M&copyN W&ampX Y&lt', 'M©N W&X Y<'],
    ['e&uumlaut;f i&aposx h&sup2x', 'eüaut;f i\'x h²x'],
    ['y&hellip z &euro b &OElig f', 'y&hellip z &euro b &OElig f'],
    ['a&eurox b&hellipx g&there4x', 'a&eurox b&hellipx g&there4x'],
    ['w &a x &; y & z', 'w &a x &; y & z'],
  ]);
});

test('numeric references: with or without ";", digits read greedily, invalid ones kept', () => {
  expectDecoded(true, [
    ['I&#58;J S&#x3a;T g&#X3a;h c&#58d', 'I:J S:T g:h c:d'],
    ['e&#x3Af', 'e\u03af'], // the hex digits run on
    ['a&#150;b', 'a\u0096b'], // no windows-1252 remapping
    ['&#8364g &#00065; &#x0000041;', '€g A A'],
    ['i&#0;j &#65535; &#xFFFE; &#x110000; &#99999999999999999999;', 'i&#0;j &#65535; &#xFFFE; &#x110000; &#99999999999999999999;'],
    ['q&#;r s&#x;t', 'q&#;r s&#x;t'],
    ['m&#xD800;n', 'm\ufffdn'],
  ]);
});

test('attribute values: no longer-word reading, but a name ends at any non-alphanumeric', () => {
  expectDecoded(false, [
    ['https&colon;//colon.example.com/x', 'https&colon;//colon.example.com/x'],
    ['http://sol.example.com&sol;y', 'http://sol.example.com&sol;y'],
    ['http://copy2.example.com/&copyx', 'http://copy2.example.com/&copyx'],
    ['/&copy=1 /&lt=x /&lt', '/©=1 /<=x /<'],
    ['/&hellip+&uumlaut+&#8364x+&#58x+&apos+&quot+&euro+', '/&hellip+&uumlaut+€x+:x+\'+"+&euro+'],
  ]);
});

test('rendering: links keep HTML5-only entities, text decodes HTML 4 ones, scripts stay raw', () => {
  const r = renderHtml(
    '<html><head><title>T&colon;&amp;&copy</title><script>var a="&amp;";</script></head><body>' +
      '<a href="https&colon;//colon.example.com/x">one</a> <a href="http&#58;//num.example.com/z">two</a>' +
      '<a href="http://amp.example.com/q?a=1&amp;b=2">three</a><p>A&colon;B I&#58;J M&copyN</p></body></html>',
  );
  assert.deepEqual(
    r.anchors.map((a) => a.href),
    ['https&colon;//colon.example.com/x', 'http://num.example.com/z', 'http://amp.example.com/q?a=1&b=2'],
  );
  assert.deepEqual(r.titles, ['T&colon;&©']);
  assert.deepEqual(r.scripts, ['var a="&amp;";']);
  assert.match(r.text, /A&colon;B I:J M©N/);
});
