/**
 * A scan worker (worker_threads): loads and compiles the rule set once, then
 * answers scan and learn jobs from the pool. Per-user rule sets (user_prefs)
 * are compiled on first use and kept in a small cache, checked against the
 * file's mtime. Scans go through the shared check path with Bayes, the AWL and
 * auto-learn as configured (src/learn/feedback.ts), TELL through tell.ts; the
 * databases are opened once per worker (user-stores.ts). Runs only inside a Worker.
 *
 * Jobs are handled asynchronously: the pool may send several at once, and a scan
 * that waits (DNS) leaves the event loop to the others' CPU parts. TELL jobs on one
 * store run one after another (serial-lanes.ts): learning is transactional.
 */
// First: V8's regex flags must be set before any rule regex exists.
import '../regex-flags';
import { statSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import { getHeapStatistics } from 'node:v8';
import { parentPort, workerData } from 'node:worker_threads';
import { compileDraft, type RuleSet } from '../config/compile';
import { loadRuleSet, readConfig, type LoadOptions } from '../config/load';
import { parseConfigText } from '../config/parser';
import { markupOptionsFrom, type ReportSettings } from '../report/check';
import { check, closeResolvers, netRuntimeFor, type NetRuntime, type PipelineOptions } from '../check/index';
import type { FeedbackOutcome } from '../learn/feedback';
import { warmUp } from '../engine/scanner';
import { warmScans } from './warm-scans';
import { preloadMailAuth } from '../dns/mail-auth';
import { loadAllEvals } from '../eval/index';
import type { ScanNeed } from './reply';
import type { TellRequest } from './request';
import { tell } from './tell';
import { SerialLanes } from './serial-lanes';
import { StoreCache } from './user-stores';
import { idleNotes } from './idle-notes';
import { PLAIN_REGEX_OVER, WARM_SCANS, type ReadyNote } from './pool';
import { createPrefsFile } from './prefs-template';
import { checkOwnedPath, readOwnedFile, type UserTree } from '../util/owned-files';

/** What the pool gives each worker. */
export interface WorkerConfig {
  readonly load: LoadOptions;
  /** The compiled rule-set cache for the base rules (`dir` omitted: the default); absent or false: none. */
  readonly ruleCache?: { readonly dir?: string } | false;
  /** Honour rule definitions in user_prefs (`--allow-user-rules`). */
  readonly allowUserRules: boolean;
  /** Compile all regexes before reporting ready (servers do; tests may not). */
  readonly warm: boolean;
  /** Made-up messages checked after the regexes are compiled (warm-scans.ts; 0: none); default WARM_SCANS. Only with `warm`. */
  readonly warmScans?: number;
  /** Rule patterns longer than this are compiled plain at warm-up (0: none); default PLAIN_REGEX_OVER. */
  readonly plainRegexOver?: number;
  /** The pool's regex phase state and this worker's slot in it (regex-flags.ts `inRegexPhase`), shared by its workers' warm-ups. */
  readonly regexPhases?: { readonly state: Int32Array; readonly slot: number };
  /**
   * `--timeout-child` in ms (0 or absent: none). A scan's rules stop a little before it, as
   * spamd hands its child timeout to SpamAssassin as a deadline, so the answer is a normal one
   * with TIME_LIMIT_EXCEEDED rather than the pool's `79 Timeout`.
   */
  readonly childTimeoutMs?: number;
  /** `hamletd -L`: local tests only, no network lookups. */
  readonly local?: boolean;
  /** `--metrics-listen`: answers carry their DNS lookups' outcomes (counted only then). */
  readonly metrics?: boolean;
}

/** When a scan's rules must stop, for a job that started at `t0` (performance.now()); 0: no deadline. */
export function scanDeadline(cfg: WorkerConfig, t0: number): number {
  const ms = cfg.childTimeoutMs ?? 0;
  // Leave time for the markup and the reply after the rules.
  return ms > 0 ? t0 + ms - Math.min(1000, ms / 10) : 0;
}

/** Whose request a job is, and where that user's files are (user-prefs.ts `userFields`). */
export interface JobUser {
  /** When the pool sent the job (epoch ms): its time limits count from then. */
  readonly sentAt?: number;
  readonly user?: string;
  readonly prefsFile?: string;
  readonly userDir?: string;
  /** The user's tree and its owner (see user-prefs.ts): every file of the user's is checked against it. */
  readonly userTree?: UserTree;
  /** Create this user_prefs when missing (--create-prefs). */
  readonly createPrefs?: string;
  /** No per-user databases (root without -u, a user hamletd cannot serve as itself). */
  readonly noUserFiles?: boolean;
}

export interface ScanJob extends JobUser {
  readonly type: 'scan';
  readonly id: number;
  readonly need: ScanNeed;
  readonly raw: Uint8Array;
}

export interface TellJob extends JobUser {
  readonly type: 'tell';
  readonly id: number;
  readonly raw: Uint8Array;
  readonly tell: TellRequest;
}

export type Job = ScanJob | TellJob;

export interface ScanAnswer {
  readonly id: number;
  readonly ok: true;
  readonly score: number;
  readonly required: number;
  readonly isSpam: boolean;
  readonly tests: readonly string[];
  readonly ms: number;
  readonly timedOut: boolean;
  readonly messageId?: string;
  readonly report?: string;
  readonly out?: Uint8Array;
  /** The `autolearn=` word, for the log. */
  readonly autolearn?: string;
  /** Bayes probability when Bayes ran (the log's `bayes=`). */
  readonly bayes?: number;
  /** The scan's DNS lookups by outcome (NOERROR, NXDOMAIN, TIMEOUT, ...), when metrics are on. */
  readonly lookups?: Readonly<Record<string, number>>;
  /** Store problems the scan went on without, for the log. */
  readonly problems?: readonly string[];
  readonly didSet?: readonly string[];
  readonly didRemove?: readonly string[];
}

export interface FailedAnswer {
  readonly id: number;
  readonly ok: false;
  readonly error: string;
}

export type Answer = ScanAnswer | FailedAnswer;

interface Loaded {
  readonly rules: RuleSet;
  readonly settings: ReportSettings;
  /** Network tests for this rule set (its DNS settings); undefined under `-L` or `dns_available no`. */
  readonly net: NetRuntime | undefined;
}

const loadedFrom = (rules: RuleSet, cfg: WorkerConfig): Loaded => ({ rules, settings: markupOptionsFrom(rules), net: netRuntimeFor(rules, { localOnly: cfg.local === true }) });

/** The base rule set plus one user's preferences, read as a server reads them. */
export function loadUserRules(cfg: WorkerConfig, prefsFile: string, text = readFileSync(prefsFile, 'latin1')): RuleSet {
  const draft = readConfig({ ...cfg.load, userPrefs: undefined });
  // Whether user rules count is hamletd's decision, not the site's or the user's.
  draft.options.set('allow_user_rules', cfg.allowUserRules ? '1' : '0');
  parseConfigText(draft, text, prefsFile, {
    user: true,
    resolve: (from, target) => (isAbsolute(target) ? target : join(dirname(from), target)),
    readInclude: () => undefined,
  });
  if (cfg.load.extraText) parseConfigText(draft, cfg.load.extraText, '(extra config)', { user: false, resolve: (_f, t) => t, readInclude: () => undefined });
  return compileDraft(draft);
}

class UserCache {
  private readonly map = new Map<string, { mtime: number; loaded: Loaded | undefined }>();
  constructor(private readonly cfg: WorkerConfig, private readonly max = 16) {}

  /**
   * The rule set for a prefs file; `undefined` when the file holds nothing but
   * comments (the stock template). In a user's tree the file is checked and read
   * through a descriptor that cannot be a symlink (owned-files.ts).
   */
  get(file: string, tree: UserTree | undefined): Loaded | undefined {
    const st = tree ? checkOwnedPath(tree, file) : statSync(file);
    if (!st) return undefined;
    const hit = this.map.get(file);
    if (hit && hit.mtime === st.mtimeMs) {
      this.map.delete(file);
      this.map.set(file, hit);
      return hit.loaded;
    }
    const read = tree ? readOwnedFile(tree, file) : { text: readFileSync(file), mtimeMs: st.mtimeMs };
    if (!read) return undefined;
    const text = read.text.toString('latin1');
    const loaded = /^[ \t]*[^#\s]/m.test(text) ? loadedFrom(loadUserRules(this.cfg, file, text), this.cfg) : undefined;
    this.map.set(file, { mtime: read.mtimeMs, loaded });
    if (this.map.size > this.max) this.map.delete(this.map.keys().next().value!);
    return loaded;
  }
}

/** The user's rule set: their prefs (created first with --create-prefs), else the site's. */
function rulesFor(job: Job, base: Loaded, users: UserCache, problems: string[]): { loaded: Loaded; prefsFile: string | undefined } {
  let prefsFile = job.prefsFile;
  if (!prefsFile && job.createPrefs && job.userTree) {
    try {
      prefsFile = createPrefsFile(job.userTree, job.createPrefs);
    } catch (e) {
      problems.push(`cannot create ${job.createPrefs}: ${(e as Error).message}`);
    }
  }
  if (!prefsFile) return { loaded: base, prefsFile };
  try {
    return { loaded: users.get(prefsFile, job.userTree) ?? base, prefsFile };
  } catch (e) {
    // An unreadable or refused prefs file: the site configuration, as spamd does.
    problems.push(`not reading ${prefsFile}: ${(e as Error).message}`);
    return { loaded: base, prefsFile };
  }
}

/** A scan's check: the one place it is called, awaited, so scans in flight overlap their waits. */
function runScan(raw: Buffer, rules: RuleSet, opts: PipelineOptions): Promise<FeedbackOutcome> {
  return check(raw, rules, opts);
}

/** What a worker keeps between jobs. */
interface WorkerState {
  readonly cfg: WorkerConfig;
  readonly base: Loaded;
  readonly users: UserCache;
  readonly stores: StoreCache;
  readonly tells: SerialLanes;
}

async function answer(job: Job, w: WorkerState): Promise<Answer> {
  const { base, users, stores, cfg } = w;
  // The job's clock started when the pool sent it (it may have waited here behind others).
  const t0 = performance.now() - Math.max(0, job.sentAt !== undefined ? Date.now() - job.sentAt : 0);
  const noted: string[] = [];
  const { loaded, prefsFile } = rulesFor(job, base, users, noted);
  const raw = Buffer.from(job.raw.buffer, job.raw.byteOffset, job.raw.byteLength);
  const db = stores.get(loaded.rules, job.userDir, loaded === base ? '' : prefsFile, { tree: job.userTree, noUserFiles: job.noUserFiles, user: job.user });
  if (job.type === 'tell') {
    const done = await w.tells.run(db, async () => tell(raw, loaded.rules, db, job.tell));
    if (done.note) noted.push(done.note);
    return { id: job.id, ok: true, score: 0, required: 0, isSpam: false, tests: [], ms: performance.now() - t0, timedOut: false, didSet: done.didSet, didRemove: done.didRemove, problems: noted.length ? noted : undefined };
  }
  const c = await runScan(raw, loaded.rules, { stores: db, net: loaded.net, settings: loaded.settings, scan: { deadline: scanDeadline(cfg, t0) } });
  const r = c.result;
  const out = job.need === 'marked' ? c.marked : job.need === 'headers' ? Buffer.from(c.headers, 'latin1') : undefined;
  // The log's Message-ID is spamd's: the last one, as bytes (raw), so each non-ASCII byte shows as one `?`.
  let mid: string | undefined;
  for (const h of c.msg.headers) if (h.key === 'message-id') mid = h.raw;
  for (const e of c.feedback.problems ?? []) noted.push(e.message);
  return {
    id: job.id,
    ok: true,
    score: r.score,
    required: r.required,
    isSpam: r.isSpam,
    tests: r.tests,
    ms: performance.now() - t0,
    timedOut: r.timedOut,
    messageId: mid,
    report: job.need === 'report' ? c.report : undefined,
    out,
    autolearn: c.feedback.autolearn,
    bayes: c.feedback.bayes,
    lookups: cfg.metrics && c.net ? c.net.lookups.outcomes() : undefined,
    problems: noted.length ? noted : undefined,
  };
}

/** The warm-up's `plainOver` for this worker's configuration. */
const plainOver = (cfg: WorkerConfig): number => {
  const n = cfg.plainRegexOver ?? PLAIN_REGEX_OVER;
  return n > 0 ? n : Infinity;
};

function main(): void {
  const port = parentPort;
  if (!port) return;
  const cfg = workerData as WorkerConfig;
  let base: Loaded;
  let ready: ReadyNote;
  try {
    const t0 = performance.now();
    const rules = loadRuleSet(cfg.load, cfg.ruleCache ?? false);
    const compileMs = performance.now() - t0;
    // Eval files from the rule cache load when first run: a warm worker loads them all now.
    if (cfg.warm) loadAllEvals();
    const warmMs = cfg.warm ? warmUp(rules.compiled, { plainOver: plainOver(cfg), phases: cfg.regexPhases, tierUp: true }) * 1000 : 0;
    base = loadedFrom(rules, cfg);
    const scansMs = cfg.warm ? warmScans(base.rules, base.settings, cfg.warmScans ?? WARM_SCANS) * 1000 : 0;
    // SPF, DKIM and DMARC's library loads at start-up, not on the first scan (about 0.3 s).
    if (cfg.warm && base.net) preloadMailAuth();
    ready = { type: 'ready', compileMs, warmMs, scansMs, heapMb: getHeapStatistics().used_heap_size / 2 ** 20 };
  } catch (e) {
    port.postMessage({ type: 'failed', error: (e as Error).message });
    return;
  }
  const w: WorkerState = { cfg, base, users: new UserCache(cfg), stores: new StoreCache(), tells: new SerialLanes() };
  port.on('close', () => {
    void w.stores.close();
    closeResolvers();
  });
  const idle = idleNotes(port);
  port.on('message', (job: Job) => {
    idle.received();
    answer(job, w)
      .then(
        (a) => port.postMessage(a),
        (e: unknown) => port.postMessage({ id: job.id, ok: false, error: e instanceof Error ? e.message : String(e) } satisfies Answer),
      )
      .finally(idle.soon);
    idle.soon();
  });
  port.postMessage(ready);
}

main();
