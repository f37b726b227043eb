/**
 * `hamlet`: check, mark and report mail like `spamassassin`. This file wires
 * options to actions; the work is done by the library (`report/check.ts`).
 *
 * Exit codes, as SpamAssassin's: 0 done; with `-e`, 5 (or the code given) when
 * a message is spam; 1 an input cannot be read or --lint found problems;
 * 2 no rules found; 64 bad command line.
 */
// First: V8's regex flags must be set before any rule regex exists.
import '../regex-flags';
import { Command, CommanderError, Option } from 'commander';
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import type { RuleSet } from '../config/compile';
import { DEFAULT_RULES_DIR, loadConfig, loadRuleSet, readConfig, type LoadOptions, type RuleCacheOptions } from '../config/load';
import { useOptimisingCompiler } from './one-shot';
import { optList } from '../options/option-values';
import { USER_PREFS_CANDIDATES } from '../config/user-prefs-file';
import { markupOptionsFrom, type ReportSettings } from '../report/check';
import { addrListMessage, addressesInMail, modifyAddress, type AddrListAction } from '../awl/manage';
import { openFeedbackStores, type FeedbackStores } from '../learn/feedback';
import { check, closeResolvers, netRuntimeFor, type NetRuntime } from '../check/index';
import { parseMessage } from '../message/parse';
import { removeMarkup } from '../report/remove-markup';
import { fixed, tagScore } from '../report/format';
import { HAMLET_VERSION } from '../util/version';
import { makeDebug, type Debug } from './debug';
import { CliError, notMailReason, readInputs, type Input } from './inputs';
import { exitQuietlyWhenOutputCloses, writeAll } from './output';
import type * as Lint from './lint';
import { lazy } from '../util/lazy';
import { commandLoadOptions, DEFAULT_SITE_DIR, hasCfFiles, sourceLines, type RulesChoice } from './config-dirs';

export { DEFAULT_SITE_DIR, hasCfFiles } from './config-dirs';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const lint = lazy(() => require('./lint') as typeof Lint);

/** The per-user preferences file, relative to the home directory. */
export const USER_PREFS = USER_PREFS_CANDIDATES[0]!;

interface CliOptions {
  testMode?: boolean;
  exitCode?: boolean;
  exitCodeValue?: string;
  local?: boolean;
  removeMarkup?: boolean;
  lint?: boolean;
  configpath?: string;
  siteconfigpath?: string;
  prefspath?: string;
  cf: string[];
  /** `--rule-cache DIR`, or false for `--no-rule-cache`. */
  ruleCache?: string | false;
  debug?: string | boolean;
  mbox?: boolean;
  addAddrToWelcomelist?: string;
  addAddrToWhitelist?: string;
  removeAddrFromWelcomelist?: string;
  removeAddrFromWhitelist?: string;
  addAddrToBlocklist?: string;
  addAddrToBlacklist?: string;
  addToWelcomelist?: boolean;
  addToWhitelist?: boolean;
  removeFromWelcomelist?: boolean;
  removeFromWhitelist?: boolean;
  addToBlocklist?: boolean;
  addToBlacklist?: boolean;
}

/** Output and error streams (tests pass collectors). */
export interface CliIo {
  readonly out: (b: Buffer | string) => void;
  readonly err: (s: string) => void;
}

const processIo: CliIo = {
  out: (b) => writeAll(1, b),
  err: (s) => writeAll(2, s),
};

function program(io: CliIo): Command {
  return new Command('hamlet')
    .description('Check mail for spam with SpamAssassin-compatible rules; print it marked up')
    .usage('[options] [ < message | file ... ]')
    .version(`hamlet version ${HAMLET_VERSION}\n  running on Node.js ${process.version}`, '-V, --version', 'print version')
    .helpOption('-h, --help', 'print usage message')
    .option('-t, --test-mode', 'pipe the message through and append the report')
    .option('-e, --exit-code', 'exit with 5 (or with N, given as -e N) when a message is spam')
    .option('-L, --local', 'local tests only: no DNS blocklists, SPF, DKIM or DMARC')
    .option('-d, --remove-markup', 'remove spam markup from a message')
    .option('--lint', 'check the configuration: report errors and what runs')
    .option('-C, --configpath <dir>', `rules directory (default: ${DEFAULT_RULES_DIR})`)
    .option('--siteconfigpath <dir>', `site configuration directory (default: ${DEFAULT_SITE_DIR})`)
    .option('-p, --prefspath <file>', `user preferences file (default: ~/${USER_PREFS}, else ~/${USER_PREFS_CANDIDATES[1]!})`)
    .option('--cf <line>', 'additional configuration line (repeatable)', (v: string, prev: string[]) => [...prev, v], [])
    .option('--rule-cache <dir>', 'directory of the compiled rule-set cache (default: $HAMLET_CACHE_DIR, else $XDG_CACHE_HOME/hamlet or ~/.cache/hamlet)')
    .option('--no-rule-cache', 'compile the rules without the cache')
    .option('-D, --debug [areas]', 'print debugging messages (areas: config,message,rules,check,dns,markup)')
    .option('--mbox', 'read mbox files; print one verdict line per message')
    .option('--add-addr-to-welcomelist <addr>', 'add an address to the persistent address list as welcome')
    .option('--add-addr-to-blocklist <addr>', 'add an address to the persistent address list as blocked')
    .option('--remove-addr-from-welcomelist <addr>', 'remove an address from the persistent address list')
    .option('-W, --add-to-welcomelist', "add every address in the message(s) to the persistent address list as welcome")
    .option('--add-to-blocklist', 'add every address in the message(s) to the persistent address list as blocked')
    .option('-R, --remove-from-welcomelist', 'remove every address in the message(s) from the persistent address list')
    .addOption(new Option('--add-addr-to-whitelist <addr>').hideHelp())
    .addOption(new Option('--add-addr-to-blacklist <addr>').hideHelp())
    .addOption(new Option('--remove-addr-from-whitelist <addr>').hideHelp())
    .addOption(new Option('--add-to-whitelist').hideHelp())
    .addOption(new Option('--add-to-blacklist').hideHelp())
    .addOption(new Option('--remove-from-whitelist').hideHelp())
    .argument('[files...]')
    .configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) })
    .exitOverride();
}

/** `-e` takes an optional integer; `-e msg.eml` must leave the file alone (commander would eat it). */
function splitExitCode(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const eq = /^--exit-code=(.*)$/.exec(a);
    if (eq) {
      out.push('--exit-code', `--exit-code-value=${eq[1]}`);
    } else if ((a === '-e' || a === '--exit-code') && /^\d+$/.test(argv[i + 1] ?? '')) {
      out.push('--exit-code', `--exit-code-value=${argv[++i]}`);
    } else out.push(a);
  }
  return out;
}

/** True when `probe` runs without throwing (a file-system check). */
function succeeds(probe: () => unknown): boolean {
  try {
    return probe() !== false;
  } catch {
    return false;
  }
}

const readable = (path: string): boolean => succeeds(() => readFileSync(path));

/** Where configuration comes from: the search the three commands share (config-dirs.ts). */
export function loadOptionsFor(o: CliOptions, home = homedir()): LoadOptions & { rules: RulesChoice } {
  return commandLoadOptions(o, { home });
}

function loadRules(o: CliOptions, io: CliIo, dbg: Debug): RuleSet {
  const lo = loadOptionsFor(o);
  if (!hasCfFiles(lo.configPath!)) {
    throw new CliError(`config: no rules were found in ${lo.configPath} (give a rules directory with -C)`, 2);
  }
  if (o.prefspath !== undefined && lo.userPrefs === undefined) io.err(`hamlet: warning: user preferences file ${o.prefspath} not found; going on without it\n`);
  if (lo.userPrefs !== undefined && !readable(lo.userPrefs)) io.err(`hamlet: warning: cannot read user preferences file ${lo.userPrefs}; going on without it\n`);
  // --lint checks the configuration itself: always a full compile.
  const cache: RuleCacheOptions | false = o.ruleCache === false ? false : { dir: o.ruleCache, debug: (t) => dbg('config', t), beforeCompile: useOptimisingCompiler };
  if (o.lint || cache === false) useOptimisingCompiler();
  const rules = o.lint ? loadConfig(lo) : loadRuleSet(lo, cache);
  for (const f of rules.files) dbg('config', `read ${f}`);
  if (!o.lint) {
    // Problems that change what runs are worth a line even when not linting.
    for (const m of rules.lint) {
      if (m.level === 'error') io.err(`hamlet: ${m.at ? `${m.at.file}:${m.at.line}: ` : ''}${m.text}\n`);
      else dbg('config', `${m.level}: ${m.at ? `${m.at.file}:${m.at.line}: ` : ''}${m.text}`);
    }
    for (const d of rules.disabled) {
      if (d.needs === undefined && /regex/.test(d.reason)) io.err(`hamlet: ${d.at.file}:${d.at.line}: rule ${d.name} disabled: ${d.reason}\n`);
    }
  }
  return rules;
}

function warnIfNotMail(input: Input, io: CliIo): void {
  const why = notMailReason(input.raw);
  if (why) io.err(`hamlet: warning: ${input.id === '-' ? 'standard input' : input.id} ${why}; checking it anyway\n`);
}

/**
 * Run `each` on every message of every argument (standard input when none). An
 * argument that cannot be read is reported and skipped; the exit code is the
 * first non-zero one (a read error, or `-e`'s spam code), as SpamAssassin keeps it.
 */
async function eachInput(args: readonly string[], mbox: boolean, io: CliIo, each: (input: Input) => number | Promise<number>): Promise<number> {
  let exit = 0;
  for (const arg of args.length === 0 ? [undefined] : args) {
    try {
      for (const input of readInputs(arg === undefined ? [] : [arg], mbox)) {
        const code = await each(input);
        if (exit === 0) exit = code;
      }
    } catch (e) {
      if (!(e instanceof CliError)) throw e;
      io.err(`hamlet: ${e.message}\n`);
      if (exit === 0) exit = e.code;
    }
  }
  return exit;
}

function removeAll(o: CliOptions, files: readonly string[], io: CliIo): Promise<number> {
  // -d needs no rules, only the Subject tag to take off again.
  const lo = loadOptionsFor(o);
  const options = Object.fromEntries(readConfig({ ...lo, configPath: hasCfFiles(lo.configPath!) ? lo.configPath : undefined }).options);
  const tag = optList(options, 'rewrite_header').map((l) => /^subject\s+(.*\S)/i.exec(l.trim())?.[1]).filter((t) => t).pop();
  return eachInput(files, o.mbox === true, io, (input) => {
    io.out(removeMarkup(input.raw, tag));
    return 0;
  });
}

/** The address given to `--add-addr-to-welcomelist` and friends (4.x or 3.x spelling), with its action. */
function addressOption(o: CliOptions): [AddrListAction, string] | undefined {
  const welcome = o.addAddrToWelcomelist ?? o.addAddrToWhitelist;
  if (welcome !== undefined) return ['welcome', welcome];
  const remove = o.removeAddrFromWelcomelist ?? o.removeAddrFromWhitelist;
  if (remove !== undefined) return ['remove', remove];
  const block = o.addAddrToBlocklist ?? o.addAddrToBlacklist;
  if (block !== undefined) return ['block', block];
  return undefined;
}

/** `-W`, `-R` or `--add-to-blocklist` (or a 3.x spelling): the action on every address in the messages. */
function messageAddressOption(o: CliOptions): AddrListAction | undefined {
  if (o.addToWelcomelist || o.addToWhitelist) return 'welcome';
  if (o.removeFromWelcomelist || o.removeFromWhitelist) return 'remove';
  if (o.addToBlocklist || o.addToBlacklist) return 'block';
  return undefined;
}

/** Change the persistent address list, printing SpamAssassin's line per address. */
async function manageAddresses(o: CliOptions, files: readonly string[], io: CliIo, dbg: Debug): Promise<number> {
  const rules = loadRules(o, io, dbg);
  const stores = openFeedbackStores(rules, { noAwl: true, noAutoLearn: true });
  try {
    const list = stores.addressList();
    dbg('check', `address list ${list.location}`);
    const one = addressOption(o);
    if (one) {
      if (await modifyAddress(list, one[1], one[0])) io.out(addrListMessage(one[0], one[1]) + '\n');
      return 0;
    }
    const action = messageAddressOption(o)!;
    let count = 0;
    const exit = await eachInput(files, o.mbox === true, io, async (input) => {
      count++;
      for (const addr of addressesInMail(parseMessage(input.raw, rules.parseOptions))) {
        if (await modifyAddress(list, addr, action)) io.out(addrListMessage(action, addr) + '\n');
      }
      return 0;
    });
    io.out(`${count} message(s) examined.\n`);
    return exit;
  } finally {
    await stores.close();
  }
}

async function checkAll(o: CliOptions, files: readonly string[], io: CliIo, dbg: Debug): Promise<number> {
  const rules = loadRules(o, io, dbg);
  const settings: ReportSettings = markupOptionsFrom(rules);
  const stores: FeedbackStores = openFeedbackStores(rules);
  const net = netRuntimeFor(rules, { localOnly: o.local === true });
  dbg('check', `bayes ${stores.bayesOn ? stores.bayesLocation : 'off'}, awl ${stores.awlOn ? stores.awlLocation : 'off'}, network tests ${net ? 'on' : 'off'}`);
  try {
    return await checkEach(o, files, io, dbg, rules, settings, stores, net);
  } finally {
    await stores.close().catch((e: unknown) => io.err(`hamlet: ${e instanceof Error ? e.message : String(e)}\n`));
    closeResolvers();
  }
}

function checkEach(o: CliOptions, files: readonly string[], io: CliIo, dbg: Debug, rules: RuleSet, settings: ReportSettings, stores: FeedbackStores, net: NetRuntime | undefined): Promise<number> {
  return eachInput(files, o.mbox === true, io, async (input) => {
    warnIfNotMail(input, io);
    const steps: string[] = [];
    const c = await check(input.raw, rules, { settings, stores, net, onStep: (name, ms) => steps.push(`${name} ${ms.toFixed(1)}`) });
    dbg('check', `${input.id}: steps (ms): ${steps.join(', ')}`);
    if (c.net) dbg('dns', `${input.id}: ${c.net.queryCount} lookup(s)${c.net.refused.length > 0 ? `, refused: ${c.net.refused.join(', ')}` : ''}`);
    const r = c.result;
    const f = c.feedback;
    for (const p of f.problems ?? []) io.err(`hamlet: warning: ${p.message}\n`);
    dbg('check', `${input.id}: bayes=${f.bayes?.toFixed(4) ?? 'none'} awl=${f.awl ? `${f.awl.delta} (mean ${f.awl.mean ?? 'none'}, count ${f.awl.count})` : 'none'} autolearn=${f.autolearn} (${f.decision.reason}, points ${f.decision.points})`);
    dbg('check', `${input.id}: score=${r.score.toFixed(3)} required=${r.required} ${r.isSpam ? 'spam' : 'ham'} in ${r.ms.toFixed(1)} ms${r.timedOut ? ' (time limit reached)' : ''}${r.cut?.length ? ` (cut by their time budget: ${r.cut.join(', ')})` : ''}`);
    for (const h of r.hits) dbg('rules', `hit ${h.name} (${h.area}) score=${h.score}${h.count > 1 ? ` count=${h.count}` : ''}`);
    for (const e of r.evalFailures ?? []) dbg('rules', `${input.id}: rule ${e.rule}: eval ${e.fn} failed, rule not hit: ${e.message}`);
    const flags = Object.entries(c.msg.flags).filter(([, v]) => v).map(([k]) => k);
    if (flags.length > 0) dbg('message', `${input.id}: ${flags.join(', ')}`);
    if (o.mbox) {
      io.out(`${input.id}: ${r.isSpam ? 'Yes' : 'No'}, score=${tagScore(r.score, r.required, r.isSpam)} required=${fixed(r.required, 1)} tests=${r.tests.join(',') || 'none'}\n`);
    } else {
      io.out(c.marked);
      if (o.testMode) io.out(Buffer.from(c.report, 'utf8'));
    }
    dbg('markup', `${input.id}: ${r.isSpam && settings.reportSafe > 0 ? `wrapped (report_safe ${settings.reportSafe})` : 'headers only'}, ${c.marked.length} bytes`);
    if (o.exitCode && r.isSpam) return o.exitCodeValue !== undefined ? Number(o.exitCodeValue) || 5 : 5;
    return 0;
  });
}

/** Run `hamlet` with `argv` (without node and script); resolves to the exit code. */
export async function main(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  if (io === processIo) exitQuietlyWhenOutputCloses();
  const cmd = program(io);
  cmd.addOption(new Option('--exit-code-value <n>').hideHelp());
  try {
    cmd.parse(splitExitCode(argv), { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') return 0;
      return 64;
    }
    throw e;
  }
  const o = cmd.opts<CliOptions>();
  const dbg = makeDebug(o.debug, io.err);
  try {
    if (o.lint) {
      const rules = loadRules(o, io, dbg);
      for (const line of sourceLines(loadOptionsFor(o))) io.err(`lint: ${line}\n`);
      for (const line of lint().lintReport(rules, o.debug !== undefined)) io.err(line + '\n');
      return lint().summarize(rules).errors > 0 ? 1 : 0;
    }
    if (o.removeMarkup) return await removeAll(o, cmd.args, io);
    if (addressOption(o) || messageAddressOption(o)) return await manageAddresses(o, cmd.args, io, dbg);
    return await checkAll(o, cmd.args, io, dbg);
  } catch (e) {
    if (e instanceof CliError) {
      io.err(`hamlet: ${e.message}\n`);
      return e.code;
    }
    io.err(`hamlet: internal error: ${(e as Error).message}\n`);
    dbg('check', (e as Error).stack ?? '');
    return 70;
  }
}
