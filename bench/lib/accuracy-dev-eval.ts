/**
 * bench:accuracy `--dev-eval CACHE`: the development figures with Bayes, for judging a rule
 * change on the development data alone (2002 TRAIN + the modern dev part; never TEST, never
 * the modern measure part). Two views of a Bayes probability each message gets from a database
 * that did not learn it:
 * - `hash`: two folds by a hash of the path (as `--dev-hits`);
 * - `date`: TRAIN split by arrival time (the older half learns and the newer half is scored,
 *   and back), the dev part by hash. Closer to TEST, whose spam is later than TRAIN's.
 * The Bayes answers (probability, and how familiar the message is to the database) depend on the
 * training only, so they are computed once into CACHE and read from there on later runs (delete it
 * after a Bayes change; a cache from before familiarity was recorded is recomputed). Rules are
 * scanned afresh each run, once per view, in score set 2 with that view's Bayes answer, so the
 * BAYES_ rules and the rules reading familiarity (`check_bayes_unfamiliar`) hit as in a real scan.
 * Prints FP / FN per view and part, the highest-scoring ham, and with `--misses` the missed spam;
 * `--dump FILE` writes every message's probabilities, rule score and hits, for trying scores offline.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bayesForMessage, bayesSettings, openBayesStore } from '../../src/bayes/index';
import { receiveTime } from '../../src/bayes/message-info';
import type { BayesFamiliarity } from '../../src/engine/types';
import { DEFAULT_RULES_DIR, loadConfig, parseMessage, scan, type RuleSet } from '../../src/index';
import { corpusFiles } from '../../test/helpers/corpus';
import { modernMessages } from '../../test/helpers/modern-corpus';
import { dropHamletDatabase, hamletDatabase } from './accuracy-bayes';
import { foldOf } from './accuracy-dev';

type View = 'hash' | 'date';
const VIEWS: readonly View[] = ['hash', 'date'];

interface DevMessage {
  readonly file: string;
  readonly spam: boolean;
  readonly source: 'train' | 'dev';
  /** Fold per view: a message is scored by the database of the other fold. */
  readonly folds: Record<View, 0 | 1>;
}

/** One view's Bayes answer for a message: the probability (absent: none) and the familiarity. */
interface BayesAnswer {
  readonly p?: number;
  readonly f?: BayesFamiliarity;
}

/** Cached answers: file -> answer per view. */
type Probabilities = Record<string, Record<View, BayesAnswer>>;

/** A cache written before familiarity was recorded held bare probabilities. */
function isCurrentCache(probs: Probabilities): boolean {
  const first = Object.values(probs)[0];
  return first !== undefined && typeof first.hash === 'object' && first.hash !== null && first.hash.f?.bodyKnown !== undefined;
}

function devMessages(): DevMessage[] {
  const now = Date.now() / 1000;
  const train = (['spam-1', 'easy-ham-1'] as const).flatMap((g) =>
    corpusFiles(g).map((file) => ({ file, spam: g === 'spam-1', time: receiveTime(parseMessage(readFileSync(file)), now) })),
  );
  // Older half fold 0, newer half fold 1, each label split at its own median.
  const dateFold = new Map<string, 0 | 1>();
  for (const spam of [false, true]) {
    const part = train.filter((m) => m.spam === spam).sort((a, b) => a.time - b.time || a.file.localeCompare(b.file));
    part.forEach((m, i) => dateFold.set(m.file, i < part.length / 2 ? 0 : 1));
  }
  const fromTrain = train.map((m): DevMessage => ({ file: m.file, spam: m.spam, source: 'train', folds: { hash: foldOf(m.file), date: dateFold.get(m.file)! } }));
  const fromDev = modernMessages({ part: 'dev' }).map((m): DevMessage => {
    const f = foldOf(m.rel);
    return { file: m.file, spam: m.label === 'spam', source: 'dev', folds: { hash: f, date: f } };
  });
  return [...fromTrain, ...fromDev];
}

async function computeProbabilities(all: readonly DevMessage[], rules: RuleSet): Promise<Probabilities> {
  const out: Probabilities = {};
  for (const m of all) out[m.file] = { hash: {}, date: {} };
  for (const view of VIEWS) {
    for (const fold of [0, 1] as const) {
      const db = hamletDatabase(all.filter((m) => m.folds[view] !== fold));
      const settings = bayesSettings({ ...rules.options, bayes_path: db });
      const store = openBayesStore(settings, { readonly: true });
      for (const m of all.filter((x) => x.folds[view] === fold)) {
        const msg = parseMessage(readFileSync(m.file));
        const b = await bayesForMessage(store, msg, settings, { touch: false });
        const p = b.probability(msg);
        const f = b.familiarity?.(msg);
        out[m.file]![view] = { ...(p !== undefined && { p }), ...(f && { f }) };
      }
      await store.close();
      dropHamletDatabase(db);
      console.log(`dev eval: ${view} fold ${fold} done`);
    }
  }
  return out;
}

/** The BAYES_ rules' set-2 scores, read from the rule set, by band. */
function bandScore(rules: RuleSet, p: number | undefined): number {
  if (p === undefined) return 0;
  let sum = 0;
  for (const rule of rules.compiled.rules) {
    if (rule.test.type !== 'eval' || rule.test.fnName !== 'check_bayes') continue;
    const min = Number(rule.test.args[0] ?? 0);
    const max = rule.test.args[1] === undefined ? Infinity : Number(rule.test.args[1]);
    if ((min === 0 || p > min) && p <= max) sum += rule.scores[2]!;
  }
  return sum;
}

interface Row {
  readonly m: DevMessage;
  /** The rules' points without the BAYES_ bands, per view (familiarity rules can differ). */
  readonly rules: Record<View, number>;
  readonly tests: Record<View, readonly string[]>;
  readonly total: Record<View, number>;
  readonly p: Record<View, number | undefined>;
}

export interface DevEvalOptions {
  /** List the missed spam. */
  readonly misses?: boolean;
  /** Write one line per message (`source label p_hash p_date rules tests file`, the rules' points and hits of the hash view, then `rules tests` of the date view) to this file. */
  readonly dump?: string;
}

export async function writeDevEval(cache: string, opts: DevEvalOptions = {}): Promise<void> {
  const rules = loadConfig({ configPath: DEFAULT_RULES_DIR, siteConfigPath: mkdtempSync(join(tmpdir(), 'hamlet-site-')), extraText: 'bayes_auto_learn 0\nuse_auto_welcomelist 0' });
  const all = devMessages();
  let probs: Probabilities;
  const cached = existsSync(cache) ? (JSON.parse(readFileSync(cache, 'utf8')) as Probabilities) : undefined;
  if (cached && isCurrentCache(cached)) probs = cached;
  else {
    probs = await computeProbabilities(all, rules);
    writeFileSync(cache, JSON.stringify(probs));
  }
  const rows: Row[] = all.map((m) => {
    const msg = parseMessage(readFileSync(m.file));
    const answers = probs[m.file] ?? { hash: {}, date: {} };
    // A trained database: score set 2, BAYES_ rules as the probability says.
    const scanned = (a: BayesAnswer) => scan(msg, rules, { scoreSet: 2, bayes: { available: () => true, probability: () => a.p, familiarity: () => a.f } });
    const h = scanned(answers.hash);
    const d = scanned(answers.date);
    return {
      m,
      p: { hash: answers.hash.p, date: answers.date.p },
      rules: { hash: h.score - bandScore(rules, answers.hash.p), date: d.score - bandScore(rules, answers.date.p) },
      tests: { hash: h.tests, date: d.tests },
      total: { hash: h.score, date: d.score },
    };
  });
  const required = rules.compiled.settings.requiredScore;
  for (const view of VIEWS) {
    const parts = (['train', 'dev'] as const).map((source) => {
      const own = rows.filter((r) => r.m.source === source);
      const fp = own.filter((r) => !r.m.spam && r.total[view] >= required).length;
      const fn = own.filter((r) => r.m.spam && r.total[view] < required).length;
      return { source, fp, fn };
    });
    const fp = parts.reduce((a, b) => a + b.fp, 0);
    const fn = parts.reduce((a, b) => a + b.fn, 0);
    console.log(`dev eval ${view}: fp=${fp} fn=${fn}  (${parts.map((x) => `${x.source} ${x.fp} / ${x.fn}`).join(', ')})`);
  }
  const fmt = (r: Row): string =>
    `  ${r.m.source} ${r.m.file.split('/').slice(-2).join('/')} hash=${r.total.hash.toFixed(2)} (p ${r.p.hash?.toFixed(3) ?? '-'}) date=${r.total.date.toFixed(2)} (p ${r.p.date?.toFixed(3) ?? '-'}) rules=${r.rules.date.toFixed(2)} ${r.tests.date.join(',')}`;
  console.log('highest-scoring ham (by the higher of the two views):');
  const ham = rows.filter((r) => !r.m.spam).sort((a, b) => Math.max(b.total.hash, b.total.date) - Math.max(a.total.hash, a.total.date));
  for (const r of ham.slice(0, 40)) console.log(fmt(r));
  if (opts.misses === true) {
    console.log('missed spam (either view):');
    for (const r of rows.filter((x) => x.m.spam && Math.min(x.total.hash, x.total.date) < required).sort((a, b) => a.total.date - b.total.date)) console.log(fmt(r));
  }
  if (opts.dump !== undefined) {
    const num = (x: number | undefined): string => (x === undefined ? '' : x.toFixed(5));
    writeFileSync(opts.dump, rows.map((r) => [r.m.source, r.m.spam ? 'spam' : 'ham', num(r.p.hash), num(r.p.date), r.rules.hash.toFixed(3), r.tests.hash.join(','), r.m.file, r.rules.date.toFixed(3), r.tests.date.join(',')].join('\t')).join('\n') + '\n');
  }
  console.log(`RESULT dev_eval ${VIEWS.map((v) => `${v}_fp=${rows.filter((r) => !r.m.spam && r.total[v] >= required).length} ${v}_fn=${rows.filter((r) => r.m.spam && r.total[v] < required).length}`).join(' ')}`);
}
