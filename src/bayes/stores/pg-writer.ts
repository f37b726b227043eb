/**
 * One PostgreSQL write transaction of the Bayes store: changes are queued and sent as set-based
 * statements (one per kind) before the next read of the transaction and at commit, so a learned
 * batch of hundreds of messages costs a handful of round trips.
 */
import type { PoolClient } from 'pg';
import { hashToHex } from '../hash';
import type { BayesWriter, ExpiryVar, SeenFlag, StoreVars, TokenCounts } from '../store';
import type { TokenDeltas } from '../token-deltas';
import { hexArrayLiteral, intArrayLiteral } from './pg-arrays';
import { MSGID_MAX, PAGE_ROWS, VARS_SQL, varsFromRow } from './pg-vars';

const VAR_COLUMNS: Record<ExpiryVar, string> = { lastExpire: 'last_expire', lastAtimeDelta: 'last_atime_delta', lastExpireReduce: 'last_expire_reduce' };

/**
 * Token changes: existing rows are updated (counts never below 0), new rows are inserted only
 * for counts going up, and the number inserted comes back for `token_count`.
 */
const TOKENS_SQL = `
WITH d AS (
  SELECT decode(x.h, 'hex') AS token, x.s, x.hm, x.a FROM unnest($2::text[], $3::int[], $4::int[], $5::int[]) AS x(h, s, hm, a)),
upd AS (
  UPDATE bayes_token t
     SET spam_count = GREATEST(t.spam_count + d.s, 0), ham_count = GREATEST(t.ham_count + d.hm, 0), atime = GREATEST(t.atime, d.a)
    FROM d WHERE t.id = $1 AND t.token = d.token
  RETURNING t.token),
ins AS (
  INSERT INTO bayes_token (id, token, spam_count, ham_count, atime)
  SELECT $1, d.token, GREATEST(d.s, 0), GREATEST(d.hm, 0), d.a FROM d
   WHERE (d.s > 0 OR d.hm > 0) AND NOT EXISTS (SELECT 1 FROM upd WHERE upd.token = d.token)
  ON CONFLICT (id, token) DO UPDATE SET spam_count = bayes_token.spam_count + EXCLUDED.spam_count,
     ham_count = bayes_token.ham_count + EXCLUDED.ham_count, atime = GREATEST(bayes_token.atime, EXCLUDED.atime)
  RETURNING (xmax = 0) AS inserted)
SELECT count(*) FILTER (WHERE inserted)::int AS added FROM ins`;

/**
 * Token changes that only add (learning): one upsert, a row inserted or updated per token. The
 * counts cannot go below 0, so it leaves what TOKENS_SQL would, in about half the server's CPU.
 */
const ADD_TOKENS_SQL = `
WITH ins AS (
  INSERT INTO bayes_token (id, token, spam_count, ham_count, atime)
  SELECT $1, decode(x.h, 'hex'), x.s, x.hm, x.a FROM unnest($2::text[], $3::int[], $4::int[], $5::int[]) AS x(h, s, hm, a)
  ON CONFLICT (id, token) DO UPDATE SET spam_count = bayes_token.spam_count + EXCLUDED.spam_count,
     ham_count = bayes_token.ham_count + EXCLUDED.ham_count, atime = GREATEST(bayes_token.atime, EXCLUDED.atime)
  RETURNING (xmax = 0) AS inserted)
SELECT count(*) FILTER (WHERE inserted)::int AS added FROM ins`;

/** After counts went down: drop the tokens left at zero, and say how many. */
const DROP_EMPTY_SQL = `
WITH del AS (
  DELETE FROM bayes_token WHERE id = $1 AND token IN (SELECT decode(x, 'hex') FROM unnest($2::text[]) x) AND spam_count <= 0 AND ham_count <= 0
  RETURNING 1)
SELECT count(*)::int AS n FROM del`;

/** `token_count` and the atime range after tokens were added (`$2`) or removed (`$3`). */
const TOKEN_VARS_SQL = `
UPDATE bayes_vars SET token_count = GREATEST(token_count + $2 - $3, 0),
  newest_token_age = CASE WHEN $4 > 0 THEN GREATEST(newest_token_age, $4) ELSE newest_token_age END,
  oldest_token_age = CASE WHEN $2 > 0 AND $5 > 0 THEN LEAST(oldest_token_age, $5) ELSE oldest_token_age END
WHERE id = $1`;

/** After a deletion by age: the counters SpamAssassin's dump reads. */
const AFTER_DELETE_SQL = `
UPDATE bayes_vars SET token_count = GREATEST(token_count - $2, 0),
  oldest_token_age = coalesce((SELECT min(atime) FROM bayes_token WHERE id = $1), 2147483647)
WHERE id = $1`;

export class PgBayesWriter implements BayesWriter {
  private seen = new Map<string, SeenFlag | null>();
  private dspam = 0;
  private dham = 0;
  private tokens: TokenDeltas[] = [];
  private setVars = new Map<ExpiryVar, number>();

  constructor(
    private readonly c: PoolClient,
    readonly id: number,
  ) {}

  async seenGet(ids: readonly string[]): Promise<Map<string, SeenFlag>> {
    await this.flush();
    const out = new Map<string, SeenFlag>();
    if (ids.length === 0) return out;
    const keys = ids.map((i) => i.slice(0, MSGID_MAX));
    const r = await this.c.query<{ m: string; f: string }>('SELECT msgid AS m, flag AS f FROM bayes_seen WHERE id = $1 AND msgid = ANY($2::text[])', [this.id, keys]);
    const byKey = new Map(r.rows.map((row) => [row.m, row.f]));
    for (const id of ids) {
      const f = byKey.get(id.slice(0, MSGID_MAX));
      if (f === 's' || f === 'h') out.set(id, f);
    }
    return out;
  }

  seenPut(msgid: string, flag: SeenFlag): void {
    this.seen.set(msgid.slice(0, MSGID_MAX), flag);
  }

  seenDelete(msgid: string): void {
    this.seen.set(msgid.slice(0, MSGID_MAX), null);
  }

  countsChange(dspam: number, dham: number): void {
    this.dspam += dspam;
    this.dham += dham;
  }

  tokensChange(deltas: TokenDeltas): void {
    this.tokens.push(deltas);
  }

  setVar(name: ExpiryVar, value: number): void {
    this.setVars.set(name, value);
  }

  async vars(): Promise<StoreVars> {
    await this.flush();
    const r = await this.c.query(VARS_SQL.replace('v.username = $1', 'v.id = $1'), [this.id]);
    return varsFromRow(r.rows[0]);
  }

  async countOlderThan(cutoff: number): Promise<number> {
    await this.flush();
    return (await this.c.query<{ n: number }>('SELECT count(*)::int AS n FROM bayes_token WHERE id = $1 AND atime < $2', [this.id, cutoff])).rows[0]!.n;
  }

  async deleteOlderThan(cutoff: number): Promise<number> {
    await this.flush();
    const n = (await this.c.query('DELETE FROM bayes_token WHERE id = $1 AND atime < $2', [this.id, cutoff])).rowCount ?? 0;
    await this.c.query(AFTER_DELETE_SQL, [this.id, n]);
    return n;
  }

  async deleteOldest(n: number): Promise<number> {
    if (n <= 0) return 0;
    await this.flush();
    const sql = 'DELETE FROM bayes_token WHERE id = $1 AND token IN (SELECT token FROM bayes_token WHERE id = $1 ORDER BY atime LIMIT $2)';
    const done = (await this.c.query(sql, [this.id, n])).rowCount ?? 0;
    await this.c.query(AFTER_DELETE_SQL, [this.id, done]);
    return done;
  }

  async replaceAll(vars: { nspam: number; nham: number }, tokens: Iterable<[number, TokenCounts]>, seen: Iterable<[string, SeenFlag]>): Promise<void> {
    await this.wipe();
    let chunk: Array<[number, TokenCounts]> = [];
    let n = 0;
    let oldest = 2147483647;
    let newest = 0;
    const send = async (): Promise<void> => {
      if (chunk.length === 0) return;
      await this.c.query(
        "INSERT INTO bayes_token (id, token, spam_count, ham_count, atime) SELECT $1, decode(x.h, 'hex'), x.s, x.hm, x.a FROM unnest($2::text[], $3::int[], $4::int[], $5::int[]) AS x(h, s, hm, a)",
        [this.id, chunk.map(([h]) => hashToHex(h)), chunk.map(([, t]) => t.spam), chunk.map(([, t]) => t.ham), chunk.map(([, t]) => t.atime)],
      );
      chunk = [];
    };
    for (const entry of tokens) {
      chunk.push(entry);
      n++;
      oldest = Math.min(oldest, entry[1].atime);
      newest = Math.max(newest, entry[1].atime);
      if (chunk.length >= PAGE_ROWS) await send();
    }
    await send();
    await this.c.query(
      'UPDATE bayes_vars SET spam_count = $2, ham_count = $3, token_count = $4, oldest_token_age = $5, newest_token_age = $6, last_expire = 0, last_atime_delta = 0, last_expire_reduce = 0 WHERE id = $1',
      [this.id, vars.nspam, vars.nham, n, oldest, newest],
    );
    for (const [id, flag] of seen) this.seenPut(id, flag);
    await this.flush();
  }

  /** Empty the user's data; the `bayes_vars` row stays, zeroed (later changes of the transaction need it). */
  async clear(): Promise<void> {
    await this.wipe();
    await this.c.query(
      'UPDATE bayes_vars SET spam_count = 0, ham_count = 0, token_count = 0, last_expire = 0, last_atime_delta = 0, last_expire_reduce = 0, oldest_token_age = 2147483647, newest_token_age = 0 WHERE id = $1',
      [this.id],
    );
  }

  /** Drop the user's tokens, seen ids and expiry records (and what was queued). */
  private async wipe(): Promise<void> {
    this.seen.clear();
    this.tokens = [];
    this.dspam = this.dham = 0;
    await this.c.query('DELETE FROM bayes_token WHERE id = $1', [this.id]);
    await this.c.query('DELETE FROM bayes_seen WHERE id = $1', [this.id]);
    await this.c.query('DELETE FROM bayes_expire WHERE id = $1', [this.id]);
  }

  /** Raise the atimes of tokens a scan used (atime -> hashes). */
  async touch(stamps: ReadonlyMap<number, readonly number[]>): Promise<void> {
    let newest = 0;
    for (const [atime, hashes] of stamps) {
      await this.c.query("UPDATE bayes_token SET atime = $2 WHERE id = $1 AND atime < $2 AND token IN (SELECT decode(x, 'hex') FROM unnest($3::text[]) x)", [this.id, atime, hashes.map(hashToHex)]);
      newest = Math.max(newest, atime);
    }
    if (newest > 0) await this.c.query('UPDATE bayes_vars SET newest_token_age = GREATEST(newest_token_age, $2) WHERE id = $1', [this.id, newest]);
  }

  /** Send what is queued. */
  async flush(): Promise<void> {
    if (this.dspam || this.dham) {
      await this.c.query('UPDATE bayes_vars SET spam_count = GREATEST(spam_count + $2, 0), ham_count = GREATEST(ham_count + $3, 0) WHERE id = $1', [this.id, this.dspam, this.dham]);
      this.dspam = this.dham = 0;
    }
    if (this.seen.size > 0) {
      const del: string[] = [];
      const put: Array<[string, SeenFlag]> = [];
      for (const [id, f] of this.seen) {
        if (f === null) del.push(id);
        else put.push([id, f]);
      }
      this.seen = new Map();
      if (del.length) await this.c.query('DELETE FROM bayes_seen WHERE id = $1 AND msgid = ANY($2::text[])', [this.id, del]);
      for (let i = 0; i < put.length; i += PAGE_ROWS) {
        const part = put.slice(i, i + PAGE_ROWS);
        await this.c.query(
          'INSERT INTO bayes_seen (id, msgid, flag) SELECT $1, x.m, x.f FROM unnest($2::text[], $3::text[]) AS x(m, f) ON CONFLICT (id, msgid) DO UPDATE SET flag = EXCLUDED.flag',
          [this.id, part.map((p) => p[0]), part.map((p) => p[1])],
        );
      }
    }
    const tokens = this.tokens;
    this.tokens = [];
    for (const d of tokens) await this.applyTokens(d);
    if (this.setVars.size > 0) {
      const cols = [...this.setVars].map(([k], i) => `${VAR_COLUMNS[k]} = $${i + 2}`);
      await this.c.query(`UPDATE bayes_vars SET ${cols.join(', ')} WHERE id = $1`, [this.id, ...this.setVars.values()]);
      this.setVars.clear();
    }
  }

  /** One TokenDeltas as set-based statements, rows in token order (a stable lock order). */
  private async applyTokens(deltas: TokenDeltas): Promise<void> {
    const hashes: number[] = [];
    const spam: number[] = [];
    const ham: number[] = [];
    const atime: number[] = [];
    const order: number[] = [];
    deltas.forEach((h, s, hm, a) => {
      if (s === 0 && hm === 0) return;
      order.push(hashes.length);
      hashes.push(h);
      spam.push(s);
      ham.push(hm);
      atime.push(a);
    });
    // Ascending hashes are ascending 10-hex-digit tokens, the order of the index.
    order.sort((a, b) => hashes[a]! - hashes[b]!);
    const pick = (col: number[]): number[] => order.map((i) => col[i]!);
    const [h, s, hm, a] = [pick(hashes), pick(spam), pick(ham), pick(atime)];
    for (let i = 0; i < h.length; i += PAGE_ROWS) {
      const end = Math.min(h.length, i + PAGE_ROWS);
      const down: number[] = [];
      let newest = 0;
      let oldest = 0;
      for (let j = i; j < end; j++) {
        if (s[j]! < 0 || hm[j]! < 0) down.push(h[j]!);
        if (s[j]! > 0 || hm[j]! > 0) {
          newest = Math.max(newest, a[j]!);
          oldest = oldest === 0 ? a[j]! : Math.min(oldest, a[j]!);
        }
      }
      const params = [this.id, hexArrayLiteral(h, i, end), intArrayLiteral(s, i, end), intArrayLiteral(hm, i, end), intArrayLiteral(a, i, end)];
      const r = await this.c.query<{ added: number }>(down.length ? TOKENS_SQL : ADD_TOKENS_SQL, params);
      const removed = down.length ? (await this.c.query<{ n: number }>(DROP_EMPTY_SQL, [this.id, hexArrayLiteral(down)])).rows[0]!.n : 0;
      await this.c.query(TOKEN_VARS_SQL, [this.id, r.rows[0]!.added, removed, newest, oldest]);
    }
  }
}
