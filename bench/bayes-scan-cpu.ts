/**
 * bench:bayes-scan-cpu — where a hamletd worker's CPU goes with Bayes on, without the server
 * around it: this process loads the stock rules and site files as a worker does (all regexes
 * compiled), then checks the TEST messages twice over, taking turns between Bayes off and
 * Bayes on (the bench:spamd database, `-L`, auto-learn and AWL off), and prints the CPU per
 * message of each and the Bayes parts alone (tokenizing, the store read, classifying).
 *
 * Usage: npm run bench:bayes-scan-cpu [-- --sample N] [--rounds R]
 * Ends with `RESULT bayes_scan_cpu off_ms=A on_ms=B bayes_ms=B-A tokenize_ms=T lookup_ms=L`.
 */
import '../src/regex-flags';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { check } from '../src/check/index';
import { loadRuleSet } from '../src/config/load';
import { warmUp } from '../src/engine/scanner';
import { markupOptionsFrom } from '../src/report/check';
import { StoreCache } from '../src/spamd/user-stores';
import { parseMessage } from '../src/message/parse';
import { bayesSettings } from '../src/bayes/settings';
import { bayesTokens } from '../src/bayes/index';
import { classifyLookup } from '../src/bayes/classifier';
import { openSqliteDb } from '../src/bayes/stores/sqlite-db';
import { bayesDbFile } from '../src/bayes/stores/sqlite-path';
import { corpusFiles } from '../test/helpers/corpus';
import { arg, cpuMs } from './lib/bench-args';
import { TEST_GROUPS } from './lib/bayes-train';
import { LOCAL_ONLY_CF } from './lib/local-only';
import { sharedBayes } from './lib/shared-bayes';

async function main(): Promise<void> {
  const rules = arg('--rules', '/usr/share/spamassassin');
  const site = arg('--site', '/etc/spamassassin');
  const rounds = Number(arg('--rounds', '2'));
  const all = TEST_GROUPS.flatMap((g) => corpusFiles(g));
  const sample = Number(arg('--sample', '1000'));
  const step = Math.max(1, Math.floor(all.length / sample));
  const raws = all.filter((_f, i) => i % step === 0).slice(0, sample).map((f) => readFileSync(f));
  const bayes = sharedBayes();
  const base = `${LOCAL_ONLY_CF}\nbayes_auto_learn 0\nbayes_path ${bayes.hamletPath}`;
  const load = (cf: string) => {
    const rs = loadRuleSet({ configPath: rules, siteConfigPath: site, extraText: cf });
    warmUp(rs.compiled);
    return { rs, settings: markupOptionsFrom(rs), stores: new StoreCache() };
  };
  const on = load(`${base}\nuse_bayes 1`);
  const off = load(`${base}\nuse_bayes 0`);
  const scan = async (side: typeof on): Promise<number> => {
    const db = side.stores.get(side.rs, undefined);
    const t0 = cpuMs();
    for (const raw of raws) await check(raw, side.rs, { stores: db, settings: side.settings });
    return cpuMs() - t0;
  };
  // Warm both (JIT, caches), then take turns.
  await scan(off);
  await scan(on);
  let offMs = 0;
  let onMs = 0;
  for (let r = 0; r < rounds; r++) {
    offMs += await scan(off);
    onMs += await scan(on);
  }
  const n = raws.length * rounds;
  // The Bayes parts alone: tokenizing a freshly parsed message (what the message model computes
  // only for Bayes counts here: parse + tokenize minus parse), the store read, the classification.
  const bs = bayesSettings(on.rs.options);
  const parseAll = () => raws.map((r) => parseMessage(r, on.rs.parseOptions));
  const db = openSqliteDb(bayesDbFile(bayes.hamletPath), { readonly: true });
  let parseMs = 0;
  let parseTokMs = 0;
  let hashes: number[][] = [];
  for (let r = 0; r < rounds; r++) {
    let t = cpuMs();
    parseAll();
    parseMs += cpuMs() - t;
    t = cpuMs();
    hashes = parseAll().map((m) => bayesTokens(m, bs));
    parseTokMs += cpuMs() - t;
  }
  const tokMs = (parseTokMs - parseMs) / n;
  // One pass in order on a fresh connection: its lookup cache holds what earlier messages read.
  let t0 = cpuMs();
  const found = hashes.map((h) => db.lookup(h));
  const lookupMs = (cpuMs() - t0) / raws.length;
  t0 = cpuMs();
  for (let r = 0; r < rounds; r++) found.forEach((f, i) => classifyLookup(f, hashes[i]!.length));
  const classifyMs = (cpuMs() - t0) / n;
  db.close();
  await on.stores.close();
  await off.stores.close();
  const tokens = hashes.reduce((a, h) => a + h.length, 0) / hashes.length;
  console.log(`${raws.length} TEST messages x ${rounds} rounds, load ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
  console.log(`check, Bayes off: ${(offMs / n).toFixed(3)} ms CPU/msg; Bayes on: ${(onMs / n).toFixed(3)} ms; difference ${((onMs - offMs) / n).toFixed(3)} ms`);
  console.log(`Bayes parts: tokenize ${tokMs.toFixed(3)} ms (${tokens.toFixed(0)} tokens), store read ${lookupMs.toFixed(3)} ms, classify ${classifyMs.toFixed(3)} ms`);
  console.log(
    `RESULT bayes_scan_cpu off_ms=${(offMs / n).toFixed(3)} on_ms=${(onMs / n).toFixed(3)} bayes_ms=${((onMs - offMs) / n).toFixed(3)} tokenize_ms=${tokMs.toFixed(3)} lookup_ms=${lookupMs.toFixed(3)} classify_ms=${classifyMs.toFixed(3)}`,
  );
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : String(e));
  process.exit(1);
});
