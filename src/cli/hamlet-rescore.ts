/**
 * `hamlet-rescore`: fit rule scores to a site's own labelled mail. This file wires options
 * to actions; the work is done by src/rescore.
 *
 * Exit codes: 0 done; 1 an input or output could not be read or written; 2 no rules found;
 * 64 bad command line.
 */
// First: V8's regex flags must be set before any rule regex exists.
import '../regex-flags';
import { Command, CommanderError } from 'commander';
import { statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { compileDraft } from '../config/compile';
import { DEFAULT_RULES_DIR } from '../config/load';
import { readConfig } from '../config/read';
import { HAMLET_VERSION } from '../util/version';
import { massCheckHeader, massCheckLine } from '../rescore/mass-check';
import { rescore, type RescoreOutcome } from '../rescore/run';
import { scoreFile, type ScoreLine } from '../rescore/score-lines';
import { summaryText } from '../rescore/summary';
import { DEFAULT_SITE_DIR, hasCfFiles } from './config-dirs';
import { loadOptionsFor } from './hamlet';
import { expandTargets } from '../io/mailbox';
import { CliError, notMailReason } from './inputs';
import { exitQuietlyWhenOutputCloses, writeAll } from './output';

interface CliOptions {
  ham: string[];
  spam: string[];
  mbox?: boolean;
  configpath?: string;
  siteconfigpath?: string;
  prefspath?: string;
  cf: string[];
  dbpath?: string;
  crossValidate?: string;
  fpCost: string;
  l2: string;
  holdout: string;
  fixed: string[];
  output?: string;
  massCheck?: string;
  report?: string;
}

/** Output and error streams (tests pass collectors). */
export interface RescoreIo {
  readonly out: (s: string) => void;
  readonly err: (s: string) => void;
}

const processIo: RescoreIo = { out: (s) => writeAll(1, s), err: (s) => writeAll(2, s) };

const collect = (v: string, prev: string[]): string[] => [...prev, v];

function program(io: RescoreIo): Command {
  return new Command('hamlet-rescore')
    .description('Fit rule scores to labelled mail: scan it, fit, validate on a held-out part, write score lines')
    .usage('--ham <targets...> --spam <targets...> [options]')
    .version(`hamlet-rescore version ${HAMLET_VERSION}`, '-V, --version')
    .option('--ham <targets...>', 'ham: files, folders, Maildirs, mbox files or globs', collect, [])
    .option('--spam <targets...>', 'spam: files, folders, Maildirs, mbox files or globs', collect, [])
    .option('--mbox', 'plain files are mbox files')
    .option('-C, --configpath <dir>', `rules directory (default: ${DEFAULT_RULES_DIR})`)
    .option('--siteconfigpath <dir>', `site configuration directory (default: ${DEFAULT_SITE_DIR})`)
    .option('-p, --prefspath <file>', 'user preferences file (default: as hamlet)')
    .option('--cf <line>', 'additional configuration line (repeatable)', collect, [])
    .option('--dbpath <path>', 'classify with this trained Bayes database (read only): fits score set 2')
    .option('--cross-validate <k>', 'learn K Bayes databases, each without one fold, and classify each message with the one that did not learn it')
    .option('--fp-cost <n>', 'how much a false positive costs against a false negative', '10')
    .option('--l2 <n>', "how many messages' weight of evidence it takes to move a score away from its current value (the L2 penalty)", '200')
    .option('--holdout <fraction>', 'held out for validation: the newest part by Date, else by a hash of the path', '0.2')
    .option('--fixed <rules>', 'rules that keep their scores (comma-separated, repeatable)', collect, [])
    .option('-o, --output <file.cf>', 'write the fitted score lines here')
    .option('--mass-check <file>', "write SpamAssassin mass-check log lines (a folder: ham.log and spam.log in it)")
    .option('--report <file.html>', 'write an HTML report with plots')
    .configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) })
    .exitOverride();
}

function number(name: string, v: string, ok: (n: number) => boolean): number {
  const n = Number(v);
  if (v.trim() === '' || !Number.isFinite(n) || !ok(n)) throw new CliError(`${name}: bad value '${v}'`, 64);
  return n;
}

function writeOut(path: string, text: string): void {
  try {
    writeFileSync(path, text);
  } catch (e) {
    throw new CliError(`${path}: cannot write: ${(e as Error).message}`, 1);
  }
}

/** The `.cf` lines: each fitted rule with the arity it was written with. */
function scoreLines(r: RescoreOutcome, given: ReadonlyMap<string, readonly number[]>, used: ReadonlyMap<string, readonly [number, number, number, number]>): ScoreLine[] {
  return r.design.names.map((name, j) => ({ name, given: given.get(name), used: used.get(name)!, fitted: r.fitted[j]! }));
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

function writeMassCheck(path: string, r: RescoreOutcome, switches: string): void {
  const header = massCheckHeader(switches);
  const threshold = r.summary.threshold;
  const lines = (spam: boolean | undefined): string =>
    r.messages.map((m, i) => (spam === undefined || m.spam === spam ? massCheckLine(m, r.before[i]!, threshold) : '')).join('');
  if (isDirectory(path)) {
    writeOut(join(path, 'ham.log'), header + lines(false));
    writeOut(join(path, 'spam.log'), header + lines(true));
  } else writeOut(path, header + lines(undefined));
}

/** Every target names at least one readable file (checked before the long scan starts). */
function checkTargets(targets: readonly string[]): void {
  for (const t of targets) {
    let files: string[];
    try {
      files = expandTargets([t]);
    } catch (e) {
      throw new CliError((e as Error).message, 1);
    }
    if (files.length === 0) throw new CliError(`${t}: no messages in it`, 1);
  }
}

async function run(o: CliOptions, argv: readonly string[], io: RescoreIo): Promise<number> {
  if (o.ham.length === 0 || o.spam.length === 0) throw new CliError('give both --ham and --spam mail to fit on', 64);
  if (o.dbpath !== undefined && o.crossValidate !== undefined) throw new CliError('--dbpath and --cross-validate exclude each other (cross-validation learns its own databases)', 64);
  const k = o.crossValidate === undefined ? undefined : number('--cross-validate', o.crossValidate, (n) => Number.isInteger(n) && n >= 2);
  const fpCost = number('--fp-cost', o.fpCost, (n) => n > 0);
  const l2 = number('--l2', o.l2, (n) => n >= 0);
  const holdout = number('--holdout', o.holdout, (n) => n >= 0 && n < 1);
  const fixed = new Set(o.fixed.flatMap((f) => f.split(',')).map((f) => f.trim()).filter((f) => f));
  const lo = loadOptionsFor(o);
  if (!hasCfFiles(lo.configPath!)) throw new CliError(`config: no rules were found in ${lo.configPath} (give a rules directory with -C)`, 2);
  const draft = readConfig(lo);
  const rules = compileDraft(draft);
  for (const m of rules.lint) if (m.level === 'error') io.err(`hamlet-rescore: ${m.at ? `${m.at.file}:${m.at.line}: ` : ''}${m.text}\n`);
  const tty = process.stderr.isTTY && io === processIo;
  let skipped = 0;
  checkTargets([...o.ham, ...o.spam]);
  const r = await rescore({
    ham: o.ham,
    spam: o.spam,
    mbox: o.mbox,
    rules,
    dbpath: o.dbpath,
    crossValidate: k,
    fpCost,
    l2,
    holdout,
    fixed,
    onScanned: tty ? (n) => n % 100 === 0 && io.err(`\r${n} message(s) scanned`) : undefined,
    warn: (t) => io.err(`hamlet-rescore: warning: ${t}\n`),
    notMail: notMailReason,
    onSkip: (id, why) => {
      if (++skipped <= 5) io.err(`hamlet-rescore: warning: ${id} ${why}; left out\n`);
    },
  });
  if (skipped > 5) io.err(`hamlet-rescore: warning: ${skipped} inputs that do not look like mail were left out\n`);
  if (tty) io.err('\n');
  io.out(summaryText(r.summary));
  const used = new Map([...rules.compiled.rules, ...rules.compiled.metas].map((x) => [x.name, x.scores] as const));
  if (o.output !== undefined) {
    const header = [`hamlet-rescore: score set ${r.summary.scoreSet} fitted on ${r.summary.messages} messages (fp-cost ${fpCost}, l2 ${l2})`];
    writeOut(o.output, scoreFile(scoreLines(r, draft.scores, used), r.summary.scoreSet, header));
  }
  if (o.massCheck !== undefined) writeMassCheck(o.massCheck, r, argv.join(' '));
  if (o.report !== undefined) {
    const { rescoreReportHtml } = await import('../rescore/report.js');
    writeOut(o.report, await rescoreReportHtml(r));
  }
  return 0;
}

/** Run `hamlet-rescore` with `argv` (without node and script); resolves to the exit code. */
export async function main(argv: readonly string[], io: RescoreIo = processIo): Promise<number> {
  if (io === processIo) exitQuietlyWhenOutputCloses();
  const cmd = program(io);
  try {
    cmd.parse(argv, { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) return e.code === 'commander.helpDisplayed' || e.code === 'commander.version' ? 0 : 64;
    throw e;
  }
  try {
    return await run(cmd.opts<CliOptions>(), argv, io);
  } catch (e) {
    if (e instanceof CliError) {
      io.err(`hamlet-rescore: ${e.message}\n`);
      return e.code;
    }
    io.err(`hamlet-rescore: internal error: ${(e as Error).message}\n`);
    return 70;
  }
}
