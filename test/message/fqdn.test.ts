import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isFqdnValid } from '../../src/message/domain';
import { verdict } from '../../src/engine/verdict';

test('isFqdnValid: two or more DNS labels, no underscore in the last two', () => {
  const cases: Array<[string, boolean]> = [
    ['example.com', true],
    ['mail.example.com.', true],
    ['a_b.example.com', true],
    ['a_b.com', false],
    ['example.c_m', false],
    ['localhost', false],
    ['-bad.example.com', false],
    ['bad-.example.com', false],
    ['a..example.com', false],
    ['x'.repeat(64) + '.com', false],
    ['x'.repeat(63) + '.com', true],
    [('a'.repeat(62) + '.').repeat(4) + 'com', false], // 255 chars,
    ['ex ample.com', false],
  ];
  for (const [host, want] of cases) assert.equal(isFqdnValid(host), want, host);
});

test('verdict rounds to 3 decimals before comparing with the threshold', () => {
  assert.deepEqual(verdict(0.1 + 0.2, 0.3), { score: 0.3, isSpam: true });
  assert.deepEqual(verdict(4.9996, 5), { score: 5, isSpam: true });
  assert.deepEqual(verdict(4.9994, 5), { score: 4.999, isSpam: false });
});
