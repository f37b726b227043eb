/**
 * Debian's real spamc 4.0.1 against hamletd (stock SpamAssassin rules, Debian site
 * config, -L), every flag the issue lists, asserting on what spamc prints and its
 * exit code. Skipped, visibly, when /usr/bin/spamc is not installed.
 */
import { suiteUnless } from '../helpers/visible-skip';
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, SAMPLE_HAM, SAMPLE_SPAM, STOCK_RULES, smallRules, startHamletd, type Running } from './helpers';

const SPAMC = '/usr/bin/spamc';
const missing = !existsSync(SPAMC) ? 'skipped: spamc not installed (apt-get install spamc)' : !existsSync(SAMPLE_SPAM) ? 'skipped: SpamAssassin sample messages not installed' : undefined;
if (missing) console.log(`# spamc.test: ${missing}`);

suiteUnless(missing, 'real spamc against hamletd', () => {
  let d: Running;
  let sock: string;
  const spam = missing ? Buffer.alloc(0) : readFileSync(SAMPLE_SPAM);
  const ham = missing ? Buffer.alloc(0) : readFileSync(SAMPLE_HAM);
  const run = (args: string[], input: Buffer): { out: string; code: number | null } => {
    const r = spawnSync(SPAMC, ['-d', '127.0.0.1', '-p', String(d.port), ...args], { input, timeout: 60_000 });
    return { out: r.stdout.toString('latin1'), code: r.status };
  };

  before(async () => {
    sock = join(mkdtempSync(join(tmpdir(), 'hamletd-spamc-')), 'spamd.sock');
    const site = existsSync('/etc/spamassassin') ? ['--siteconfigpath', '/etc/spamassassin'] : [];
    d = await startHamletd(['-C', STOCK_RULES, ...site, '--cf', 'use_bayes 0', '-L', '-l', '-m', '2', '--max-size', '10000', '-i', '127.0.0.1', '--socketpath', sock], { timeoutMs: 120_000 });
  });
  after(async () => {
    await d.stop();
  });

  test('-c: score/threshold, exit 1 for spam and 0 for ham', () => {
    assert.deepEqual(run(['-c'], spam), { out: '1000.0/5.0\n', code: 1 });
    const h = run(['-c'], ham);
    assert.match(h.out, /^-?\d+\.\d\/5\.0\n$/);
    assert.equal(h.code, 0);
  });

  test('-y: the symbols, no newline', () => {
    assert.deepEqual(run(['-y'], spam), { out: 'GTUBE,NO_RECEIVED,NO_RELAYS', code: 0 });
  });

  test('-R: score line and report; -r: report only for spam', () => {
    const r = run(['-R'], spam);
    assert.match(r.out, /^1000\.0\/5\.0\nSpam detection software, running on the system/);
    assert.match(r.out, /1000 GTUBE {18}BODY: Generic Test for Unsolicited Bulk Email/);
    assert.match(run(['-r'], spam).out, /^Spam detection software/);
    assert.deepEqual(run(['-r'], ham), { out: '', code: 0 });
  });

  test('no flag (PROCESS) and --headers (HEADERS plus the original body)', () => {
    const p = run([], spam);
    assert.equal(p.code, 0);
    assert.match(p.out, /X-Spam-Flag: YES\n/);
    assert.match(p.out, /X-Spam-Status: Yes, score=1000\.0 required=5\.0 tests=GTUBE,NO_RECEIVED,\n\tNO_RELAYS/);
    const h = run(['--headers'], ham);
    assert.equal(h.code, 0);
    assert.match(h.out, /^Return-Path: <tbtf-approval@world\.std\.com>\nX-Spam-Checker-Version: /);
    assert.ok(h.out.endsWith(ham.toString('latin1').slice(ham.indexOf('\n\n') + 2)), 'original body appended');
  });

  test('-K: ping', () => {
    assert.deepEqual(run(['-K'], Buffer.alloc(0)), { out: 'SPAMD/1.5 0\n', code: 0 });
  });

  test('-U: over the unix socket', () => {
    const r = spawnSync(SPAMC, ['-U', sock, '-c'], { input: spam });
    assert.deepEqual([r.stdout.toString(), r.status], ['1000.0/5.0\n', 1]);
  });

  test('-x: an error reply (over --max-size) is exit 74; without -x the message passes through', () => {
    const big = Buffer.concat([spam, Buffer.from('\n' + 'filler line\n'.repeat(1500))]);
    assert.equal(run(['-x', '-c'], big).code, 74);
    const p = run([], big);
    assert.deepEqual([p.code, p.out === big.toString('latin1')], [0, true]);
  });

  test('-f -e: the Postfix pipe; the marked message goes to the command, or the original when hamletd is down', () => {
    const up = spawnSync(SPAMC, ['-d', '127.0.0.1', '-p', String(d.port), '-f', '-e', '/bin/sh', '-c', 'cat'], { input: spam });
    assert.equal(up.status, 0);
    assert.match(up.stdout.toString(), /X-Spam-Flag: YES/);
    const down = spawnSync(SPAMC, ['-d', '127.0.0.1', '-p', '1', '--connect-retries=1', '-f', '-e', '/bin/sh', '-c', 'cat'], { input: spam });
    assert.equal(down.status, 0);
    assert.equal(down.stdout.toString('latin1'), spam.toString('latin1'));
  });
});

suiteUnless(missing, 'real spamc -L / -C: TELL learns into hamletd\'s Bayes database', () => {
  let d: Running;
  let db: string;
  const spam = missing ? Buffer.alloc(0) : readFileSync(SAMPLE_SPAM);
  const ham = missing ? Buffer.alloc(0) : readFileSync(SAMPLE_HAM);
  const run = (args: string[], input: Buffer, port = d.port): { out: string; code: number | null } => {
    const r = spawnSync(SPAMC, ['-d', '127.0.0.1', '-p', String(port), ...args], { input, timeout: 60_000 });
    return { out: r.stdout.toString('latin1'), code: r.status };
  };
  /** nspam / nham as `hamlet-learn --dump magic` prints them. */
  const counts = (): { nspam: number; nham: number } => {
    const out = spawnSync(process.execPath, [join(BIN, '..', 'hamlet-learn.js'), '--dbpath', db, '--dump', 'magic'], { encoding: 'latin1' }).stdout;
    const n = (what: string): number => Number(new RegExp(`^\\S+\\s+\\d+\\s+(\\d+)\\s+\\d+\\s+non-token data: ${what}$`, 'm').exec(out)?.[1]);
    return { nspam: n('nspam'), nham: n('nham') };
  };

  before(async () => {
    db = join(mkdtempSync(join(tmpdir(), 'hamletd-spamc-bayes-')), 'bayes');
    const site = existsSync('/etc/spamassassin') ? ['--siteconfigpath', '/etc/spamassassin'] : [];
    const cf = [`bayes_path ${db}`, 'use_bayes 1', 'bayes_auto_learn 0', 'bayes_min_spam_num 1', 'bayes_min_ham_num 1'].flatMap((l) => ['--cf', l]);
    d = await startHamletd(['-C', STOCK_RULES, ...site, ...cf, '-L', '-l', '-m', '2'], { timeoutMs: 120_000 });
  });
  after(async () => {
    await d.stop();
  });

  test('-L spam, -L ham, again, -L forget: spamc\'s lines, the counts and the BAYES_ hit follow', () => {
    assert.doesNotMatch(run(['-y'], spam).out, /BAYES_/, 'no database yet');
    assert.deepEqual(run(['-L', 'spam'], spam), { out: 'Message successfully un/learned\n', code: 0 });
    assert.deepEqual(run(['-L', 'spam'], spam), { out: 'Message was already un/learned\n', code: 0 });
    assert.deepEqual(run(['-L', 'ham'], ham), { out: 'Message successfully un/learned\n', code: 0 });
    assert.deepEqual(counts(), { nspam: 1, nham: 1 });
    assert.match(run(['-y'], spam).out, /(?:^|,)BAYES_99(?:,|$)/);
    assert.match(run(['-y'], ham).out, /(?:^|,)BAYES_00(?:,|$)/);
    assert.deepEqual(run(['-L', 'forget'], spam), { out: 'Message successfully un/learned\n', code: 0 });
    assert.deepEqual(run(['-L', 'forget'], spam), { out: 'Message was already un/learned\n', code: 0 });
    assert.deepEqual(counts(), { nspam: 0, nham: 1 });
    assert.doesNotMatch(run(['-y'], spam).out, /BAYES_/, 'too few spam learned again');
  });

  test('-C report learns locally but reports nowhere (spamd under -L says the same); -C revoke', () => {
    assert.deepEqual(run(['-C', 'report'], spam), { out: 'Unable to report/revoke message\n', code: 0 });
    assert.equal(counts().nspam, 1);
    assert.deepEqual(run(['-C', 'revoke'], spam), { out: 'Unable to report/revoke message\n', code: 0 });
    assert.deepEqual(counts(), { nspam: 0, nham: 2 });
  });

  test('without --allow-tell, spamc -L gets spamd\'s refusal (exit 74) and nothing is learned', async () => {
    const closed = await startHamletd(['-C', smallRules(`bayes_path ${db}`), '-m', '1']);
    try {
      const r = spawnSync(SPAMC, ['-d', '127.0.0.1', '-p', String(closed.port), '-L', 'spam'], { input: ham, encoding: 'latin1' });
      assert.equal(r.status, 74);
      assert.deepEqual(counts(), { nspam: 0, nham: 2 });
      await new Promise((r) => setTimeout(r, 300)); // spawnSync held the event loop: let the log pipe drain
      assert.match(closed.log(), /TELL commands are not enabled/);
    } finally {
      await closed.stop();
    }
  });
});
