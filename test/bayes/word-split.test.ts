import { test } from 'node:test';
import assert from 'node:assert/strict';
import { asciiWords } from '../../src/bayes/word-split';
import { ByteTable, hashBytes, hashString, stringBytes } from '../../src/bayes/word-table';

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

test('byte table finds keys by their bytes, per tag, across growth', () => {
  const t = new ByteTable(16);
  const words: string[] = [];
  for (let i = 0; i < 5000; i++) words.push('w' + i.toString(36) + '\xe9');
  const bytes = (w: string): Uint8Array => Uint8Array.from([32, ...[...w].map((c) => c.charCodeAt(0)), 32]);
  words.forEach((w, i) => {
    const b = bytes(w);
    assert.equal(hashBytes(b, 1, b.length - 1), hashString(w));
    assert.equal(t.insert(b, 1, b.length - 1, hashString(w), i % 3), i, 'ids are dense, in insertion order');
  });
  assert.equal(t.count, words.length);
  words.forEach((w, i) => {
    const b = bytes(w);
    assert.equal(t.find(b, 1, b.length - 1, hashString(w), i % 3), i);
    assert.equal(t.find(b, 1, b.length - 1, hashString(w), (i + 1) % 3), -1, 'the same bytes under another tag');
    assert.equal(t.key(i), w);
  });
  const s = stringBytes('absent');
  assert.equal(t.find(s, 0, 6, hashBytes(s, 0, 6)), -1);
  assert.equal(t.find(s, 0, 2, hashBytes(s, 0, 2)), -1, 'a prefix of no key');
});

test('byte table keys too long, or tags too large, for a slot are still told apart', () => {
  const t = new ByteTable(16);
  const long = 'x'.repeat(40000);
  const b = stringBytes(long + long.slice(1) + 'y');
  const h = hashBytes(b, 0, 40000);
  // Two long keys under one hash (the same bytes), one tag large and one small; a long key and a
  // short one whose hashes were made equal.
  assert.equal(t.insert(b, 0, 40000, h, 70000), 0);
  assert.equal(t.insert(b, 0, 40000, h, 1), 1);
  assert.equal(t.insert(b, 0, 3, h, 70000), 2);
  assert.equal(t.find(b, 0, 40000, h, 70000), 0);
  assert.equal(t.find(b, 0, 40000, h, 1), 1);
  assert.equal(t.find(b, 0, 3, h, 70000), 2);
  assert.equal(t.find(b, 0, 40000, h, 2), -1, 'another tag');
  assert.equal(t.find(b, 40000, 80000, h, 1), -1, 'the same length, other bytes');
  assert.equal(t.find(b, 0, 39999, h, 70000), -1, 'a prefix');
  assert.equal(t.key(2), 'xxx');
});

test('a cleared byte table forgets its keys and numbers new ones from 0', () => {
  const t = new ByteTable(4);
  const b = stringBytes('one two');
  t.insert(b, 0, 3, hashBytes(b, 0, 3));
  t.insert(b, 4, 7, hashBytes(b, 4, 7));
  t.clear();
  assert.equal(t.count, 0);
  assert.equal(t.find(b, 0, 3, hashBytes(b, 0, 3)), -1);
  assert.equal(t.insert(b, 4, 7, hashBytes(b, 4, 7)), 0);
  assert.equal(t.key(0), 'two');
  assert.equal(t.find(b, 4, 7, hashBytes(b, 4, 7)), 0);
});
