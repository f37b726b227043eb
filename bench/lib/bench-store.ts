/**
 * A private Bayes server for the store benches (bench:store-compat, bench:cluster): the config
 * lines that point SpamAssassin and hamlet at one of its databases, emptying a database, and
 * learning TRAIN into one with sa-learn or hamlet-learn, timed.
 *
 * sa-learn into a server is slow (minutes for TRAIN), so its result is cached in
 * `.bench-tmp/stores/` (the server's own dump and the time it took); `--fresh` retrains.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Redis from 'ioredis';
import { startRedis, type RedisServer } from '../../test/helpers/redis-server';
import { postgresBin, startPostgres } from '../../test/helpers/postgres-server';
import { ROOT, TRAIN, buildMbox, timed } from './bayes-train';
import { corpusFiles } from '../../test/helpers/corpus';
import { siteDir } from './spamd-run';

export type BackendKind = 'redis' | 'pg';

export interface BenchStore {
  readonly kind: BackendKind;
  /** Config lines (for SpamAssassin and hamlet alike) naming database `db`. */
  cf(db: number): string;
  /** Empty database `db`. */
  reset(db: number): Promise<void>;
  /** Save database `db` as the cache of sa-learn's training; load it back. */
  save(db: number, file: string): Promise<void>;
  load(db: number, file: string): Promise<boolean>;
  stop(): Promise<void>;
}

export const CACHE = join(ROOT, '.bench-tmp', 'stores');

/** A Redis server; databases are Redis database indexes. */
async function redisStore(): Promise<BenchStore> {
  const server: RedisServer = await startRedis();
  const client = (db: number) => new Redis({ host: '127.0.0.1', port: server.port, db });
  const withClient = async <T>(db: number, fn: (r: Redis) => Promise<T>): Promise<T> => {
    const r = client(db);
    try {
      return await fn(r);
    } finally {
      await r.quit();
    }
  };
  return {
    kind: 'redis',
    cf: (db) => `bayes_store_module Mail::SpamAssassin::BayesStore::Redis\nbayes_sql_dsn ${server.dsn(db)}`,
    reset: (db) => withClient(db, async (r) => void (await r.flushdb())),
    // DUMP/RESTORE every key with its TTL: a whole database in a file without stopping the server.
    save: (db, file) =>
      withClient(db, async (r) => {
        const keys = await r.keysBuffer('*');
        const out: string[] = [];
        for (let i = 0; i < keys.length; i += 1000) {
          const p = r.pipeline();
          for (const k of keys.slice(i, i + 1000)) p.dumpBuffer(k).pttl(k);
          const res = (await p.exec())!;
          for (let j = 0; j < res.length; j += 2) {
            const key = keys[i + j / 2]!;
            out.push(`${key.toString('base64')} ${(res[j]![1] as Buffer).toString('base64')} ${res[j + 1]![1] as number}`);
          }
        }
        mkdirSync(CACHE, { recursive: true });
        writeFileSync(file, out.join('\n') + '\n');
      }),
    load: (db, file) =>
      withClient(db, async (r) => {
        if (!existsSync(file)) return false;
        await r.flushdb();
        const lines = readFileSync(file, 'utf8').split('\n').filter(Boolean);
        for (let i = 0; i < lines.length; i += 1000) {
          const p = r.pipeline();
          for (const l of lines.slice(i, i + 1000)) {
            const [k, v, ttl] = l.split(' ');
            p.restore(Buffer.from(k!, 'base64'), Math.max(0, Number(ttl)), Buffer.from(v!, 'base64'), 'REPLACE');
          }
          await p.exec();
        }
        return true;
      }),
    stop: () => server.close(),
  };
}

/**
 * A PostgreSQL server; database `db` is the PostgreSQL database `bench_<db>`, in SpamAssassin's
 * bayes_pg.sql schema (hamlet-learn --clear creates it), rows under one override username.
 */
async function pgStore(): Promise<BenchStore> {
  const server = await startPostgres();
  const bin = postgresBin();
  if (!server || !bin) throw new Error('PostgreSQL is not installed (Debian package postgresql)');
  const conn = ['-h', server.host, '-p', String(server.port), '-U', server.user];
  const psql = (sql: string) => timed(join(bin, 'psql'), [...conn, '-d', server.database, '-qtA', '-v', 'ON_ERROR_STOP=1', '-c', sql]).stdout;
  const name = (db: number) => `bench_${db}`;
  const exists = (db: number) => psql(`SELECT 1 FROM pg_database WHERE datname = '${name(db)}'`).includes('1');
  const cf = (db: number) =>
    [
      'bayes_store_module Mail::SpamAssassin::BayesStore::PgSQL',
      `bayes_sql_dsn DBI:Pg:dbname=${name(db)};host=${server.host};port=${server.port}`,
      `bayes_sql_username ${server.user}`,
      'bayes_sql_override_username bench',
    ].join('\n');
  const fresh = (db: number) => {
    psql(`DROP DATABASE IF EXISTS ${name(db)} WITH (FORCE)`);
    psql(`CREATE DATABASE ${name(db)}`);
  };
  return {
    kind: 'pg',
    cf,
    // Emptied in place (servers may be connected to it already): --clear also creates the schema.
    reset: async (db) => {
      if (!exists(db)) psql(`CREATE DATABASE ${name(db)}`);
      timed(process.execPath, [join(ROOT, 'bin', 'hamlet-learn.js'), ...STOCK_CONFIG, ...cf(db).split('\n').flatMap((l) => ['--cf', l]), '--clear']);
    },
    save: async (db, file) => {
      mkdirSync(CACHE, { recursive: true });
      timed(join(bin, 'pg_dump'), [...conn, '-Fc', '-f', file, name(db)]);
    },
    load: async (db, file) => {
      if (!existsSync(file)) return false;
      fresh(db);
      timed(join(bin, 'pg_restore'), [...conn, '-d', name(db), file]);
      return true;
    },
    stop: () => server.stop(),
  };
}

export async function startBenchStore(kind: BackendKind): Promise<BenchStore> {
  if (kind === 'redis') return redisStore();
  if (kind === 'pg') return pgStore();
  throw new Error(`unknown bench store '${kind as string}' (redis or pg)`);
}

/** Where an engine's learning went and how long it took. */
export interface StoreTraining {
  readonly messages: number;
  readonly seconds: number;
  /** True when sa-learn's run came from the cache (its time is the cached run's). */
  readonly cached: boolean;
}

/**
 * sa-learn TRAIN (spam-1, easy-ham-1: one run per mailbox, as bayes-train.ts) into database `db`,
 * or the cached result of an earlier run.
 */
export async function saLearnTrain(store: BenchStore, db: number, opts: { fresh?: boolean } = {}): Promise<StoreTraining> {
  const dump = join(CACHE, `${store.kind}-sa-train.dump`);
  const meta = join(CACHE, `${store.kind}-sa-train.json`);
  if (!opts.fresh && existsSync(meta) && (await store.load(db, dump))) {
    return { ...(JSON.parse(readFileSync(meta, 'utf8')) as { messages: number; seconds: number }), cached: true };
  }
  await store.reset(db);
  const site = siteDir('/etc/spamassassin', `use_bayes 1\n${store.cf(db)}`);
  try {
    let seconds = 0;
    let messages = 0;
    for (const [group, cls] of TRAIN) {
      seconds += timed('sa-learn', ['-L', '--siteconfigpath', site, '--mbox', `--${cls}`, buildMbox(group)]).seconds;
      messages += corpusFiles(group).length;
    }
    await store.save(db, dump);
    writeFileSync(meta, JSON.stringify({ messages, seconds }));
    return { messages, seconds, cached: false };
  } finally {
    rmSync(site, { recursive: true, force: true });
  }
}

/** hamlet-learn reads SpamAssassin's stock rules and site files, as sa-learn does (its own default is hamlet's rules/). */
export const STOCK_CONFIG = ['-C', '/usr/share/spamassassin', '--siteconfigpath', '/etc/spamassassin'];

/** hamlet-learn TRAIN into database `db` (emptied first), timed. */
export async function hamletLearnTrain(store: BenchStore, db: number): Promise<StoreTraining> {
  await store.reset(db);
  const cli = join(ROOT, 'bin', 'hamlet-learn.js');
  const cf = store.cf(db).split('\n').flatMap((l) => ['--cf', l]);
  let seconds = 0;
  let messages = 0;
  for (const [group, cls] of TRAIN) {
    seconds += timed(process.execPath, [cli, ...STOCK_CONFIG, ...cf, '--no-progress', '--mbox', `--${cls}`, buildMbox(group)]).seconds;
    messages += corpusFiles(group).length;
  }
  return { messages, seconds, cached: false };
}

/** A backup (sa-learn's text format) restored into database `db` with hamlet-learn. */
export function hamletRestore(store: BenchStore, db: number, backup: string): void {
  const cli = join(ROOT, 'bin', 'hamlet-learn.js');
  const cf = store.cf(db).split('\n').flatMap((l) => ['--cf', l]);
  timed(process.execPath, [cli, ...STOCK_CONFIG, ...cf, '--restore', backup]);
}

/** `--backup` of database `db` through hamlet-learn, without atimes (Redis has none), sorted: comparable across runs. */
export function backupLines(store: BenchStore, db: number): string[] {
  const cli = join(ROOT, 'bin', 'hamlet-learn.js');
  const cf = store.cf(db).split('\n').flatMap((l) => ['--cf', l]);
  const out = timed(process.execPath, [cli, ...STOCK_CONFIG, ...cf, '--backup']).stdout;
  return out
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => (l.startsWith('t\t') ? l.split('\t').filter((_x, i) => i !== 3).join('\t') : l))
    .sort();
}

