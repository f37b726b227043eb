/** Token hashing: the low 40 bits of SHA-1, as SpamAssassin stores tokens. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { hashToHex, hexToHash, tokenHash } from '../../src/bayes/hash';

function reference(token: string): string {
  return createHash('sha1').update(Buffer.from(token, 'latin1')).digest('hex').slice(-10);
}

test('tokens hash to the last five bytes of their SHA-1 (values checked with Perl Digest::SHA)', () => {
  // perl -MDigest::SHA=sha1 -e 'print unpack("H*", substr(sha1("HPrecedence:bulk"), -5))'
  assert.equal(hashToHex(tokenHash('HPrecedence:bulk')), '1d5f64b15b');
  assert.equal(hashToHex(tokenHash('bulk')), '946b43cde0');
});

test('the hand-written SHA-1 agrees with node:crypto on short, block-edge and 8-bit tokens', () => {
  const cases = ['', 'a', 'abc', 'x'.repeat(55), 'x'.repeat(56), 'y'.repeat(64), 'z'.repeat(200), 'caf\xe9', '\xe6\x97\xa5\xe6\x9c\xac', 'H*r:ip*127.0.0.1'];
  for (const c of cases) assert.equal(hashToHex(tokenHash(c)), reference(c), JSON.stringify(c));
});

test('hex forms round-trip and bad hex is NaN', () => {
  const h = tokenHash('hello');
  assert.equal(hexToHash(hashToHex(h)), h);
  assert.ok(Number.isNaN(hexToHash('zz')));
  assert.ok(Number.isNaN(hexToHash('12345678901')));
});
