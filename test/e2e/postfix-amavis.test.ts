/**
 * The tutorial's mail server end to end (docs/tutorial-postfix-amavis.md, whose snippets this
 * test writes into its configuration): swaks -> Postfix (own instance) -> amavisd-new ->
 * hamletd -> amavisd-new -> Postfix's reinjection port -> a throwaway user's Maildir. Then the
 * learning loop: the delivered spam is sent to user+spam@, Postfix pipes it through the
 * user's .forward+spam to hamlet-learn, `--dump magic` shows it learned, and a second copy scores
 * higher. Everything runs on 127.0.0.1, in a temporary directory, on free ports; every process is
 * stopped by its PID (Postfix by `postfix -c <its own dir> stop`). Needs root, postfix,
 * amavisd-new and swaks (CI installs them); each test reports itself skipped without them.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { amavisMissing, has, startAmavis, swaks, type Amavis } from '../helpers/amavis';
import { suiteUnless } from '../helpers/visible-skip';
import { bayesRules, freePort, portOpen, startHamletd, STOCK_RULES, waitFor, type Running } from '../spamd/helpers';
import { passwdEntry, type PasswdEntry } from '../../src/spamd/user-prefs';
import { snippet, substitute } from './doc-snippets';
import { startPostfix, type Postfix } from './postfix-instance';

const ROOT = resolve(__dirname, '..', '..', '..');
const LEARN = join(ROOT, 'bin', 'hamlet-learn.js');
const DOMAIN = 'example.test';

const missing =
  amavisMissing() ??
  (!has('postfix') ? 'skipped: postfix not installed (apt-get install postfix)' : undefined) ??
  (!existsSync(join(STOCK_RULES, '23_bayes.cf')) ? `skipped: no stock rules in ${STOCK_RULES}` : undefined);
if (missing) console.log(`# postfix-amavis.test: ${missing}`);

const HAM = `From: Ann <ann@example.org>
To: {TO}
Subject: Lunch on Friday
Message-ID: <ham.1@example.org>
Date: Mon, 07 Dec 2026 09:00:00 +0000

Shall we meet at the usual place at noon? I booked a table for four.
`;
const SPAM = (n: number): string => `From: Winner Desk <desk@prize.example.net>
To: {TO}
Subject: WIN MONEY today
Message-ID: <spam.${n}@prize.example.net>
Date: Mon, 07 Dec 2026 09:0${n}:00 +0000

Cheap pills and a cash prize are waiting for you, claim your reward now.
`;

/** The messages in the user's Maildir (new/), oldest first. */
function delivered(home: string): string[] {
  const dir = join(home, 'Maildir', 'new');
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .sort()
    .map((f) => readFileSync(join(dir, f), 'latin1'));
}

/** A header field's value, unfolded. */
const header = (msg: string, name: string): string | undefined =>
  new RegExp(`^${name}: ?(.*)$`, 'mi').exec(msg.split(/\n\n/)[0]!.replace(/\n[ \t]+/g, ' '))?.[1];

suiteUnless(missing, 'Postfix + amavisd-new + hamletd, set up as docs/tutorial-postfix-amavis.md says', () => {
  let dir = '';
  let user = '';
  let pw: PasswdEntry;
  let home = '';
  let rules = '';
  let site = '';
  let smtpPort = 0;
  let d: Running | undefined;
  let amavis: Amavis | undefined;
  let postfix: Postfix | undefined;

  /** The tutorial's hamlet-learn command, pointed at this test's rules and site directory. */
  const learnCommand = (): string => `${process.execPath} ${LEARN} -C ${rules} --siteconfigpath ${site}`;
  /** Run hamlet-learn as the user (the database is theirs, as in the tutorial). */
  const learnAs = (args: string[], input?: string) =>
    spawnSync(process.execPath, [LEARN, '-C', rules, '--siteconfigpath', site, ...args], { uid: pw.uid, gid: pw.gid, env: { PATH: '/usr/bin:/bin', HOME: home }, input, encoding: 'utf8' });
  const send = (to: string, data: string) => swaks(['--server', `127.0.0.1:${smtpPort}`, '--from', 'sender@example.org', '--to', to, '--data', data.replace('{TO}', to).replace(/\n/g, '\r\n')]);

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'hamlet-e2e-'));
    chmodSync(dir, 0o755);
    // The user plays the tutorial's `amavis` account: hamletd runs as it, its .forward+spam pipes to hamlet-learn.
    user = `hme2e${process.pid % 1_000_000}`;
    home = join(dir, 'home');
    mkdirSync(home);
    const r = spawnSync('useradd', ['-M', '-d', home, '-s', '/usr/sbin/nologin', '-U', user], { encoding: 'utf8' });
    assert.equal(r.status, 0, `useradd: ${r.stderr}`);
    pw = passwdEntry(user)!;
    chownSync(home, pw.uid, pw.gid);
    const readable = spawnSync(process.execPath, ['-e', `require(${JSON.stringify(LEARN.replace(/bin[/\\]hamlet-learn\.js$/, 'package.json'))})`], { uid: pw.uid, gid: pw.gid });
    assert.equal(readable.status, 0, `the checkout ${ROOT} must be readable by other users (the learning pipe runs as one)`);

    // The stock templates and Bayes rules, and two rules the spam hits (3 + 3 >= 5).
    rules = bayesRules(dir, 'header E2E_MONEY Subject =~ /win money/i\nscore E2E_MONEY 3.0\nbody E2E_PILLS /cheap pills/i\nscore E2E_PILLS 3.0\n');
    site = join(dir, 'site');
    mkdirSync(site, { mode: 0o755 });
    const bayes = join(dir, 'bayes');
    mkdirSync(bayes);
    chownSync(bayes, pw.uid, pw.gid);
    const localCf = substitute(snippet('local.cf'), [['/var/lib/amavis/.hamlet/bayes', join(bayes, 'bayes')]]);
    // Bayes scores from one spam and one ham here (the tutorial's 200 each would make the test slow).
    writeFileSync(join(site, 'local.cf'), `${localCf}bayes_min_spam_num 1\nbayes_min_ham_num 1\n`, { mode: 0o644 });

    // The administrator's first training: the ham mbox (the spam mbox is empty, so Bayes starts at nspam 0).
    writeFileSync(join(dir, 'ham.mbox'), `From ann@example.org Mon Dec  7 09:00:00 2026\n${HAM.replace('{TO}', `${user}@${DOMAIN}`)}\n`, { mode: 0o644 });
    writeFileSync(join(dir, 'spam.mbox'), '', { mode: 0o644 });
    for (const line of snippet('admin-train').trim().split('\n')) {
      const args = line.split(/\s+/).slice(1).map((a) => (a.endsWith('.mbox') ? join(dir, a) : a));
      const t = learnAs(args);
      assert.equal(t.status, 0, `${line}: ${t.stderr}`);
      console.log(`${line}: ${JSON.stringify(t.stderr)} ${t.stdout.trim()}`);
    }

    const hamletdArgs = substitute(snippet('hamletd').trim(), [['-p 783', '-p 0'], ['-u amavis', `-u ${user}`]]).split(/\s+/).slice(1);
    d = await startHamletd([...hamletdArgs, '-C', rules, '--siteconfigpath', site, '-L', '--no-rule-cache'], { listenDefault: false });

    smtpPort = await freePort();
    const amavisPort = await freePort();
    const reinjectPort = await freePort();
    amavis = await startAmavis({ dir, port: amavisPort, forwardPort: reinjectPort, hamletdPort: d.port, spamSettings: snippet('amavisd.conf') });
    postfix = startPostfix({
      dir,
      smtpPort,
      domain: DOMAIN,
      main: substitute(snippet('main.cf'), [[':10024', `:${amavisPort}`]]),
      master: substitute(snippet('master.cf'), [['127.0.0.1:10025', `127.0.0.1:${reinjectPort}`]]),
    });
    assert.ok(await portOpen(smtpPort, 30_000), `postfix does not listen on ${smtpPort}:\n${postfix.log()}`);
    assert.ok(await portOpen(reinjectPort, 30_000), `postfix does not listen on ${reinjectPort}`);

    for (const kind of ['spam', 'ham'] as const) {
      const pipe = substitute(snippet(`.forward+${kind}`).trim(), [['/usr/local/bin/hamlet-learn', learnCommand()]]);
      writeFileSync(join(home, `.forward+${kind}`), `${pipe}\n`, { mode: 0o644 });
      chownSync(join(home, `.forward+${kind}`), pw.uid, pw.gid);
    }
  });

  after(async () => {
    postfix?.stop();
    await amavis?.stop();
    await d?.stop();
    if (user) spawnSync('userdel', [user], { encoding: 'utf8' });
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const diagnostics = (): string => `--- maillog\n${postfix?.log() ?? ''}\n--- amavis\n${amavis?.log().slice(-3000) ?? ''}\n--- hamletd\n${d?.log() ?? ''}`;

  test('a ham and a spam reach the Maildir; the spam carries amavis\'s spam headers and subject tag, the ham not', async () => {
    const to = `${user}@${DOMAIN}`;
    assert.match(await send(to, HAM), /<- {2}250 2\.0\.0 Ok: queued/);
    assert.match(await send(to, SPAM(1)), /<- {2}250 2\.0\.0 Ok: queued/);
    assert.ok(await waitFor(() => delivered(home).length >= 2, 60_000), `not delivered:\n${diagnostics()}`);
    const [ham, spam] = [delivered(home).find((m) => /Lunch on Friday/.test(m))!, delivered(home).find((m) => /WIN MONEY/.test(m))!];
    console.log(`delivered ham:\n${ham.replace(/^/gm, '  ')}`);
    console.log(`delivered spam:\n${spam.replace(/^/gm, '  ')}`);
    assert.equal(header(spam, 'Subject'), '***SPAM*** WIN MONEY today');
    assert.equal(header(spam, 'X-Spam-Flag'), 'YES');
    assert.match(header(spam, 'X-Spam-Status') ?? '', /^Yes, score=6 .*tests=\[E2E_MONEY, E2E_PILLS\]/);
    assert.equal(header(ham, 'Subject'), 'Lunch on Friday');
    assert.equal(header(ham, 'X-Spam-Flag'), undefined);
    assert.equal(header(ham, 'X-Spam-Status'), undefined, 'the ham scored above the tag level');
    assert.match(d!.log(), /result: Y +6 - E2E_MONEY,E2E_PILLS/);
  });

  test('the learning loop: spam sent to user+spam@ is piped to hamlet-learn, and a second copy scores higher', async () => {
    const before = delivered(home).find((m) => /WIN MONEY/.test(m));
    assert.ok(before, 'the first test delivered no spam');
    const scoreBefore = Number(header(before, 'X-Spam-Score'));
    const magicBefore = learnAs(['--dump', 'magic']).stdout;
    assert.match(magicBefore, /^0\.000\s+0\s+0\s+0\s+non-token data: nspam$/m);

    assert.match(await send(`${user}+spam@${DOMAIN}`, before.replace(/^Return-Path:.*\n|^Delivered-To:.*\n/gm, '')), /<- {2}250 2\.0\.0 Ok: queued/);
    const learned = (): boolean => /^0\.000\s+0\s+1\s+0\s+non-token data: nspam$/m.test(learnAs(['--dump', 'magic']).stdout);
    assert.ok(await waitFor(() => /delivered to command/.test(postfix!.log()) && learned(), 60_000), `not learned:\n${diagnostics()}`);
    console.log(`hamlet-learn --dump magic after the +spam alias:\n${learnAs(['--dump', 'magic']).stdout.replace(/^/gm, '  ')}`);

    assert.match(await send(`${user}@${DOMAIN}`, SPAM(2)), /<- {2}250 2\.0\.0 Ok: queued/);
    assert.ok(await waitFor(() => delivered(home).some((m) => /spam\.2@/.test(m)), 60_000), `second copy not delivered:\n${diagnostics()}`);
    const again = delivered(home).find((m) => /spam\.2@/.test(m))!;
    console.log(`second copy, headers:\n${again.split('\n\n')[0]!.replace(/^/gm, '  ')}`);
    assert.match(header(again, 'X-Spam-Status') ?? '', /BAYES_99/);
    assert.ok(Number(header(again, 'X-Spam-Score')) > scoreBefore, `score ${header(again, 'X-Spam-Score')} not above ${scoreBefore}`);
  });
});
