/** SpamAssassin's Redis bayes_sql_dsn forms, and the token keys of its Redis layout. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseRedisDsn } from '../../../src/bayes/stores/redis-dsn';
import { keyHash, parseCounts, tokenKey } from '../../../src/bayes/stores/redis-format';
import { hexToHash } from '../../../src/bayes/hash';

const valid: [string, object][] = [
  ['', { host: '127.0.0.1', port: 6379, db: 0, label: '127.0.0.1:6379/0' }],
  ['server=127.0.0.1:6390;database=2', { host: '127.0.0.1', port: 6390, db: 2, label: '127.0.0.1:6390/2' }],
  ['server=localhost:6379;password=foo;database=2', { host: 'localhost', port: 6379, db: 2, password: 'foo' }],
  ['server=[::1]:6380', { host: '::1', port: 6380, label: '[::1]:6380/0' }],
  ['server=redis.example', { host: 'redis.example', port: 6379 }],
  ['server=/run/redis/redis.sock;database=1', { path: '/run/redis/redis.sock', db: 1, label: '/run/redis/redis.sock/1' }],
  // Unknown options are ignored, as SpamAssassin ignores them; names are case-insensitive.
  [' Server = 10.0.0.5:7000 ; ttl=3 ; DATABASE=4 ', { host: '10.0.0.5', port: 7000, db: 4 }],
];

for (const [dsn, want] of valid) {
  test(`DSN '${dsn}' is read`, () => {
    const t = parseRedisDsn(dsn);
    for (const [k, v] of Object.entries(want)) assert.deepEqual((t as unknown as Record<string, unknown>)[k], v, k);
  });
}

const invalid: [string, RegExp][] = [
  ['server=127.0.0.1:99999', /port 99999 is out of range/],
  ['server=host:port:x', /neither host:port/],
  ['server=127.0.0.1:6379;database=two', /database 'two' is not a database index/],
  ['server=bad:host:1;password=secret', /password=\*\*\*/],
];

for (const [dsn, why] of invalid) {
  test(`DSN '${dsn}' is refused with a clear message`, () => {
    assert.throws(() => parseRedisDsn(dsn), (e: Error & { code?: string }) => {
      assert.equal(e.code, 'HAMLET_ERR_BAYES_OPEN');
      assert.match(e.message, why);
      assert.doesNotMatch(e.message, /secret/);
      return true;
    });
  });
}

test('token keys are w: and the 40-bit hash as five bytes, most significant first (as sa-learn --backup prints it)', () => {
  // Seen with redis-cli MONITOR: sa-learn's key "w:R\xcd\xa7SS" is the backup's token 52cda75353.
  const h = hexToHash('52cda75353');
  assert.deepEqual(tokenKey(h), Buffer.from('w:R\xcd\xa7SS', 'latin1'));
  assert.equal(keyHash(tokenKey(h)), h);
  assert.equal(keyHash(tokenKey(0)), 0);
  assert.equal(keyHash(tokenKey(2 ** 40 - 1)), 2 ** 40 - 1);
  assert.ok(Number.isNaN(keyHash(Buffer.from('s:abc'))));
  assert.ok(Number.isNaN(keyHash(Buffer.from('w:abcdef'))));
});

test('look-up entries: empty is unknown, else spam,ham', () => {
  assert.equal(parseCounts(''), undefined);
  assert.deepEqual(parseCounts('3,0'), [3, 0]);
  assert.deepEqual(parseCounts('0,12'), [0, 12]);
});
