/**
 * The key layout of SpamAssassin 4.0.1's Redis Bayes store, which hamlet reads and writes
 * unchanged (learned by watching `sa-learn` and `spamassassin` with `redis-cli MONITOR`):
 *
 * - `w:<5 bytes>`: one hash per token; the key is `w:` and the token's 40-bit hash as five raw
 *   bytes, most significant first (the same value `--backup` prints as 10 hex digits). Fields
 *   `s` and `h` hold the spam and ham counts; a field falling to zero or below is deleted (so a
 *   token with neither is gone). Learning sets the hash's TTL to `bayes_token_ttl` (21 days)
 *   and a scan refreshes it (EXPIRE) on the tokens its verdict used. No atimes are stored.
 * - `s:<msgid>`: a string `s` or `h` with a TTL of `bayes_seen_ttl` (8 days): the message was
 *   learned as spam / ham, under its first id (`<sha1>@sa_generated`).
 * - `v:NSPAM`, `v:NHAM`: message counts (INCRBY); `v:DB_VERSION` = 3 and `v:TOKEN_FORMAT` = 2
 *   (binary 5-byte tokens), set when a writer finds an empty database. No TTLs on `v:` keys.
 * - TTLs are set only with `bayes_auto_expire` on (the default); expiry is Redis's own, so
 *   `--force-expire` has nothing to do, and `--dump magic` shows ntokens and atimes as 0.
 * - `--restore` spreads TTLs uniformly over 0.7x to 1.7x the configured TTL, so that a restored
 *   database does not expire all at once.
 *
 * SpamAssassin sends its learning as pipelined commands, one message at a time, without MULTI;
 * hamlet commits a whole transaction in one MULTI/EXEC, with the token changes applied by the
 * script below, so nothing is half-written. Look-ups for one message are one script call.
 */

/** The token key of a 40-bit hash. */
export function tokenKey(h: number): Buffer {
  const b = Buffer.allocUnsafe(7);
  b[0] = 0x77; // w
  b[1] = 0x3a; // :
  b.writeUIntBE(h, 2, 5);
  return b;
}

/** The hash of a token key, or NaN when the key is not `w:` and five bytes. */
export function keyHash(key: Buffer): number {
  return key.length === 7 && key[0] === 0x77 && key[1] === 0x3a ? key.readUIntBE(2, 5) : NaN;
}

/** Message ids are kept as their UTF-8 bytes (SpamAssassin's are the header's bytes). */
export const seenKey = (id: string): string => 's:' + id;

export const V_NSPAM = 'v:NSPAM';
export const V_NHAM = 'v:NHAM';
export const V_DB_VERSION = 'v:DB_VERSION';
export const V_TOKEN_FORMAT = 'v:TOKEN_FORMAT';
/** The only token format hamlet speaks: binary 5-byte hashes. */
export const TOKEN_FORMAT = 2;

/**
 * Look-up: KEYS[1], KEYS[2] are the message counts, the rest token keys. Returns the two counts
 * and one string with an entry per token, space-separated: empty when the token is unknown,
 * else `spam,ham` (one string parses faster than a reply of hundreds of elements).
 */
export const LOOKUP_SCRIPT = `
local n = #KEYS
local counts = {}
for i = 3, n do
  local f = redis.call('HMGET', KEYS[i], 's', 'h')
  if f[1] or f[2] then
    counts[i - 2] = (f[1] or '0') .. ',' .. (f[2] or '0')
  else
    counts[i - 2] = ''
  end
end
return { redis.call('GET', KEYS[1]) or '0', redis.call('GET', KEYS[2]) or '0', table.concat(counts, ' ', 1, n - 2) }
`;

/**
 * Token changes, packed so that a call of thousands of tokens is three arguments (building and
 * parsing one argument per key and count cost more than the script itself): ARGV[1] is the TTL
 * in seconds (0: none), ARGV[2] the tokens' 5-byte hashes end to end, ARGV[3] two big-endian
 * int32 per token (the change to its spam and ham counts). A count that falls to zero or below
 * loses its field. The keys are the `w:` keys of those hashes (a standalone server, as
 * SpamAssassin's Redis store assumes; the keys are not declared).
 */
export const CHANGE_SCRIPT = `
local ttl = tonumber(ARGV[1])
local hashes, deltas = ARGV[2], ARGV[3]
for i = 1, #hashes / 5 do
  local k = 'w:' .. string.sub(hashes, 5 * i - 4, 5 * i)
  local ds, dh = struct.unpack('>i4>i4', deltas, 8 * i - 7)
  if ds ~= 0 and redis.call('HINCRBY', k, 's', ds) <= 0 then redis.call('HDEL', k, 's') end
  if dh ~= 0 and redis.call('HINCRBY', k, 'h', dh) <= 0 then redis.call('HDEL', k, 'h') end
  if ttl > 0 then redis.call('EXPIRE', k, ttl) end
end
return #hashes / 5
`;

/** Parse one look-up entry (`''` or `spam,ham`). */
export function parseCounts(entry: string): [number, number] | undefined {
  if (entry === '') return undefined;
  const comma = entry.indexOf(',');
  return [Number(entry.slice(0, comma)) || 0, Number(entry.slice(comma + 1)) || 0];
}
