/**
 * `hamlet`: check a message like `spamassassin`. This file wires options to
 * actions; the work is done by the library.
 */
import { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { loadConfig, scan, type LoadOptions } from '../index';
import { lintReport, summarize } from './lint';

const VERSION = '0.1.0';

interface CliOptions {
  lint?: boolean;
  configpath?: string;
  siteconfigpath?: string;
  prefspath?: string;
  debug?: string | boolean;
  testMode?: boolean;
  local?: boolean;
  cf?: string[];
}

function loadOptions(o: CliOptions): LoadOptions {
  return {
    configPath: o.configpath,
    siteConfigPath: o.siteconfigpath ?? '/etc/hamlet',
    userPrefs: o.prefspath,
    extraText: o.cf?.join('\n'),
  };
}

function readStdin(): Buffer {
  try {
    return readFileSync(0);
  } catch {
    return Buffer.alloc(0);
  }
}

export function main(argv: readonly string[]): number {
  const program = new Command('hamlet')
    .description('Check mail for spam with SpamAssassin-compatible rules')
    .version(`hamlet version ${VERSION}`, '-V, --version')
    .option('--lint', 'check the configuration and report what runs')
    .option('-C, --configpath <dir>', 'rules directory (default: hamlet rules/)')
    .option('--siteconfigpath <dir>', 'site configuration directory (default /etc/hamlet)')
    .option('-p, --prefspath <file>', 'user preferences file')
    .option('-t, --test-mode', 'append a report of the rules that hit')
    .option('-L, --local', 'local tests only (no network)')
    .option('--cf <line...>', 'extra configuration lines')
    .option('-D, --debug [areas]', 'print debugging messages')
    .argument('[files...]')
    .exitOverride();
  try {
    program.parse([...argv], { from: 'user' });
  } catch (e) {
    return (e as { exitCode?: number }).exitCode ?? 64;
  }
  const o = program.opts<CliOptions>();
  const rules = loadConfig(loadOptions(o));
  if (o.lint) {
    for (const line of lintReport(rules, o.debug !== undefined)) process.stderr.write(line + '\n');
    return summarize(rules).errors > 0 ? 1 : 0;
  }
  const files = program.args;
  const inputs = files.length === 0 ? [readStdin()] : files.map((f) => readFileSync(f));
  for (const input of inputs) {
    const r = scan(input, rules);
    process.stdout.write(`${r.isSpam ? 'Yes' : 'No'}, score=${r.score.toFixed(1)} required=${r.required.toFixed(1)} tests=${r.tests.join(',') || 'none'}\n`);
  }
  return 0;
}
