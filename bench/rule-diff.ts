/**
 * Development tool: for the named rules (sub-rules too), list the corpus messages
 * where SpamAssassin and hamlet disagree. Reads SpamAssassin's verdicts from the
 * cache bench:parity writes (HAMLET_SA_CACHE, default /tmp/sa-parity.tsv).
 *
 * Usage: node dist/bench/rule-diff.js [--max N] RULE [RULE ...]
 */
import { readFileSync } from 'node:fs';
import { loadConfig, scan } from '../src/index';
import { LOCAL_ONLY_CF } from './lib/local-only';
import { parseSaOutput } from './lib/sa-check';

function main(): void {
  const args = process.argv.slice(2);
  let max = 8;
  const mi = args.indexOf('--max');
  if (mi >= 0) {
    max = Number(args[mi + 1]);
    args.splice(mi, 2);
  }
  const cache = process.env.HAMLET_SA_CACHE ?? '/tmp/sa-parity.tsv';
  const sa = parseSaOutput(readFileSync(cache, 'utf8')).filter((v) => !v.error);
  const rs = loadConfig({ configPath: '/usr/share/spamassassin', siteConfigPath: '/etc/spamassassin', extraText: LOCAL_ONLY_CF });
  const onlySa = new Map<string, string[]>(args.map((r) => [r, []]));
  const onlyUs = new Map<string, string[]>(args.map((r) => [r, []]));
  for (const v of sa) {
    const r = scan(readFileSync(v.path), rs, { allRules: true });
    for (const rule of args) {
      const theirs = v.tests.includes(rule) || v.subtests.includes(rule);
      const ours = (r.counts.get(rule) ?? 0) > 0;
      if (theirs && !ours) onlySa.get(rule)!.push(v.path);
      if (ours && !theirs) onlyUs.get(rule)!.push(v.path);
    }
  }
  for (const rule of args) {
    const a = onlySa.get(rule)!;
    const b = onlyUs.get(rule)!;
    console.log(`${rule}: SpamAssassin only ${a.length}, hamlet only ${b.length}`);
    for (const p of a.slice(0, max)) console.log(`  sa-only  ${p}`);
    for (const p of b.slice(0, max)) console.log(`  ham-only ${p}`);
  }
}

main();
