/** keepDirectives (the line filter tools that read only a few settings use) against the regex it replaced. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { keepDirectives } from '../../src/config/read';

const KEEP = /^(?:if|endif|bayes_\w+)$/i;

/** The filter as one regex replace: blank each line whose first word KEEP does not match. */
function byRegex(text: string): string {
  return text.replace(/^[ \t]*([^\s#]*).*$/gm, (line, word: string) => (KEEP.test(word) ? line : ''));
}

test('kept lines stay whole, others go blank, every line ending stays (LF, CRLF, lone CR)', () => {
  const text = 'body X /y/\nbayes_path /tmp/x\r\n  if (1)\rscore X 1\n\tendif # c\n#bayes_path no\nbayes_auto_learn#1\n\nBAYES_FOO 1';
  assert.equal(keepDirectives(text, KEEP), byRegex(text));
  assert.equal(keepDirectives(text, KEEP), '\nbayes_path /tmp/x\r\n  if (1)\r\n\tendif # c\n\nbayes_auto_learn#1\n\nBAYES_FOO 1');
});

test('random lines of words, spaces, tabs, form feeds, no-break spaces and comments: as the regex', () => {
  const pieces = ['if', 'endif', 'bayes_x', 'body', ' ', '\t', '\f', '\xa0', '#', 'a', '\n', '\r', '\r\n', '\v'];
  let seed = 11;
  const rnd = (n: number): number => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 8) % n;
  for (let i = 0; i < 3000; i++) {
    const text = Array.from({ length: rnd(16) }, () => pieces[rnd(pieces.length)]!).join('');
    assert.equal(keepDirectives(text, KEEP), byRegex(text), JSON.stringify(text));
  }
  assert.equal(keepDirectives('', KEEP), '');
  assert.equal(keepDirectives('body x', undefined), 'body x');
});
