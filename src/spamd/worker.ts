/**
 * A scan worker (worker_threads): loads and compiles the rule set once, then
 * answers scan and learn jobs from the pool. Per-user rule sets (user_prefs)
 * are compiled on first use and kept in a small cache, checked against the
 * file's mtime. Scans go through the shared check path with Bayes, the AWL and
 * auto-learn as configured (src/learn/feedback.ts), TELL through tell.ts; the
 * databases are opened once per worker (user-stores.ts). Runs only inside a Worker.
 */
// First: V8's regex flags must be set before any rule regex exists.
import '../regex-flags';
import { statSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { compileDraft, type RuleSet } from '../config/compile';
import { readConfig, type LoadOptions } from '../config/load';
import { parseConfigText } from '../config/parser';
import { markupOptionsFrom, type ReportSettings } from '../report/check';
import { checkWithFeedback } from '../learn/feedback';
import { warmUp } from '../index';
import type { ScanNeed } from './reply';
import type { TellRequest } from './request';
import { tell } from './tell';
import { StoreCache } from './user-stores';

/** What the pool gives each worker. */
export interface WorkerConfig {
  readonly load: LoadOptions;
  /** Honour rule definitions in user_prefs (`--allow-user-rules`). */
  readonly allowUserRules: boolean;
  /** Compile all regexes before reporting ready (servers do; tests may not). */
  readonly warm: boolean;
}

export interface ScanJob {
  readonly type: 'scan';
  readonly id: number;
  readonly need: ScanNeed;
  readonly raw: Uint8Array;
  readonly user?: string;
  readonly prefsFile?: string;
  readonly userDir?: string;
}

export interface TellJob {
  readonly type: 'tell';
  readonly id: number;
  readonly raw: Uint8Array;
  readonly tell: TellRequest;
  readonly user?: string;
  readonly prefsFile?: string;
  readonly userDir?: string;
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
}

const loadedFrom = (rules: RuleSet): Loaded => ({ rules, settings: markupOptionsFrom(rules) });

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

  /** The rule set for a prefs file; `undefined` when the file holds nothing but comments (the stock template). */
  get(file: string): Loaded | undefined {
    const mtime = statSync(file).mtimeMs;
    const hit = this.map.get(file);
    if (hit && hit.mtime === mtime) {
      this.map.delete(file);
      this.map.set(file, hit);
      return hit.loaded;
    }
    const text = readFileSync(file, 'latin1');
    const loaded = /^[ \t]*[^#\s]/m.test(text) ? loadedFrom(loadUserRules(this.cfg, file, text)) : undefined;
    this.map.set(file, { mtime, loaded });
    if (this.map.size > this.max) this.map.delete(this.map.keys().next().value!);
    return loaded;
  }
}

function answer(job: Job, base: Loaded, users: UserCache, stores: StoreCache): Answer {
  const t0 = performance.now();
  let loaded = base;
  if (job.prefsFile) {
    try {
      loaded = users.get(job.prefsFile) ?? base;
    } catch {
      loaded = base; // unreadable prefs: the site configuration, as spamd does
    }
  }
  const raw = Buffer.from(job.raw.buffer, job.raw.byteOffset, job.raw.byteLength);
  const db = stores.get(loaded.rules, job.userDir, loaded === base ? '' : job.prefsFile);
  if (job.type === 'tell') {
    const done = tell(raw, loaded.rules, db, job.tell);
    const problems = done.note ? [done.note] : undefined;
    return { id: job.id, ok: true, score: 0, required: 0, isSpam: false, tests: [], ms: performance.now() - t0, timedOut: false, didSet: done.didSet, didRemove: done.didRemove, problems };
  }
  const c = checkWithFeedback(raw, loaded.rules, db, { settings: loaded.settings });
  const r = c.result;
  const out = job.need === 'marked' ? c.marked : job.need === 'headers' ? Buffer.from(c.headers, 'latin1') : undefined;
  const mid = c.msg.headers.find((h) => h.key === 'message-id')?.value;
  const problems = c.feedback.problems?.length ? c.feedback.problems.map((e) => e.message) : undefined;
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
    problems,
  };
}

function main(): void {
  const port = parentPort;
  if (!port) return;
  const cfg = workerData as WorkerConfig;
  let base: Loaded;
  try {
    const rules = compileDraft(readConfig(cfg.load));
    if (cfg.warm) warmUp(rules);
    base = loadedFrom(rules);
  } catch (e) {
    port.postMessage({ type: 'failed', error: (e as Error).message });
    return;
  }
  const users = new UserCache(cfg);
  const stores = new StoreCache();
  port.on('close', () => stores.close());
  port.on('message', (job: Job) => {
    let a: Answer;
    try {
      a = answer(job, base, users, stores);
    } catch (e) {
      a = { id: job.id, ok: false, error: (e as Error).message };
    }
    port.postMessage(a);
  });
  port.postMessage({ type: 'ready' });
}

main();
