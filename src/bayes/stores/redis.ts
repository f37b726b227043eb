/**
 * The Redis Bayes backend (`bayes_store_module Mail::SpamAssassin::BayesStore::Redis`), in
 * SpamAssassin's key layout (redis-format.ts), so either program reads what the other wrote.
 *
 * Two connections per store: one for reads (look-ups, dumps, atime touches) and one for write
 * transactions, which WATCH keys and so need a connection of their own; transactions of one
 * process take turns on it. Commands are never queued while the server is away: a scan's
 * look-up fails at once (the scan goes on without Bayes, as SpamAssassin's does), the loss is
 * reported once, and ioredis reconnects in the background.
 */
import Redis from 'ioredis';
import { BayesError } from '../errors';
import type { BayesSettings } from '../settings';
import type { BayesStore, BayesWriter, SeenFlag, StoreVars, TokenCounts, TokenLookup } from '../store';
import type { BayesOpenOptions } from './registry';
import { parseRedisDsn, type RedisTarget } from './redis-dsn';
import { LOOKUP_SCRIPT, TOKEN_FORMAT, V_DB_VERSION, V_NHAM, V_NSPAM, V_TOKEN_FORMAT, keyHash, parseCounts, tokenKey } from './redis-format';
import { RedisWriter, zeroVars, type RedisTtls } from './redis-writer';

/** Keys per look-up script call when dumping (a scan's message is one call, whatever its size). */
const DUMP_CHUNK = 5000;
/** How long a first connection may take, and a command on the read connection. */
const CONNECT_MS = 3000;
const READ_MS = 5000;
/** A write transaction's commands (a large learned batch runs a while on the server). */
const WRITE_MS = 60000;
/** Transactions retried after another learner changed the same seen keys. */
const MAX_ATTEMPTS = 20;

export interface RedisStoreOptions {
  readonly readonly?: boolean;
  readonly ttl: RedisTtls;
  /** Where a lost or regained server is reported (once per outage). */
  readonly report?: (line: string) => void;
}

type LookupReply = [string, string, string];
interface WithLookup {
  bayesLookup(numKeys: number, ...keys: (string | Buffer)[]): Promise<LookupReply>;
}

export class RedisBayesStore implements BayesStore {
  readonly location: string;
  private readonly main: Redis & WithLookup;
  private tx?: Redis;
  private checked = false;
  private down = false;
  private everReady = false;
  private lastError = 'not connected';
  private closing = false;
  /** The last queued write: the next one starts when it has settled. */
  private queue: Promise<unknown> = Promise.resolve();
  private touches = new Set<number>();
  private touchTimer?: NodeJS.Timeout;

  constructor(
    private readonly target: RedisTarget,
    private readonly opts: RedisStoreOptions,
  ) {
    this.location = `redis ${target.label}`;
    this.main = this.connect(READ_MS) as Redis & WithLookup;
    this.main.defineCommand('bayesLookup', { lua: LOOKUP_SCRIPT });
  }

  get readonly(): boolean {
    return this.opts.readonly === true;
  }

  private connect(commandTimeout: number): Redis {
    const { host, port, path, db, password } = this.target;
    const r = new Redis({
      ...(path ? { path } : { host, port }),
      db,
      password,
      connectionName: `hamlet[${process.pid}]`,
      connectTimeout: CONNECT_MS,
      commandTimeout,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      autoResendUnfulfilledCommands: false,
      retryStrategy: (times) => Math.min(100 * times, 2000),
    });
    r.on('error', (err: Error) => this.lost(err));
    // A refused connection closes after its error: keep the error's words.
    r.on('close', () => this.closing || this.down || this.lost(new Error('connection closed')));
    r.on('ready', () => this.back());
    return r;
  }

  /**
   * A connection failed or closed. Reported once per outage, and only for a server that had
   * answered: a first connection that fails is the caller's error.
   */
  private lost(err: Error): void {
    this.lastError = err.message;
    if (this.down) return;
    this.down = true;
    if (this.everReady) this.opts.report?.(`bayes: redis ${this.target.label} unreachable (${err.message}); reconnecting in the background, Bayes is off until then`);
  }

  private back(): void {
    const was = this.down;
    this.down = false;
    if (was && this.everReady) this.opts.report?.(`bayes: redis ${this.target.label} is back`);
    this.everReady = true;
  }

  /** Wait for a connection; fail at once while the server is away. */
  private async ready(r: Redis): Promise<void> {
    if (r.status === 'ready') return this.checkFormat(r);
    // Wait for a connection being made, unless the server is known to be away (a write
    // connection may still be reconnecting when the read one is back).
    if (['wait', 'connecting', 'connect', 'reconnecting'].includes(r.status) && !this.down) {
      await new Promise<void>((resolve, reject) => {
        const done = (err?: Error) => {
          r.off('ready', ok).off('error', fail);
          clearTimeout(timer);
          if (err) reject(err);
          else resolve();
        };
        const ok = () => done();
        const fail = (e: Error) => done(e);
        const timer = setTimeout(() => done(new Error(`no answer in ${CONNECT_MS} ms`)), CONNECT_MS);
        r.once('ready', ok).once('error', fail);
      }).catch((e: Error) => {
        throw this.unreachable(e);
      });
      return this.checkFormat(r);
    }
    throw this.unreachable(new Error(r.status === 'end' ? 'connection closed' : this.lastError));
  }

  private unreachable(e: Error): BayesError {
    return new BayesError('HAMLET_ERR_BAYES_SERVER', `bayes: redis ${this.target.label} unreachable: ${e.message}`);
  }

  /** hamlet reads SpamAssassin's binary tokens (format 2) only; an older database says so. */
  private async checkFormat(r: Redis): Promise<void> {
    if (this.checked) return;
    const [version, format] = await r.mget(V_DB_VERSION, V_TOKEN_FORMAT);
    if ((format !== null && Number(format) !== TOKEN_FORMAT) || (version !== null && Number(version) !== 3)) {
      throw new BayesError('HAMLET_ERR_BAYES_OPEN', `bayes: redis ${this.target.label} holds Bayes data version ${version ?? '?'} / token format ${format ?? '?'}; hamlet reads version 3, token format ${TOKEN_FORMAT} (SpamAssassin 3.4.1 and later)`);
    }
    this.checked = true;
  }

  /** A server error as the store reports it (code and the server's words). */
  private failed(e: unknown): BayesError {
    if (e instanceof BayesError) return e;
    return new BayesError('HAMLET_ERR_BAYES_SERVER', `bayes: redis ${this.target.label}: ${(e as Error).message}`);
  }

  async vars(): Promise<StoreVars> {
    const c = await this.messageCounts();
    return zeroVars(c.nspam, c.nham);
  }

  async messageCounts(): Promise<{ nspam: number; nham: number }> {
    try {
      await this.ready(this.main);
      const [s, h] = await this.main.mget(V_NSPAM, V_NHAM);
      return { nspam: Number(s) || 0, nham: Number(h) || 0 };
    } catch (e) {
      throw this.failed(e);
    }
  }

  async lookup(hashes: readonly number[]): Promise<TokenLookup> {
    try {
      await this.ready(this.main);
      const [s, h, packed] = await this.main.bayesLookup(hashes.length + 2, V_NSPAM, V_NHAM, ...hashes.map(tokenKey));
      const out: TokenLookup = { nspam: Number(s) || 0, nham: Number(h) || 0, hashes: [], spam: [], ham: [] };
      if (hashes.length === 0) return out;
      const entries = packed.split(' ');
      for (let i = 0; i < hashes.length; i++) {
        const c = parseCounts(entries[i] ?? '');
        if (!c) continue;
        out.hashes.push(hashes[i]!);
        out.spam.push(c[0]);
        out.ham.push(c[1]);
      }
      return out;
    } catch (e) {
      throw this.failed(e);
    }
  }

  /**
   * A verdict's tokens get their TTL renewed, as SpamAssassin renews them after a scan; renewals
   * are gathered for half a second and sent together. Redis keeps no atime, so `atime` is unused.
   */
  touchLater(hashes: readonly number[], _atime: number): void {
    if (this.readonly || this.opts.ttl.token <= 0) return;
    for (const h of hashes) this.touches.add(h);
    this.touchTimer ??= setTimeout(() => void this.flushTouches(), 500).unref();
  }

  private async flushTouches(): Promise<void> {
    this.touchTimer = undefined;
    const hashes = [...this.touches];
    this.touches.clear();
    if (hashes.length === 0 || this.main.status !== 'ready') return;
    const p = this.main.pipeline();
    for (const h of hashes) p.expire(tokenKey(h), this.opts.ttl.token);
    await p.exec().catch(() => undefined); // stamps only steer expiry: a lost batch costs nothing
  }

  async *allTokens(): AsyncIterable<[number, TokenCounts]> {
    const now = Math.floor(Date.now() / 1000);
    const done = new Set<number>(); // SCAN may return a key twice
    for await (const keys of this.scanKeys('w:*')) {
      const hashes = keys.map(keyHash).filter((h) => !Number.isNaN(h) && !done.has(h));
      for (let i = 0; i < hashes.length; i += DUMP_CHUNK) {
        const found = await this.lookup(hashes.slice(i, i + DUMP_CHUNK));
        for (let j = 0; j < found.hashes.length; j++) {
          done.add(found.hashes[j]!);
          // No atimes in Redis: SpamAssassin's dump shows the current time.
          yield [found.hashes[j]!, { spam: found.spam[j]!, ham: found.ham[j]!, atime: now }];
        }
      }
    }
  }

  async *allSeen(): AsyncIterable<[string, SeenFlag]> {
    const done = new Set<string>();
    for await (const keys of this.scanKeys('s:*')) {
      if (keys.length === 0) continue;
      const flags = await this.main.mgetBuffer(...keys);
      for (let i = 0; i < keys.length; i++) {
        const id = keys[i]!.subarray(2).toString('utf8');
        const f = flags[i]?.toString('latin1');
        if ((f === 's' || f === 'h') && !done.has(id)) {
          done.add(id);
          yield [id, f];
        }
      }
    }
  }

  /** The keys matching `pattern`, a SCAN page at a time. */
  private async *scanKeys(pattern: string): AsyncIterable<Buffer[]> {
    try {
      await this.ready(this.main);
    } catch (e) {
      throw this.failed(e);
    }
    let cursor = '0';
    do {
      const [next, keys] = await this.main.scanBuffer(cursor, 'MATCH', pattern, 'COUNT', DUMP_CHUNK);
      cursor = next.toString();
      yield keys;
    } while (cursor !== '0');
  }

  private async allKeys(): Promise<Buffer[]> {
    const out: Buffer[] = [];
    for (const pattern of ['w:*', 's:*']) for await (const keys of this.scanKeys(pattern)) out.push(...keys);
    return out;
  }

  write<T>(fn: (w: BayesWriter) => Promise<T>): Promise<T> {
    if (this.readonly) return Promise.reject(new BayesError('HAMLET_ERR_BAYES_READONLY', `bayes: ${this.location} is open read-only`));
    const run = this.queue.then(() => this.transaction(fn));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async transaction<T>(fn: (w: BayesWriter) => Promise<T>): Promise<T> {
    this.tx ??= this.connect(WRITE_MS);
    const tx = this.tx;
    try {
      await this.ready(tx);
      for (let attempt = 1; ; attempt++) {
        const w = new RedisWriter(tx, this.opts.ttl, () => this.allKeys());
        let result: T;
        try {
          result = await fn(w);
        } catch (e) {
          await w.abandon().catch(() => undefined);
          throw e;
        }
        if (await w.commit()) return result;
        if (attempt >= MAX_ATTEMPTS) {
          throw new BayesError('HAMLET_ERR_BAYES_LOCKED', `bayes: ${this.location}: gave up after ${MAX_ATTEMPTS} tries, other learners kept changing the same messages`);
        }
      }
    } catch (e) {
      throw this.failed(e);
    }
  }

  async close(): Promise<void> {
    await this.queue;
    this.closing = true;
    if (this.touchTimer) {
      clearTimeout(this.touchTimer);
      await this.flushTouches();
    }
    for (const r of [this.main, this.tx]) {
      if (!r) continue;
      if (r.status === 'ready') await r.quit().catch(() => r.disconnect());
      else r.disconnect();
    }
  }
}

/** The registry's opener: the server `bayes_sql_dsn` names, TTLs only with bayes_auto_expire. */
export function openRedisStore(settings: BayesSettings, opts: BayesOpenOptions): RedisBayesStore {
  const auto = settings.autoExpire;
  return new RedisBayesStore(parseRedisDsn(settings.store.dsn), {
    readonly: opts.readonly,
    ttl: { token: auto ? settings.store.tokenTtl : 0, seen: auto ? settings.store.seenTtl : 0 },
    report: (line) => process.stderr.write(`hamlet: ${line}\n`),
  });
}
