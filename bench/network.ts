/**
 * bench:network — network tests (DNSBL, URI blocklists, SPF, DKIM, DMARC, AskDNS) of real
 * SpamAssassin 4.0.1 and hamlet against the same test DNS server on 127.0.0.1, stock rules,
 * Bayes / AWL / Razor / Pyzor off.
 *
 * Messages: every k-th file of the TEST split (easy-ham-2, hard-ham-1, spam-2, in that order) of
 * the public corpus, `--messages N` of them (300). Every 5th (from the second) is DKIM-signed by
 * the bench with a key generated for the run (d= its author domain), and every third of those
 * has a footer added after signing.
 *
 * The zone: a discovery pass runs SpamAssassin on the sample with every name answering NXDOMAIN
 * (the DKIM keys excepted) and records every query; then lib/net-zone.ts lists 1 in 4 of the
 * names asked in each blocklist zone the stock rules use, with codes their sub-tests test
 * (lib/net-zone-rules.ts reads them from the .cf files), and adds SPF and DMARC records for half
 * the domains asked. Everything else stays NXDOMAIN. The server runs in a worker thread.
 *
 * Then, against that zone: SpamAssassin (2 processes); hamlet, one message at a time with a fresh
 * resolver and no cache (lib/hamlet-net.ts), so both sides' queries per message are counted from
 * what the server received, without a cache between messages on either side. Hit lists are
 * compared over the rules hamlet runs plus every network rule (tflags net, or disabled as a
 * network rule): `identical`, and `identical_net` over network rules only. The rules that differ
 * most and the queries by zone and type on each side are printed for debugging.
 *
 * Overlap: every answer delayed 50 ms, hamlet's check time minus its `-L` check time, per message
 * (interleaved), median = `delay_overhead_ms` (target <= 60; `sa_delay_overhead_ms` is SpamAssassin's on the
 * first `--sa-delay-messages` (40), delayed minus local-only); `net_overhead_ms` is the same with
 * answers not delayed (the CPU the network rules and lookups cost). Two fresh hamletd (2 workers,
 * network on), one on a second DNS server whose answers all come 50 ms late, under 8 raw-socket
 * clients in turns: `spamd_delay_ratio` = delayed msgs/s over undelayed (target >= 0.8). A zone
 * that never answers, with `rbl_timeout 1`: scan times (`timeout_scan_ms`, median and max) and
 * whether the non-network, non-meta rules hit exactly as in the scan whose answers came
 * (`timeout_local_intact`).
 *
 * Usage: npm run bench:network [-- --messages N --rules DIR --site DIR --no-spamd --timeout-messages N]
 * (`--dump FILE` writes the discovery pass's queries, one `TYPE<tab>name` a line.)
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { loadConfig, type RuleSet } from '../src/index';
import { corpusFiles } from '../test/helpers/corpus';
import { TEST_GROUPS } from './lib/bayes-train';
import { signSample } from './lib/dkim-sample';
import { DnsThread } from './lib/dns-thread';
import { hamletCheck } from './lib/hamlet-net';
import { startHamletd } from './lib/hamletd-run';
import { HitDiff } from './lib/hit-diff';
import { buildZone, queryKinds } from './lib/net-zone';
import { blocklistZones } from './lib/net-zone-rules';
import { rawCheck } from './lib/raw-spamc';
import { haveSpamAssassin, runSaCheck } from './lib/sa-check';

function arg(name: string, dflt: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1]! : dflt;
}

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? NaN : s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

/** What both engines turn off here: learning stores and external tools. */
const OFF_CF = ['use_bayes 0', 'bayes_auto_learn 0', 'use_razor2 0', 'use_pyzor 0', 'use_auto_whitelist 0'];
const netCf = (spec: string, extra: readonly string[] = []): string => [...OFF_CF, 'dns_available yes', 'clear_dns_servers', `dns_server ${spec}`, ...extra].join('\n');

/** Rule names by role: what is compared, and which are network rules. */
function ruleRoles(rs: RuleSet): { compared: Set<string>; net: Set<string>; localPlain: Set<string> } {
  const compared = new Set<string>();
  const net = new Set<string>();
  const localPlain = new Set<string>();
  for (const r of rs.compiled.rules) {
    compared.add(r.name);
    if (r.tflags.has('net')) net.add(r.name);
    else localPlain.add(r.name);
  }
  for (const r of rs.compiled.metas) {
    compared.add(r.name);
    if (r.tflags.has('net')) net.add(r.name);
  }
  for (const d of rs.disabled) {
    if (d.needs === 'network' || d.needs === 'dns-rule') [compared, net].forEach((s) => s.add(d.name));
  }
  return { compared, net, localPlain };
}

/**
 * hamletd (2 workers, network on) under 8 raw-socket clients: one server asking `plain`, one
 * asking `slow` (every answer 50 ms late), both started fresh (empty caches) and fed the same
 * halves in the order plain, slow, slow, plain, so drift in the machine's load hits both alike.
 */
async function hamletdRates(files: readonly string[], plain: DnsThread, slow: DnsThread, opts: { rules: string; site: string }): Promise<{ plain: number; slow: number; errors: number; asked: number }> {
  const servers = await Promise.all([plain, slow].map((d) => startHamletd({ ...opts, cf: netCf(d.spec), args: ['-m', '2'], network: true })));
  try {
    const halves = [files.slice(0, Math.ceil(files.length / 2)), files.slice(Math.ceil(files.length / 2))];
    const warm = files.filter((_f, i) => i % 16 === 8).slice(0, 16);
    for (const hd of servers) await rawCheck(hd.port, warm, 8); // workers warmed (not timed)
    await Promise.all([plain.take(), slow.take()]);
    const msgs = [0, 0];
    const seconds = [0, 0];
    let errors = 0;
    for (const [who, half] of [[0, 0], [1, 0], [1, 1], [0, 1]] as const) {
      const r = await rawCheck(servers[who]!.port, halves[half]!, 8);
      msgs[who] = msgs[who]! + halves[half]!.length;
      seconds[who] = seconds[who]! + r.seconds;
      errors += r.errors;
    }
    const asked = (await plain.take()).length + (await slow.take()).length;
    return { plain: msgs[0]! / seconds[0]!, slow: msgs[1]! / seconds[1]!, errors, asked };
  } finally {
    await Promise.all(servers.map((hd) => hd.stop()));
  }
}

async function main(): Promise<void> {
  const rulesDir = arg('--rules', '/usr/share/spamassassin');
  const site = arg('--site', '/etc/spamassassin');
  const n = Number(arg('--messages', '300'));
  const timeoutN = Number(arg('--timeout-messages', '12'));
  if (!(await haveSpamAssassin())) throw new Error('bench:network needs SpamAssassin 4.0.1 (apt-get install spamassassin)');
  const t0 = performance.now();
  const secs = (): string => ((performance.now() - t0) / 1000).toFixed(0);
  const all = TEST_GROUPS.flatMap((g) => corpusFiles(g));
  const step = Math.max(1, Math.floor(all.length / n));
  const picked = all.filter((_f, i) => i % step === 0).slice(0, n);

  const tmp = mkdtempSync(join(tmpdir(), 'hamlet-bench-network-'));
  const dns = await DnsThread.start();
  try {
    const dkim = await signSample(picked, tmp);
    const files = dkim.files;
    await dns.add(dkim.records);
    console.log(`bench:network: ${files.length} TEST messages (every ${step}th), ${dkim.signed} DKIM-signed by the bench (${dkim.altered} altered after), DNS server ${dns.spec}`);

    // Discovery: what SpamAssassin asks on this sample when nothing is listed.
    mkdirSync(join(tmp, 'sa-state'));
    const sa0 = await runSaCheck(files, { rules: rulesDir, site, shards: 2, dns: dns.spec, state: join(tmp, 'sa-state') });
    const asked = await dns.take();
    const dump = arg('--dump', '');
    if (dump) writeFileSync(dump, asked.map(([q, t]) => `${t}\t${q}\n`).join(''));
    const zones = blocklistZones([rulesDir, site]);
    const zone = buildZone({ queries: asked, zones, files });
    const bad = await dns.add(zone.records);
    console.log(`[${secs()} s] discovery: ${asked.length} queries (${sa0.filter((v) => v.error).length} SA errors); zone: ${zone.counts.listed} names listed in ${zone.counts.listedZones} of ${zones.size} blocklist zones, SPF ${JSON.stringify(zone.counts.spf)}, DMARC ${JSON.stringify(zone.counts.dmarc)}${bad ? `, ${bad} unencodable` : ''}`);

    // SpamAssassin against the zone.
    const sa = await runSaCheck(files, { rules: rulesDir, site, shards: 2, dns: dns.spec, state: join(tmp, 'sa-state') });
    const saAsked = await dns.take();
    const saQueries = saAsked.length;
    console.log(`[${secs()} s] SpamAssassin: ${saQueries} queries`);

    // hamlet against the zone, one message at a time.
    const rs = loadConfig({ configPath: rulesDir, siteConfigPath: site, extraText: netCf(dns.spec) });
    const roles = ruleRoles(rs);
    const all_ = new HitDiff();
    const netOnly = new HitDiff();
    let netHits = 0;
    let saNetHits = 0;
    const netMs: number[] = [];
    const netTests: (readonly string[])[] = [];
    for (let i = 0; i < files.length; i++) {
      const r = await hamletCheck(readFileSync(files[i]!), rs, true);
      netMs.push(r.ms);
      netTests.push(r.tests);
      const v = sa[i]!;
      if (v.error) continue;
      all_.add(v.tests, r.tests, (t) => roles.compared.has(t), basename(files[i]!));
      netOnly.add(v.tests, r.tests, (t) => roles.net.has(t));
      netHits += r.tests.filter((t) => roles.net.has(t)).length;
      saNetHits += v.tests.filter((t) => roles.net.has(t)).length;
    }
    const hamletAsked = await dns.take();
    const hamletQueries = hamletAsked.length;
    console.log(`[${secs()} s] hamlet: ${hamletQueries} queries; rules compared: ${roles.compared.size} (${roles.net.size} network)`);
    console.log('rules that disagree most (SA-only hits / hamlet-only hits):');
    for (const [k, miss, extra] of all_.worst(25)) console.log(`  ${k.padEnd(32)} ${String(miss).padStart(5)} ${String(extra).padStart(5)} ${roles.net.has(k) ? 'net' : '   '} e.g. ${all_.example.get(k)}`);

    const [saKinds, ourKinds] = [queryKinds(saAsked, zones), queryKinds(hamletAsked, zones)];
    console.log('queries by kind, most different first (SpamAssassin / hamlet):');
    const kinds = [...new Set([...saKinds.keys(), ...ourKinds.keys()])].map((k): [string, number, number] => [k, saKinds.get(k) ?? 0, ourKinds.get(k) ?? 0]);
    for (const [k, a, b] of kinds.sort((x, y) => Math.abs(y[1] - y[2]) - Math.abs(x[1] - x[2])).slice(0, 15)) console.log(`  ${k.padEnd(40)} ${String(a).padStart(6)} ${String(b).padStart(6)}`);

    // Overlap: answers delayed 50 ms vs no network, per message.
    await dns.behave('', { delayMs: 50 });
    const overheads: number[] = [];
    const undelayed: number[] = [];
    const stepMs = new Map<string, number[]>();
    for (const [i, f] of files.entries()) {
      const raw = readFileSync(f);
      const withNet = await hamletCheck(raw, rs, true);
      const local = await hamletCheck(raw, rs, false);
      overheads.push(withNet.ms - local.ms);
      for (const [k, ms] of withNet.steps) stepMs.set(k, [...(stepMs.get(k) ?? []), ms]);
      undelayed.push(netMs[i]! - local.ms);
    }
    // SpamAssassin on the first messages, the same way: delayed answers minus local tests only.
    const saN = Math.min(files.length, Number(arg('--sa-delay-messages', '40')));
    const saSubset = files.slice(0, saN);
    const saDelayed = await runSaCheck(saSubset, { rules: rulesDir, site, shards: 1, dns: dns.spec, state: join(tmp, 'sa-state') });
    const saLocal = await runSaCheck(saSubset, { rules: rulesDir, site, shards: 1 });
    const saOverheads = saDelayed.map((v, i) => v.ms - saLocal[i]!.ms).filter((x) => Number.isFinite(x));
    const saDelayOverhead = median(saOverheads);
    const ourFirst = median(overheads.slice(0, saN));
    await dns.take();
    const delayOverhead = median(overheads);
    console.log(`[${secs()} s] every answer delayed 50 ms: check time minus -L check time, median ${delayOverhead.toFixed(1)} ms, p90 ${[...overheads].sort((a, b) => a - b)[Math.floor(overheads.length * 0.9)]!.toFixed(1)} ms (answers not delayed: median ${median(undelayed).toFixed(1)} ms)`);
    console.log(`  median ms per step, delayed: ${[...stepMs].map(([k, v]) => `${k} ${median(v).toFixed(1)}`).join(', ')}`);
    console.log(`  the first ${saN} messages: SpamAssassin's check time with answers delayed 50 ms minus its local-only check time, median ${saDelayOverhead.toFixed(1)} ms; hamlet's on the same messages ${ourFirst.toFixed(1)} ms`);

    // hamletd under 8 clients, delayed zone vs not.
    let ratio = NaN;
    if (!process.argv.includes('--no-spamd')) {
      await dns.behave('', {});
      const slow = await DnsThread.start();
      try {
        await slow.add([...dkim.records, ...zone.records]);
        await slow.behave('', { delayMs: 50 });
        const r = await hamletdRates(files, dns, slow, { rules: rulesDir, site });
        // Without a query hamletd ran no network tests, and the ratio would mean nothing.
        ratio = r.asked > 0 ? r.slow / r.plain : NaN;
        console.log(`[${secs()} s] hamletd, 2 workers, 8 clients: ${r.plain.toFixed(1)} msgs/s, answers delayed 50 ms: ${r.slow.toFixed(1)} msgs/s (${r.errors} errors, ${r.asked} queries${r.asked ? '' : ': no network tests ran in hamletd'})`);
      } finally {
        await slow.stop();
        await dns.take();
      }
    }

    // A zone that never answers: scans end at rbl_timeout, local rules as under -L.
    await dns.behave('', { drop: true });
    const rsT = loadConfig({ configPath: rulesDir, siteConfigPath: site, extraText: netCf(dns.spec, ['rbl_timeout 1']) });
    await hamletCheck(readFileSync(files[0]!), rsT, false); // the first scan of a rule set compiles its regexes
    const times: number[] = [];
    let intact = 0;
    const every = Math.max(1, Math.floor(files.length / timeoutN));
    for (let i = 0; i < files.length && times.length < timeoutN; i += every) {
      const dropped = await hamletCheck(readFileSync(files[i]!), rsT, true);
      times.push(dropped.ms);
      // The same message's local rules when the answers came (same score set).
      const plain = (ts: readonly string[]): string => ts.filter((t) => roles.localPlain.has(t)).join(',');
      if (plain(dropped.tests) === plain(netTests[i]!)) intact++;
      else console.log(`  ${files[i]}: local hits differ: ${plain(dropped.tests)} vs ${plain(netTests[i]!)} with answers`);
    }
    await dns.behave('', {});
    console.log(`[${secs()} s] zone never answers, rbl_timeout 1: ${times.length} scans, median ${median(times).toFixed(0)} ms, max ${Math.max(...times).toFixed(0)} ms; local rules as with answers on ${intact} of ${times.length}`);

    const f4 = (x: number): string => x.toFixed(4);
    const m = files.length;
    console.log(`bench:network took ${secs()} s`);
    console.log(
      `RESULT network messages=${all_.compared} identical=${f4(all_.share())} identical_net=${f4(netOnly.share())} net_rules_hit=${netHits} sa_net_rules_hit=${saNetHits}` +
        ` queries_per_msg=${(hamletQueries / m).toFixed(2)} sa_queries_per_msg=${(saQueries / m).toFixed(2)} delay_overhead_ms=${delayOverhead.toFixed(1)} sa_delay_overhead_ms=${saDelayOverhead.toFixed(1)} net_overhead_ms=${median(undelayed).toFixed(1)}` +
        ` spamd_delay_ratio=${ratio.toFixed(3)} timeout_scan_ms=${median(times).toFixed(0)} timeout_scan_max_ms=${Math.max(...times).toFixed(0)} timeout_local_intact=${intact}/${times.length}`,
    );
  } finally {
    await dns.stop();
    rmSync(tmp, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
