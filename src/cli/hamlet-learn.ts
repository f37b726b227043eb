/**
 * `hamlet-learn`: train and inspect the Bayes database like `sa-learn`. This file
 * wires options to actions; the work is done by src/bayes.
 */
// First: V8's regex flags must be set before any rule regex exists.
import '../regex-flags';
import { Command } from 'commander';
import { readStdin } from '../io/stdin';
import { exitQuietlyWhenOutputCloses, writeAll } from './output';
import { DEFAULT_RULES_DIR, readConfig, type LoadOptions } from '../config/read';
import type * as Mailbox from '../io/mailbox';
import type { SourcedMessage } from '../io/mailbox';
import type * as LearnPoolModule from '../bayes/learn-pool';
import type { LearnPool } from '../bayes/learn-pool';
// The store-side modules only: the message parser and tokenizer load in the workers
// (or on demand, for inline learning), which keeps start-up short.
import type * as LearnBatch from '../bayes/learn-batch';
import type { PreparedMessage } from '../bayes/learn-batch';
import { backup, dumpData, dumpMagic, restore } from '../bayes/backup';
import { bayesSettings, type BayesSettings } from '../bayes/settings';
import { BayesError } from '../bayes/errors';
import type * as Expiry from '../bayes/expiry';
import { openBayesStore } from '../bayes/open-store';
import type { BayesStore } from '../bayes/store';
import { lazy } from '../util/lazy';
import { commandLoadOptions, DEFAULT_SITE_DIR } from './config-dirs';
import { compileForLearning } from './learn-compiler';
import { keepCodeCache, takeEarlyPool } from './learn-early-start';

// What only learning uses (mailbox readers, the worker pool and its worker_threads, batches,
// expiry) loads when learning starts: `--dump`, `--backup` and friends never pay for it.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const mailbox = lazy(() => require('../io/mailbox') as typeof Mailbox);
// eslint-disable-next-line @typescript-eslint/no-require-imports
const learnPool = lazy(() => require('../bayes/learn-pool') as typeof LearnPoolModule);
// eslint-disable-next-line @typescript-eslint/no-require-imports
const learnBatch = lazy(() => require('../bayes/learn-batch') as typeof LearnBatch);
// eslint-disable-next-line @typescript-eslint/no-require-imports
const expiry = lazy(() => require('../bayes/expiry') as typeof Expiry);

const VERSION = '0.1.0';
/**
 * A write transaction covers at most this many messages, or this many token hashes
 * (which bounds the batch's memory): fewer, larger transactions write each common
 * token once instead of once per small batch. A kill loses at most the batch in flight.
 */
export const BATCH_MESSAGES = 5000;
export const BATCH_HASHES = 1_000_000;
/**
 * While the workers have nothing ready, a batch this large is written early: the
 * main thread is idle then, and what is left to write after the last message shrinks.
 * Not smaller: every batch writes its tokens again (TRAIN's two mailboxes: 207,000 token rows
 * written at 400, 168,000 at 1,500; a batch of 1,500 is about 60 ms of SQLite).
 */
export const IDLE_BATCH_MESSAGES = 1500;
/** The settings hamlet-learn reads; every other configuration line is skipped unparsed. */
const BAYES_DIRECTIVES = /^(?:if|ifplugin|else|endif|include|loadplugin|tryplugin|require_version|use_bayes|use_bayes_rules|use_learner|bayes_\w+)$/i;

interface CliOptions {
  spam?: boolean;
  ham?: boolean;
  forget?: boolean;
  mbox?: boolean;
  mbx?: boolean;
  single?: boolean;
  showdots?: boolean;
  progress?: boolean;
  dump?: string | boolean;
  regexp?: string;
  backup?: boolean;
  restore?: string;
  clear?: boolean;
  forceExpire?: boolean;
  sync?: boolean;
  dbpath?: string;
  configpath?: string;
  siteconfigpath?: string;
  prefspath?: string;
  username?: string;
  maxSize?: string;
  cf?: string[];
  debug?: string | boolean;
  quiet?: boolean;
  norelearn?: boolean;
  threads?: string;
  useIgnores?: boolean;
}

const out = (s: string): void => writeAll(1, s);
const err = (s: string): void => writeAll(2, s);

/** The same search as hamlet's and hamletd's (config-dirs.ts), reading only the Bayes settings. */
function loadOptions(o: CliOptions): LoadOptions {
  return { ...commandLoadOptions(o), onlyDirectives: BAYES_DIRECTIVES };
}

/** The messages to learn from: files/dirs/globs, or stdin (`-` or no target). */
function* sources(targets: readonly string[], o: CliOptions): Generator<SourcedMessage> {
  const mbox = o.mbox || o.mbx;
  if (readsStdin(targets, o)) {
    const raw = readStdin();
    if (mbox) {
      let n = 0;
      for (const m of mailbox().splitMbox(raw)) yield { id: `-#${++n}`, raw: m };
    } else yield { id: '-', raw };
    return;
  }
  yield* mailbox().readMessages(targets, { mbox });
}

function progressWriter(o: CliOptions): (n: number) => void {
  if (o.showdots) return () => err('.');
  if (o.progress !== false && process.stderr.isTTY) {
    return (n) => {
      if (n % 50 === 0) err(`\r${n} message(s) examined`);
    };
  }
  return () => undefined;
}

/** Where the messages come from: stdin (`-`, no target or --single) or files. */
function readsStdin(targets: readonly string[], o: CliOptions): boolean {
  return o.single === true || targets.length === 0 || (targets.length === 1 && targets[0] === '-');
}

/** Worker threads to parse with: --threads, else none for stdin (one message rarely pays for a thread), else the default. */
function threadCount(targets: readonly string[], o: CliOptions): number {
  if (o.threads !== undefined) return Math.max(0, Math.floor(Number(o.threads)) || 0);
  return readsStdin(targets, o) ? 0 : learnPool().defaultThreads();
}

async function learnFrom(
  store: BayesStore,
  settings: BayesSettings,
  targets: readonly string[],
  o: CliOptions,
  mode: 'spam' | 'ham' | 'forget',
  maxSize: number,
  pool: LearnPool | undefined,
): Promise<[number, number]> {
  const now = Math.floor(Date.now() / 1000);
  const tick = progressWriter(o);
  // As sa-learn: bayes_ignore_from / _to apply only with --use-ignores, and never to --forget.
  const ignore = o.useIgnores && mode !== 'forget' ? settings.ignore : undefined;
  let examined = 0;
  let learned = 0;
  const { applyBatch, PendingBatch } = learnBatch();
  let batch = new PendingBatch(mode);
  // One batch is written while the next is gathered (a server store answers over the network).
  let inflight: Promise<void> | undefined;
  /** Writes the batch gathered so far; unless it is the `last`, a new one takes its place (a fresh table of some MB to fault in: not for nothing after the last). */
  const flush = async (last = false): Promise<void> => {
    if (batch.messages.length === 0) return;
    const full = batch;
    if (!last) batch = new PendingBatch(mode);
    await inflight;
    inflight = applyBatch(store, full, mode, { now, noRelearn: o.norelearn }).then((rs) => {
      for (const r of rs) if (r === 'learned') learned++;
    });
    inflight.catch(() => undefined); // awaited (and thrown) at the next flush or the end
  };
  function* raws(): Generator<Buffer> {
    for (const m of sources(targets, o)) {
      if (maxSize > 0 && m.raw.length > maxSize) {
        if (o.debug !== undefined) err(`archive-iterator: skipping large message ${m.id} (${m.raw.length} bytes)\n`);
        continue;
      }
      examined++;
      tick(examined);
      yield m.raw;
    }
  }
  async function* inline(): AsyncGenerator<PreparedMessage> {
    // Loaded here: with worker threads, only the workers need the message parser.
    const { learnableMessage } = await import('../bayes/learnable-message.js');
    const { prepareMessage } = await import('../bayes/learner.js');
    for (const raw of raws()) yield prepareMessage(learnableMessage(raw), settings.tokenizer, now, ignore);
  }
  const prepared = pool ? pool.prepare(raws(), settings.tokenizer, now, ignore) : inline();
  for await (const p of prepared) {
    // The pool's IDLE, the only symbol it yields (compared by type: inline learning leaves the pool module unloaded).
    if (typeof p === 'symbol') {
      if (batch.messages.length >= IDLE_BATCH_MESSAGES) await flush();
      continue;
    }
    batch.add(p);
    if (batch.messages.length >= BATCH_MESSAGES || batch.hashCount >= BATCH_HASHES) await flush();
  }
  // Every message is prepared: the workers end while the last batch is written.
  const closing = pool?.finish();
  await flush(true);
  await inflight;
  await closing;
  if (o.showdots || (o.progress !== false && process.stderr.isTTY)) err('\n');
  if (mode !== 'forget' && settings.autoExpire) {
    const v = await store.vars();
    if (expiry().expiryDue(v, { maxDbSize: settings.expiryMaxDbSize, now })) await expiry().expireOldTokens(store, { maxDbSize: settings.expiryMaxDbSize, now });
  }
  return [learned, examined];
}

/** hamlet-learn's command line (learn-early-start.ts's VALUE_OPTIONS lists its options that take a value). */
export function learnProgram(): Command {
  return new Command('hamlet-learn')
    .description('Train hamlet\'s Bayes classifier (sa-learn compatible)')
    .version(`hamlet-learn version ${VERSION}`, '-V, --version')
    .option('--spam', 'learn messages as spam')
    .option('--ham', 'learn messages as ham (non-spam)')
    .option('--forget', 'forget messages learned before')
    .option('--mbox', 'input sources are mbox files')
    .option('--mbx', 'input sources are mbx files (read as mbox)')
    .option('--single', 'learn one message read from stdin')
    .option('--showdots', 'show progress with dots')
    .option('--progress', 'show a progress line (default on a terminal)')
    .option('--no-progress', 'no progress line')
    .option('--dump [magic|data|all]', 'print database contents')
    .option('--regexp <re>', 'with --dump data: only tokens (hex) matching')
    .option('--backup', 'write a backup of the database to stdout')
    .option('--restore <file>', 'replace the database with a backup')
    .option('--clear', 'empty the database')
    .option('--force-expire', 'expire old tokens now')
    .option('--sync', 'sync the journal (accepted; hamlet has none)')
    .option('--no-sync', 'do not sync (accepted)')
    .option('--threads <n>', 'worker threads that parse and tokenize (default: cores - 1, 1 to 3; 0 for stdin: parse inline)')
    .option('--use-ignores', 'skip messages from/to bayes_ignore_from / bayes_ignore_to addresses')
    .option('--norelearn', 'do not move messages learned as the other class')
    .option('--dbpath <path>', 'database path, in bayes_path form (<path>.sqlite)')
    .option('-C, --configpath <dir>', `rules directory (default: ${DEFAULT_RULES_DIR})`)
    .option('--siteconfigpath <dir>', `site configuration directory (default: ${DEFAULT_SITE_DIR})`)
    .option('-p, --prefspath <file>', 'user preferences file (default: ~/.hamlet/user_prefs, else ~/.spamassassin/user_prefs)')
    .option('-u, --username <user>', 'user to learn for (accepted; the database path decides)')
    .option('--max-size <bytes>', 'skip messages larger than this (default 256000; 0: no limit)')
    // One value per --cf, as in hamlet: a variadic option would take the mailbox path after it.
    .option('--cf <line>', 'extra configuration line (repeatable)', (v: string, prev: string[]) => [...prev, v], [])
    .option('-q, --quiet', 'no summary line')
    .option('-D, --debug [areas]', 'print debugging messages')
    .argument('[targets...]')
    .exitOverride();
}

export async function main(argv: readonly string[]): Promise<number> {
  // Workers bin/hamlet-learn.js started before this module loaded: used below when they fit, always ended.
  const early = takeEarlyPool();
  try {
    return await run(argv, early);
  } finally {
    await early?.close();
  }
}

async function run(argv: readonly string[], early: LearnPool | undefined): Promise<number> {
  exitQuietlyWhenOutputCloses();
  const program = learnProgram();
  try {
    program.parse([...argv], { from: 'user' });
  } catch (e) {
    const code = (e as { exitCode?: number }).exitCode ?? 64;
    return code === 0 ? 0 : 64;
  }
  const o = program.opts<CliOptions>();
  const targets = program.args;
  const modes = [o.spam, o.ham, o.forget].filter(Boolean).length;
  const actions = [o.dump !== undefined, o.backup, o.restore !== undefined, o.clear].filter(Boolean).length;
  if (modes > 1) {
    err('hamlet-learn: choose one of --spam, --ham, --forget\n');
    return 64;
  }
  if (modes === 0 && actions === 0 && !o.forceExpire && !o.sync) {
    err('hamlet-learn: nothing to do: give --spam, --ham, --forget, --dump, --backup, --restore, --clear or --force-expire\n');
    return 64;
  }
  const maxSize = o.maxSize === undefined ? 256000 : Number(o.maxSize);
  if (!Number.isFinite(maxSize) || maxSize < 0) {
    err(`hamlet-learn: bad --max-size '${o.maxSize}'\n`);
    return 64;
  }

  let store: BayesStore | undefined;
  // Started before the configuration is read, so the workers' start-up overlaps ours.
  if (modes > 0) compileForLearning();
  const threads = modes > 0 ? threadCount(targets, o) : 0;
  const pool = threads > 0 ? (early?.threads === threads ? early : new (learnPool().LearnPool)(threads)) : undefined;
  try {
    const settings = bayesSettings(readConfig(loadOptions(o)).options);
    const readonly = modes === 0 && (o.dump !== undefined || o.backup) && !o.forceExpire && !o.clear && o.restore === undefined;
    if (modes > 0 && !settings.useBayes) {
      err("ERROR: configuration specifies 'use_bayes 0', hamlet-learn disabled\n");
      return 1;
    }
    store = openBayesStore(settings, { readonly, path: o.dbpath });

    if (o.dump !== undefined) {
      const what = o.dump === true || o.dump === '' ? 'all' : String(o.dump);
      if (!['all', 'magic', 'data'].includes(what)) {
        err(`Unknown dump option '${what}'\n`);
        return 1;
      }
      if (what !== 'data') out(await dumpMagic(store));
      if (what !== 'magic') await dumpData(store, out, o.regexp ? new RegExp(o.regexp) : undefined);
      return 0;
    }
    if (o.backup) {
      await backup(store, out);
      return 0;
    }
    if (o.restore !== undefined) {
      await restore(store, o.restore);
      return 0;
    }
    if (o.clear) {
      await store.write((w) => w.clear());
      return 0;
    }
    if (modes > 0) {
      const mode = o.spam ? 'spam' : o.ham ? 'ham' : 'forget';
      const [learned, examined] = await learnFrom(store, settings, targets, o, mode, maxSize, pool);
      keepCodeCache(examined);
      if (!o.quiet) out(`${mode === 'forget' ? 'Forgot' : 'Learned'} tokens from ${learned} message(s) (${examined} message(s) examined)\n`);
    }
    if (o.forceExpire) {
      const r = await expiry().expireOldTokens(store, { maxDbSize: settings.expiryMaxDbSize, force: true });
      if (o.debug !== undefined) err(`bayes: expiry ${r.ran ? `removed ${r.deleted}, kept ${r.kept}` : `skipped: ${r.reason}`}\n`);
    }
    return 0;
  } catch (e) {
    if (e instanceof BayesError) {
      err(`ERROR: ${e.message}\n`);
      return e.code === 'HAMLET_ERR_BAYES_BACKUP_FORMAT' ? 1 : 74;
    }
    err(`ERROR: ${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  } finally {
    await store?.close().catch((e: unknown) => err(`ERROR: ${e instanceof Error ? e.message : String(e)}\n`));
    await pool?.close();
  }
}
