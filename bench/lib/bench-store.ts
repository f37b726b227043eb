/**
 * A private Bayes server for the store benches (bench:store-compat, bench:cluster): the config
 * lines that point SpamAssassin and hamlet at one of its databases, emptying a database, and
 * learning TRAIN into one with sa-learn or hamlet-learn, timed.
 *
 * sa-learn into a server is slow (minutes for TRAIN), so the database it trains is cached in
 * `.bench-tmp/stores/` (the server's own dump); `--fresh` retrains. Its time is cached with it for
 * reference only: a learning-speed comparison times both learners in the same run (`saLearnInto`).
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Redis from 'ioredis';
import { startRedis, type RedisServer } from '../../test/helpers/redis-server';
import { postgresBin, startPostgres } from '../../test/helpers/postgres-server';
import { ROOT, TRAIN, buildMbox, timed, type TimedRun } from './bayes-train';
import { corpusFiles } from '../../test/helpers/corpus';
import { siteDir } from './spamd-run';
import { treeCpuS } from './proc-tree';

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
  /** CPU seconds the server's processes have used so far (the work a learner hands the server counts too). */
  serverCpuSeconds(): number;
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
    serverCpuSeconds: () => treeCpuS(server.pid() ?? 0),
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
    serverCpuSeconds: () => treeCpuS(server.pid),
    stop: () => server.stop(),
  };
}

export async function startBenchStore(kind: BackendKind): Promise<BenchStore> {
  if (kind === 'redis') return redisStore();
  if (kind === 'pg') return pgStore();
  throw new Error(`unknown bench store '${kind as string}' (redis or pg)`);
}

/** Where an engine's learning went and what it cost. */
export interface StoreTraining {
  readonly messages: number;
  /** Wall seconds of the learner's runs. */
  readonly seconds: number;
  /** CPU seconds of the learner's processes, and of the server while they ran (NaN for a cached run). */
  readonly cpuSeconds: number;
  readonly serverCpuSeconds: number;
  /** True when sa-learn's run came from the cache (its times are the cached run's, not comparable). */
  readonly cached: boolean;
}

/** hamlet-learn reads SpamAssassin's stock rules and site files, as sa-learn does (its own default is hamlet's rules/). */
export const STOCK_CONFIG = ['-C', '/usr/share/spamassassin', '--siteconfigpath', '/etc/spamassassin'];

/** Each TRAIN mailbox through `run` (one learner process per mailbox, as an administrator runs them), timed with the server's CPU. */
async function learnTrain(store: BenchStore, db: number, run: (mbox: string, cls: 'spam' | 'ham') => TimedRun): Promise<StoreTraining> {
  await store.reset(db);
  let seconds = 0;
  let cpuSeconds = 0;
  let messages = 0;
  const server0 = store.serverCpuSeconds();
  for (const [group, cls] of TRAIN) {
    const r = run(buildMbox(group), cls);
    seconds += r.seconds;
    cpuSeconds += r.cpuSeconds;
    messages += corpusFiles(group).length;
  }
  return { messages, seconds, cpuSeconds, serverCpuSeconds: store.serverCpuSeconds() - server0, cached: false };
}

/** sa-learn TRAIN into database `db` (emptied first), timed. */
export async function saLearnInto(store: BenchStore, db: number): Promise<StoreTraining> {
  const site = siteDir('/etc/spamassassin', `use_bayes 1\n${store.cf(db)}`);
  try {
    return await learnTrain(store, db, (mbox, cls) => timed('sa-learn', ['-L', '--siteconfigpath', site, '--mbox', `--${cls}`, mbox]));
  } finally {
    rmSync(site, { recursive: true, force: true });
  }
}

/**
 * sa-learn TRAIN (spam-1, easy-ham-1) into database `db`, or the database an earlier run trained
 * (loaded from the cache: then the times are that run's).
 */
export async function saLearnTrain(store: BenchStore, db: number, opts: { fresh?: boolean } = {}): Promise<StoreTraining> {
  const dump = join(CACHE, `${store.kind}-sa-train.dump`);
  const meta = join(CACHE, `${store.kind}-sa-train.json`);
  if (!opts.fresh && existsSync(meta) && (await store.load(db, dump))) {
    const m = JSON.parse(readFileSync(meta, 'utf8')) as { messages: number; seconds: number };
    return { messages: m.messages, seconds: m.seconds, cpuSeconds: NaN, serverCpuSeconds: NaN, cached: true };
  }
  const r = await saLearnInto(store, db);
  await store.save(db, dump);
  writeFileSync(meta, JSON.stringify({ messages: r.messages, seconds: r.seconds }));
  return r;
}

/** hamlet-learn TRAIN into database `db` (emptied first), timed. */
export function hamletLearnTrain(store: BenchStore, db: number): Promise<StoreTraining> {
  const cli = join(ROOT, 'bin', 'hamlet-learn.js');
  const cf = store.cf(db).split('\n').flatMap((l) => ['--cf', l]);
  return learnTrain(store, db, (mbox, cls) => timed(process.execPath, [cli, ...STOCK_CONFIG, ...cf, '--no-progress', '--mbox', `--${cls}`, mbox]));
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

