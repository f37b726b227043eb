import { test } from 'node:test';
import assert from 'node:assert/strict';
import { asciiWords } from '../../src/bayes/word-split';
import { WordTable, hashBytes, hashString } from '../../src/bayes/word-table';

// The regex passes the char-code splitter replaces, as reference.
const ASCII_JUNK = /[^A-Za-z0-9,@*!_'"$. -]/g;
const DOTS = /(\w)(\.{3,6})(\w)/g;
const DASHES = /(\w)(-{2,6})(\w)/g;
const TITLE_CASE = /(?:^|\.\s+)([A-Z])([^A-Z]+)(?:\s|$)/g;

function regexWords(line: string, titleCase: boolean): string[] {
  let text = line.replace(ASCII_JUNK, ' ').replace(DOTS, '$1 $2 $3').replace(DASHES, '$1 $2 $3');
  if (titleCase) text = text.replace(TITLE_CASE, (_m, f: string, r: string) => ' ' + f.toLowerCase() + r + ' ');
  return text.split(' ').filter((w) => w.length >= 3);
}

/** Words as the tokenizer uses them: trailing `-'".,` is trimmed (the regex drops a sentence's final dot). */
function trimmed(words: string[]): string[] {
  return words.map((w) => w.replace(/[-'".,]+$/, '')).filter((w) => w.length >= 3);
}

function splitWords(line: string, titleCase: boolean): string[] {
  const out: string[] = [];
  const n = asciiWords(line, titleCase, out);
  return out.slice(0, n);
}

test('ascii words match the regex passes', () => {
  const cases = [
    'Hello world. This is a Test of things.',
    'wait...what--now a...b...c x--y--z',
    'foo...Bar baz Hello--World again',
    'Hello there. Bye now',
    'A. Bb cc. Dd',
    '...Start.  Two  spaces. And\tTab\nNew',
    'abc.......def ab--------cd',
    'Done. X',
    'e.g. Maybe, perhaps: "Quoted" (parens) <tags> $5.00!',
  ];
  for (const line of cases) {
    for (const tc of [false, true]) assert.deepEqual(trimmed(splitWords(line, tc)), trimmed(regexWords(line, tc)), line);
  }
});

test('ascii words match the regex passes on random lines', () => {
  const alphabet = 'aAbBzZ09_.-. \t,@*!\'"$#:/Xx..--';
  let seed = 12345;
  const rnd = (n: number): number => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return (seed >>> 8) % n;
  };
  for (let k = 0; k < 20000; k++) {
    let line = '';
    const len = rnd(40);
    for (let i = 0; i < len; i++) line += alphabet[rnd(alphabet.length)];
    for (const tc of [false, true]) assert.deepEqual(trimmed(splitWords(line, tc)), trimmed(regexWords(line, tc)), JSON.stringify(line));
  }
});

test('non-ASCII lines are left to the byte-aware path', () => {
  assert.equal(asciiWords('caf\xc3\xa9 au lait', true, []), -1);
});

test('word table finds keys by string and by bytes', () => {
  const t = new WordTable<number>();
  const words: string[] = [];
  for (let i = 0; i < 5000; i++) words.push('w' + i.toString(36) + '\xe9');
  words.forEach((w, i) => t.add(w, hashString(w), i));
  words.forEach((w, i) => {
    const b = Uint8Array.from([32, ...[...w].map((c) => c.charCodeAt(0)), 32]);
    assert.equal(hashBytes(b, 1, b.length - 1), hashString(w));
    assert.equal(t.getBytes(b, 1, b.length - 1, hashString(w)), i);
    assert.equal(t.get(w, hashString(w)), i);
  });
  assert.equal(t.get('absent', hashString('absent')), undefined);
});
