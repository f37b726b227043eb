/** The PostgreSQL array literals written for unnest parameters. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hashToHex } from '../../../src/bayes/hash';
import { hexArrayLiteral, intArrayLiteral } from '../../../src/bayes/stores/pg-arrays';

test('token hashes become 10-hex-digit elements, as hashToHex writes them', () => {
  const hashes = [0, 1, 0xff, 0x1_0000_0000, 2 ** 40 - 1, 0xab_cdef_0123, 0x00_8000_0000];
  assert.equal(hexArrayLiteral(hashes), `{${hashes.map(hashToHex).join(',')}}`);
  assert.equal(hexArrayLiteral(hashes, 2, 4), `{${hashes.slice(2, 4).map(hashToHex).join(',')}}`);
  assert.equal(hexArrayLiteral([]), '{}');
});

test('a literal longer than the scratch buffer is written whole', () => {
  const hashes = Array.from({ length: 20000 }, (_v, i) => i * 54_975_581);
  assert.equal(hexArrayLiteral(hashes), `{${hashes.map(hashToHex).join(',')}}`);
});

test('integers, negative ones too, in a slice', () => {
  assert.equal(intArrayLiteral([3, -1, 0, 1039002727]), '{3,-1,0,1039002727}');
  assert.equal(intArrayLiteral([5, 6, 7], 1, 3), '{6,7}');
  assert.equal(intArrayLiteral([]), '{}');
});
