import { test } from 'node:test';
import assert from 'node:assert/strict';
import { colourToRgb, cssBackgroundLayers, cssRgbToHex, judgeColours } from '../../src/message/html-colour';
import { renderHtml } from '../../src/message/html';

test('colour values read as SpamAssassin reads them', () => {
  const cases: [string, string][] = [
    ['red', '#ff0000'],
    [' White ', '#ffffff'],
    ['LightGoldenrodYellow', '#fafad2'],
    ['#FFF', '#ffffff'],
    ['#abc', '#aabbcc'],
    ['#1234', '#112233'], // 4-5 digits are cut to 3
    ['#1234567', '#123456'],
    ['#f', '#ff0000'], // padded to 3, then doubled
    ['rgb(300,0,0)', '#12c000'], // three hex digits for 300, then cut to 6
    ['#', '#'],
    ['ff0000', 'invalid'], // hex without '#'
    ['', 'invalid'],
    ['windowtext', 'invalid'],
    ['rgb(255, 0, 128)', '#ff0080'],
    ['rgb(100%, 50%, 0%)', '#ff7f00'],
    ['rgba(1,2,3,0.5)', 'invalid'],
  ];
  for (const [input, want] of cases) assert.equal(colourToRgb(input), want, input);
});

test('CSS rgb() values are read leniently and clamped', () => {
  assert.equal(cssRgbToHex('rgb(300, 16, 1)'), '#ff1001');
  assert.equal(cssRgbToHex('rgba(0,0,0,0.5)'), '#000000');
  assert.equal(cssRgbToHex('rgb(5)'), '#050000');
});

test('background shorthand splits into layers of values', () => {
  assert.deepEqual(cssBackgroundLayers('url("a b.png") no-repeat, #fff rgb(1, 2, 3)'), [
    ['url("a b.png")', 'no-repeat'],
    ['#fff', 'rgb(1, 2, 3)'],
  ]);
  assert.deepEqual(cssBackgroundLayers("'x,y' red"), [["'x,y'", 'red']]);
  assert.deepEqual(cssBackgroundLayers('   '), []);
});

test('colour pairs are judged by weighted distance', () => {
  const cases: [string, string, string | undefined][] = [
    ['#ffffff', '#ffffff', 'low-contrast'],
    ['#fefefe', '#ffffff', 'low-contrast'],
    ['#000000', '#ffffff', undefined],
    ['#ffff00', '#ffffff', undefined], // blue differs, weight 0.0722: distance 18.4
    ['invalid', '#ffffff', 'invalid'],
    ['invalid', 'invalid', 'low-contrast'],
    ['#', '#ffffff', undefined],
  ];
  for (const [fg, bg, want] of cases) assert.equal(judgeColours(fg, bg), want, `${fg} on ${bg}`);
  // Grey steps of n differ by 0.75 * n: 15 is under 12, 17 is not.
  assert.equal(judgeColours('#f0f0f0', '#ffffff'), 'low-contrast');
  assert.equal(judgeColours('#eeeeee', '#ffffff'), undefined);
});

const flags = (html: string) => {
  const s = renderHtml(html).stats;
  return { low: s.fontLowContrast, invalid: s.fontInvalidColor };
};

test('the style stack decides the colours visible text is drawn in', () => {
  const cases: [string, boolean, boolean][] = [
    ['<p>plain text</p>', false, false],
    ['<font color="#ffffff">hidden</font>', true, false],
    ['<font color="#fffffe">near</font>', true, false],
    ['<font color="#ffffff"> \n </font>', false, false], // whitespace only is not judged
    ['<font color="#ffffff"></font>shown', false, false], // closed before the text
    ['<body text="white" bgcolor="black">x</body>', true, false], // bgcolor attributes are ignored
    ['<div style="background-color:#000;color:#010101">x</div>', true, false],
    ['<div style="background:url(x.png) #123456">a<span style="color:#123456">x</span></div>', true, false],
    ['<span style="color: windowtext">x</span>', false, true],
    ['<font color=ff0000>x</font>', false, true],
    ['<span style="color:inherit">x</span>', false, false],
    ['<div style="background-color:#000"><span style="color:transparent">x</span></div>', true, false],
    ['<div style="background-color:transparent;color:#fff">x</div>', true, false], // parent bg is white
    ['<table><tr><td><font color=white>a<td>x</table>', true, false], // a new cell closes the font
    ['<table><tr><td><font color=white><td>x</table>', false, false],
    ['<font color=white><span style="color:#000">x</span></font>', false, false],
    ['<basefont color=white>x', true, false],
    ['<style>p{color:#fff}</style><script>var a="x"</script><p>y', false, false],
  ];
  for (const [html, low, invalid] of cases) assert.deepEqual(flags(html), { low, invalid }, html);
});

test('invisible text keeps its surrounding spaces', () => {
  assert.equal(renderHtml('a<br><font color=white> b </font><br>c').text, 'a\n b \nc');
  assert.equal(renderHtml('a<br><font> b </font><br>c').text, 'a\nb\nc');
});

test('font sizes count on every style change, with inherited size', () => {
  const s = renderHtml('<big><big><big><font color=red>x</font></big></big></big><font size=1>y</font>').stats;
  assert.equal(s.maxSize, 6);
  assert.equal(s.minSize, 1);
});

test('comments are kept as written, unterminated ones end at the next >', () => {
  const r = renderHtml('a<!-- one --><!x y>b<!--open>c');
  assert.deepEqual(r.commentSources, ['<!-- one -->', '<!x y>', '<!--open>']);
  assert.equal(r.text, 'abc');
  assert.deepEqual(renderHtml('<?xml version="1.0"?>x').commentSources, []);
});

test('end tags count as written, stray and void ones included', () => {
  const r = renderHtml('<!DOCTYPE html><center><b>x</center></b></b></img>');
  assert.equal(r.inside.get('center'), 0);
  assert.equal(r.inside.get('b'), 0);
  assert.equal(r.inside.get('img'), 0);
  assert.equal(r.inside.get('!doctype'), 0);
  assert.equal(r.stats.closedExtra, 2);
});

test('the first of repeated attributes wins', () => {
  assert.equal(renderHtml('<font color=white color=black>x</font>').stats.fontLowContrast, true);
  assert.equal(renderHtml('<font color=black color=white>x</font>').stats.fontLowContrast, false);
  assert.deepEqual(renderHtml('<a href="http://a.com/" href="http://b.com/" constructor=x>y</a>').links.map((l) => l.url), ['http://a.com/']);
});
