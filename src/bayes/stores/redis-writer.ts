/**
 * One write transaction on Redis. Reads go to the server at once (the seen keys they read are
 * WATCHed); changes are queued here and sent together in one MULTI/EXEC at commit, so another
 * learner never sees half a transaction and a lost connection leaves nothing half-written.
 * When EXEC aborts because a watched seen key changed (another learner took the same message),
 * the store runs the transaction again: the interface's writer functions are re-runnable.
 *
 * The transaction reads its own changes: seenGet answers from the queued seen changes first, and
 * vars() adds the queued count changes.
 */
import type Redis from 'ioredis';
import type { ChainableCommander } from 'ioredis';
import { DB_VERSION, type BayesWriter, type ExpiryVar, type SeenFlag, type StoreVars, type TokenCounts } from '../store';
import type { TokenDeltas } from '../token-deltas';
import { CHANGE_SCRIPT, TOKEN_FORMAT, V_DB_VERSION, V_NHAM, V_NSPAM, V_TOKEN_FORMAT, seenKey, tokenKey } from './redis-format';

/** TTLs in seconds; 0 = none (bayes_auto_expire off). */
export interface RedisTtls {
  readonly token: number;
  readonly seen: number;
}

/** Token changes per script call: keeps each call's argument list modest. */
const CHANGE_CHUNK = 10000;

/** `Redis` errors out of EXEC (one per failed command). */
function execErrors(res: [Error | null, unknown][]): Error | undefined {
  return res.find(([err]) => err)?.[0] ?? undefined;
}

/** What replaceAll or clear asked for: every token and seen key goes first. */
interface Wipe {
  vars: { nspam: number; nham: number };
  tokens: Iterable<[number, TokenCounts]>;
  seen: Iterable<[string, SeenFlag]>;
}

export class RedisWriter implements BayesWriter {
  /** Queued seen changes: a flag, or null for a deletion. */
  private readonly seen = new Map<string, SeenFlag | null>();
  private dspam = 0;
  private dham = 0;
  private readonly changes: TokenDeltas[] = [];
  private wipe?: Wipe;

  constructor(
    private readonly conn: Redis,
    private readonly ttl: RedisTtls,
    /** Keys of the database's tokens and seen ids, for a wipe (SCAN; only called by clear/replaceAll). */
    private readonly allKeys: () => Promise<Buffer[]>,
  ) {}

  async seenGet(ids: readonly string[]): Promise<Map<string, SeenFlag>> {
    const out = new Map<string, SeenFlag>();
    const ask: string[] = [];
    for (const id of ids) {
      const queued = this.seen.get(id);
      if (queued !== undefined) {
        if (queued) out.set(id, queued);
      } else if (!this.wipe) ask.push(id);
    }
    if (ask.length) {
      const keys = ask.map(seenKey);
      await this.conn.watch(...keys);
      const flags = await this.conn.mget(...keys);
      flags.forEach((f, i) => {
        if (f === 's' || f === 'h') out.set(ask[i]!, f);
      });
    }
    return out;
  }

  seenPut(msgid: string, flag: SeenFlag): void {
    this.seen.set(msgid, flag);
  }

  seenDelete(msgid: string): void {
    this.seen.set(msgid, null);
  }

  countsChange(dspam: number, dham: number): void {
    this.dspam += dspam;
    this.dham += dham;
  }

  tokensChange(deltas: TokenDeltas): void {
    this.changes.push(deltas);
  }

  /** Redis keeps no expiry bookkeeping: its TTLs expire tokens. */
  setVar(_name: ExpiryVar, _value: number): void {}

  async vars(): Promise<StoreVars> {
    const [nspam, nham] = this.wipe ? [this.wipe.vars.nspam, this.wipe.vars.nham] : (await this.conn.mget(V_NSPAM, V_NHAM)).map((v) => Number(v) || 0);
    return zeroVars(nspam! + this.dspam, nham! + this.dham);
  }

  countOlderThan(): Promise<number> {
    return Promise.resolve(0);
  }

  deleteOlderThan(): Promise<number> {
    return Promise.resolve(0);
  }

  deleteOldest(): Promise<number> {
    return Promise.resolve(0);
  }

  replaceAll(vars: { nspam: number; nham: number }, tokens: Iterable<[number, TokenCounts]>, seen: Iterable<[string, SeenFlag]>): Promise<void> {
    this.seen.clear();
    this.changes.length = 0;
    this.dspam = this.dham = 0;
    this.wipe = { vars, tokens, seen };
    return Promise.resolve();
  }

  clear(): Promise<void> {
    return this.replaceAll({ nspam: 0, nham: 0 }, [], []);
  }

  /** Send everything in one MULTI/EXEC. False when a watched key changed (nothing was written). */
  async commit(): Promise<boolean> {
    const m = this.conn.multi();
    m.set(V_DB_VERSION, DB_VERSION, 'NX').set(V_TOKEN_FORMAT, TOKEN_FORMAT, 'NX');
    if (this.wipe) await this.queueWipe(m, this.wipe);
    else m.set(V_NSPAM, 0, 'NX').set(V_NHAM, 0, 'NX');
    for (const d of this.changes) queueChanges(m, d, this.ttl.token);
    if (this.dspam) m.incrby(V_NSPAM, this.dspam);
    if (this.dham) m.incrby(V_NHAM, this.dham);
    for (const [id, flag] of this.seen) {
      if (flag === null) m.del(seenKey(id));
      else if (this.ttl.seen > 0) m.set(seenKey(id), flag, 'EX', this.ttl.seen);
      else m.set(seenKey(id), flag);
    }
    const res = await m.exec();
    if (res === null) return false;
    const err = execErrors(res);
    if (err) throw err;
    return true;
  }

  /** Forget the watched keys (a transaction that threw or wrote nothing). */
  async abandon(): Promise<void> {
    await this.conn.unwatch();
  }

  /** Delete every token and seen key, then write the new contents with TTLs spread as SpamAssassin's restore spreads them. */
  private async queueWipe(m: ChainableCommander, wipe: Wipe): Promise<void> {
    const old = await this.allKeys();
    for (let i = 0; i < old.length; i += CHANGE_CHUNK) m.unlink(...old.slice(i, i + CHANGE_CHUNK));
    m.set(V_NSPAM, wipe.vars.nspam).set(V_NHAM, wipe.vars.nham);
    const spread = (ttl: number) => Math.round(ttl * (0.7 + Math.random()));
    for (const [h, t] of wipe.tokens) {
      const key = tokenKey(h);
      if (t.spam > 0 && t.ham > 0) m.hset(key, 's', t.spam, 'h', t.ham);
      else if (t.spam > 0) m.hset(key, 's', t.spam);
      else if (t.ham > 0) m.hset(key, 'h', t.ham);
      else continue;
      if (this.ttl.token > 0) m.expire(key, spread(this.ttl.token));
    }
    for (const [id, flag] of wipe.seen) {
      if (this.ttl.seen > 0) m.set(seenKey(id), flag, 'EX', spread(this.ttl.seen));
      else m.set(seenKey(id), flag);
    }
  }
}

/** Queue a batch's token changes as script calls of at most CHANGE_CHUNK tokens, packed (see CHANGE_SCRIPT). */
function queueChanges(m: ChainableCommander, d: TokenDeltas, ttl: number): void {
  const hashes = Buffer.allocUnsafe(5 * CHANGE_CHUNK);
  const deltas = Buffer.allocUnsafe(8 * CHANGE_CHUNK);
  let n = 0;
  const flush = () => {
    // Copies: the buffers are reused for the next chunk before the MULTI is sent.
    if (n) m.eval(CHANGE_SCRIPT, 0, ttl, Buffer.from(hashes.subarray(0, 5 * n)), Buffer.from(deltas.subarray(0, 8 * n)));
    n = 0;
  };
  d.forEach((h, ds, dh) => {
    if (ds === 0 && dh === 0) return;
    hashes.writeUIntBE(h, 5 * n, 5);
    deltas.writeInt32BE(ds, 8 * n);
    deltas.writeInt32BE(dh, 8 * n + 4);
    if (++n >= CHANGE_CHUNK) flush();
  });
  flush();
}

/** The counters a Redis store has: message counts and the format version; the rest are SpamAssassin's zeros. */
export function zeroVars(nspam: number, nham: number): StoreVars {
  return {
    dbVersion: DB_VERSION,
    nspam,
    nham,
    ntokens: 0,
    oldestAtime: 0,
    newestAtime: 0,
    lastJournalSync: 0,
    lastExpire: 0,
    lastAtimeDelta: 0,
    lastExpireReduce: 0,
  };
}
