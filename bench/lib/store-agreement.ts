/**
 * Cross-compatibility of a shared Bayes store with real SpamAssassin 4.0.1, in-process, for the
 * PostgreSQL test on a slice (test/bayes/pg-compat.test.ts): `sa-learn` or `hamlet-learn` trains
 * into the server, then SpamAssassin (bench/sa/bayes.pl) and hamlet each give their Bayes
 * probability for TEST files, compared by BAYES_ bucket. bench:store-compat does the full figure
 * through spamd and hamletd.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bayesSettings, classify, openBayesStore } from '../../src/bayes/index';
import { readConfig } from '../../src/config/load';
import { parseMessage } from '../../src/message/parse';
import { ROOT } from './bayes-train';

/** The BAYES_ rule a probability lands in (BAYES_999 apart from BAYES_99), or 'none'. */
export function bucket(p: number | undefined): string {
  if (p === undefined) return 'none';
  const edges: ReadonlyArray<[string, number]> = [['00', 0.01], ['05', 0.05], ['20', 0.2], ['40', 0.4], ['50', 0.6], ['60', 0.8], ['80', 0.95], ['95', 0.99], ['99', 0.999]];
  for (const [name, max] of edges) if (p <= max) return name;
  return '999';
}

/** A site configuration directory: Debian's .pre files (the plugins) plus `lines` as local.cf. */
export function siteDir(dir: string, lines: readonly string[]): string {
  mkdirSync(dir, { recursive: true });
  for (const f of readdirSync('/etc/spamassassin')) if (f.endsWith('.pre')) copyFileSync(join('/etc/spamassassin', f), join(dir, f));
  writeFileSync(join(dir, 'local.cf'), lines.join('\n') + '\n');
  return dir;
}

function run(cmd: string, args: string[], input?: string): string {
  const r = spawnSync(cmd, args, { input, encoding: 'latin1', maxBuffer: 1 << 28 });
  if (r.status !== 0) throw new Error(`${cmd} ${args.slice(0, 3).join(' ')} failed (${r.status}): ${(r.stderr || r.stdout).slice(-1500)}`);
  return r.stdout;
}

/** Train with sa-learn or hamlet-learn (file lists, one run per class). */
export function trainWith(engine: 'sa' | 'hamlet', site: string, spam: readonly string[], ham: readonly string[]): number {
  const t0 = performance.now();
  for (const [cls, files] of [['spam', spam], ['ham', ham]] as const) {
    if (engine === 'sa') run('sa-learn', ['--siteconfigpath', site, `--${cls}`, ...files]);
    else run('node', [join(ROOT, 'bin', 'hamlet-learn.js'), '-C', '/usr/share/spamassassin', '--siteconfigpath', site, `--${cls}`, ...files]);
  }
  return (performance.now() - t0) / 1000;
}

/** Set an empty database up with hamlet (`hamlet-learn --clear` creates the tables SpamAssassin expects). */
export function setUpWithHamlet(site: string): void {
  run('node', [join(ROOT, 'bin', 'hamlet-learn.js'), '-C', '/usr/share/spamassassin', '--siteconfigpath', site, '--clear']);
}

/** SpamAssassin's Bayes probability for each file, from the store the site's local.cf names. */
export function saProbabilities(site: string, files: readonly string[]): Map<string, number | undefined> {
  const cf = join(site, 'bayes-extra.cf');
  writeFileSync(cf, readFileSync(join(site, 'local.cf')));
  const out = new Map<string, number | undefined>();
  const text = run('perl', [join(ROOT, 'bench', 'sa', 'bayes.pl'), 'score-cf', cf], files.join('\n') + '\n');
  for (const line of text.split('\n')) {
    if (!line) continue;
    const [path = '', p = ''] = line.split('\t');
    out.set(path, p === '' ? undefined : Number(p));
  }
  return out;
}

/** hamlet's Bayes probability for each file, through the store factory. */
export async function hamletProbabilities(site: string, files: readonly string[]): Promise<Map<string, number | undefined>> {
  const settings = bayesSettings(readConfig({ configPath: '/usr/share/spamassassin', siteConfigPath: site }).options);
  const store = openBayesStore(settings, { readonly: false });
  const out = new Map<string, number | undefined>();
  try {
    for (const f of files) out.set(f, (await classify(store, parseMessage(readFileSync(f)), settings, { touch: false }))?.probability);
  } finally {
    await store.close();
  }
  return out;
}

export interface Agreement {
  readonly messages: number;
  readonly same: number;
  readonly differing: string[];
}

/** How many files land in the same BAYES_ bucket for both engines. */
export function agreement(a: Map<string, number | undefined>, b: Map<string, number | undefined>, files: readonly string[]): Agreement {
  const differing: string[] = [];
  for (const f of files) if (bucket(a.get(f)) !== bucket(b.get(f))) differing.push(`${f}: sa ${bucket(a.get(f))} hamlet ${bucket(b.get(f))}`);
  return { messages: files.length, same: files.length - differing.length, differing };
}
