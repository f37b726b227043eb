/**
 * hamlet and real SpamAssassin 4.0.1 on one PostgreSQL: Bayes data either one trained gives the
 * same BAYES_ bucket through the other (a slice: 100 TRAIN messages, 102 TEST), and auto-welcomelist
 * rows either one wrote are read by the other. The full TRAIN -> TEST figure is bench:store-compat.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { awlSettings, openAddrList } from '../../../src/awl/index';
import { readConfig } from '../../../src/config/load';
import { corpusFiles } from '../../helpers/corpus';
import { postgresMissing, startPostgres, type PostgresServer } from '../../helpers/postgres-server';
import { agreement, hamletProbabilities, saProbabilities, setUpWithHamlet, siteDir, trainWith } from '../../../bench/lib/store-agreement';
import { ROOT } from '../../../bench/lib/bayes-train';

/** Why SpamAssassin's PgSQL backend cannot run here (sa-learn, or DBD::Pg for its PgSQL store). */
function saPgMissing(): string | undefined {
  if (spawnSync('sa-learn', ['--version'], { stdio: 'ignore' }).status !== 0) return 'sa-learn (SpamAssassin) is not installed';
  if (spawnSync('perl', ['-MDBD::Pg', '-e', '1'], { stdio: 'ignore' }).status !== 0) return 'DBD::Pg (Debian libdbd-pg-perl) is not installed';
  return undefined;
}
const skip = postgresMissing() ?? saPgMissing();

function bayesSite(dir: string, pg: PostgresServer, user: string): string {
  return siteDir(dir, [
    'bayes_store_module Mail::SpamAssassin::BayesStore::PgSQL',
    `bayes_sql_dsn ${pg.dsn}`,
    `bayes_sql_username ${pg.user}`,
    `bayes_sql_override_username ${user}`,
    'bayes_auto_learn 0',
    'bayes_auto_expire 0',
    'bayes_min_spam_num 25',
    'bayes_min_ham_num 25',
  ]);
}

test('Bayes on PostgreSQL: trained by sa-learn, read by hamlet, and the other way round, in the same buckets', { skip, timeout: 600_000 }, async (t) => {
  const pg = (await startPostgres())!;
  const work = mkdtempSync(join(tmpdir(), 'hamlet-pg-compat-'));
  t.after(async () => {
    await pg.stop();
    rmSync(work, { recursive: true, force: true });
  });
  const spam = corpusFiles('spam-1').slice(0, 50);
  const ham = corpusFiles('easy-ham-1').slice(0, 50);
  const testFiles = ['easy-ham-2', 'hard-ham-1', 'spam-2'].flatMap((g) => corpusFiles(g as 'spam-2').slice(0, 34));
  for (const trainer of ['sa', 'hamlet'] as const) {
    const site = bayesSite(join(work, trainer), pg, `${trainer}_trained`);
    if (trainer === 'sa') setUpWithHamlet(site);
    trainWith(trainer, site, spam, ham);
    const sa = saProbabilities(site, testFiles);
    const ours = await hamletProbabilities(site, testFiles);
    const a = agreement(sa, ours, testFiles);
    const answered = [...ours.values()].filter((p) => p !== undefined).length;
    assert.ok(answered >= 90, `${trainer}-trained: hamlet gave a verdict for ${answered} of ${testFiles.length}`);
    assert.ok(a.same / a.messages >= 0.99, `${trainer}-trained: ${a.same}/${a.messages} same bucket; ${a.differing.slice(0, 5).join('; ')}`);
  }
});

test('AWL on PostgreSQL: entries SpamAssassin adds are hamlet\'s, and SpamAssassin scores with an entry hamlet added', { skip, timeout: 300_000 }, async (t) => {
  const pg = (await startPostgres())!;
  const work = mkdtempSync(join(tmpdir(), 'hamlet-pg-awl-'));
  t.after(async () => {
    await pg.stop();
    rmSync(work, { recursive: true, force: true });
  });
  const site = siteDir(join(work, 'site'), [
    'use_auto_welcomelist 1',
    'auto_welcomelist_factory Mail::SpamAssassin::SQLBasedAddrList',
    `user_awl_dsn ${pg.dsn}`,
    `user_awl_sql_username ${pg.user}`,
    'user_awl_sql_override_username shared',
    'use_bayes 0',
  ]);
  // A .pre file: the stock rules' `ifplugin ...AWL` is read before local.cf, so the plugin loads first.
  writeFileSync(join(site, 'awl.pre'), 'loadplugin Mail::SpamAssassin::Plugin::AWL\n');
  const hamlet = (args: string[], input?: string) => spawnSync('node', [join(ROOT, 'bin', 'hamlet.js'), '--siteconfigpath', site, ...args], { input, encoding: 'latin1' });
  const sa = (args: string[], input?: string) => spawnSync('spamassassin', ['--siteconfigpath', site, '-L', ...args], { input, encoding: 'latin1' });
  // hamlet adds first (and creates the table in SpamAssassin's layout).
  const h = hamlet(['--add-addr-to-blocklist=foe@example.net']);
  assert.equal(h.status, 0, h.stderr);
  const s = sa(['--add-addr-to-welcomelist=friend@example.com']);
  assert.equal(s.status, 0, s.stderr);
  const settings = awlSettings(Object.fromEntries(readConfig({ configPath: '/usr/share/spamassassin', siteConfigPath: site }).options));
  const list = openAddrList(settings, {});
  try {
    const rows = (await list.entries()).map((e) => `${e.email}|${e.ip}|${e.count}|${e.totalScore}`);
    assert.deepEqual(rows, ['foe@example.net|none|1|100', 'friend@example.com|none|1|-100']);
  } finally {
    await list.close();
  }
  // SpamAssassin scanning mail from the address hamlet blocked: the AWL pulls the score up hard.
  const msg = 'From: Foe <foe@example.net>\nTo: you@example.org\nSubject: hello\nDate: Mon, 07 Dec 2026 10:00:00 +0000\nMessage-ID: <x1@example.net>\nReceived: from mx.example.net (mx.example.net [198.51.100.9]) by mail.example.org; Mon, 07 Dec 2026 10:00:01 +0000\n\nHi there.\n';
  writeFileSync(join(work, 'm.eml'), msg);
  const scan = sa(['-t'], msg);
  const awl = /^\s*([\d.-]+)\s+AWL\b/m.exec(scan.stdout);
  assert.ok(awl && Number(awl[1]) > 10, `SpamAssassin's AWL line: ${awl?.[0] ?? scan.stdout.slice(-800)}`);
});
