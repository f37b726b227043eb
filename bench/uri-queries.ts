/**
 * Debugging aid for bench:network's URI-blocklist differences: for each message given, what
 * real SpamAssassin 4.0.1 and hamlet ask the URI blocklist zones (the stock rules' `urirhsbl` /
 * `urirhssub` zones), against a test DNS server where every name is NXDOMAIN, and the names only
 * one side asked. SpamAssassin runs once per message so its queries are its own.
 *
 * Usage: npm run build && node dist/bench/uri-queries.js FILE|CORPUS-NAME ... [--rules DIR --site DIR]
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../src/index';
import { CORPUS_GROUPS, corpusFiles } from '../test/helpers/corpus';
import { DnsThread, type Received } from './lib/dns-thread';
import { hamletCheck } from './lib/hamlet-net';
import { runSaCheck } from './lib/sa-check';

function arg(name: string, dflt: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1]! : dflt;
}

/** A corpus file by its base name (with or without the bench's `signed-` prefix), or a path. */
function resolveFile(name: string): string {
  if (existsSync(name)) return name;
  const base = name.replace(/^signed-/, '');
  for (const g of CORPUS_GROUPS) {
    const f = corpusFiles(g).find((p) => p.endsWith(`/${base}`));
    if (f) return f;
  }
  throw new Error(`no such message: ${name}`);
}

/** The zones the stock URI-list rules ask (their NS lookups are shown too). */
const URI_ZONES = /\.(multi\.surbl\.org|dbl\.spamhaus\.org|multi\.uribl\.com|dob\.sibl\.support-intelligence\.net|sbl\.spamhaus\.org|zen\.spamhaus\.org)$/;
const uriQueries = (qs: readonly Received[]): string[] => [...new Set(qs.filter(([n, t]) => URI_ZONES.test(n) || t === 'NS').map(([n, t]) => `${t} ${n}`))].sort();

async function main(): Promise<void> {
  const rulesDir = arg('--rules', '/usr/share/spamassassin');
  const site = arg('--site', '/etc/spamassassin');
  const names = process.argv.slice(2).filter((a, i, all) => !a.startsWith('--') && !all[i - 1]?.startsWith('--'));
  const dns = await DnsThread.start();
  const state = mkdtempSync(join(tmpdir(), 'hamlet-uri-queries-'));
  try {
    const cf = ['use_bayes 0', 'use_razor2 0', 'use_pyzor 0', 'dns_available yes', 'clear_dns_servers', `dns_server ${dns.spec}`].join('\n');
    const rs = loadConfig({ configPath: rulesDir, siteConfigPath: site, extraText: cf });
    for (const name of names) {
      const file = resolveFile(name);
      await runSaCheck([file], { rules: rulesDir, site, dns: dns.spec, state });
      const sa = uriQueries(await dns.take());
      await hamletCheck(readFileSync(file), rs, true);
      const ours = uriQueries(await dns.take());
      const [saSet, ourSet] = [new Set(sa), new Set(ours)];
      console.log(`== ${name}: SpamAssassin ${sa.length} names, hamlet ${ours.length}`);
      for (const q of sa) if (!ourSet.has(q)) console.log(`  SA only     ${q}`);
      for (const q of ours) if (!saSet.has(q)) console.log(`  hamlet only ${q}`);
    }
  } finally {
    await dns.stop();
    rmSync(state, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
